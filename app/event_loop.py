"""The qasync event loop graphstage runs on, with a safe ``call_soon_threadsafe``.

qasync 0.28's ``call_soon_threadsafe`` emits a Qt signal carrying Python objects from the
calling thread. Under PySide6 6.12, tens of thousands of such emissions from a worker thread
(a plain ``def`` node calling ``writer`` in a loop) crash the interpreter with
"Fatal Python error: bool_dealloc" (a refcount error in the binding). This loop never emits a
signal from another thread: callbacks go into a deque, and one byte on a socket pair wakes
the GUI thread, which runs them in order (as asyncio's own loops do), a few milliseconds'
worth at a time.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import socket
import time
from collections.abc import Callable
from typing import Any

import qasync

DRAIN_BUDGET = 0.008
"""Seconds of queued thread-safe callbacks run in one go before Qt events get a turn."""


class EventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """``qasync.QEventLoop`` whose thread-safe calls wake it through a self-pipe."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Handles queued by other threads, run in order by _on_wakeup in the loop's thread.
        self._threadsafe: collections.deque[asyncio.Handle] = collections.deque()
        # True while a wake-up byte is on its way: further calls need not send another.
        self._wakeup_sent = False
        self._wake_recv, self._wake_send = socket.socketpair()
        self._wake_recv.setblocking(False)
        self._wake_send.setblocking(False)
        self.add_reader(self._wake_recv.fileno(), self._on_wakeup)

    def call_soon_threadsafe(
        self, callback: Callable[..., Any], *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        """Queue ``callback(*args)`` from any thread; it runs soon in the loop's thread."""
        handle = asyncio.Handle(callback, args, self, context)
        self._threadsafe.append(handle)
        if not self._wakeup_sent:
            self._wakeup_sent = True
            try:
                self._wake_send.send(b"\0")
            except (BlockingIOError, OSError):
                pass  # the socket is full (a wake-up is pending anyway) or closed
        return handle

    def _on_wakeup(self) -> None:
        """Runs in the loop's thread when woken: every queued handle, in order."""
        try:
            while self._wake_recv.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        # Clear the flag before draining: a handle queued from now on sends a new byte.
        self._wakeup_sent = False
        self._drain()

    def _drain(self) -> None:
        """Run queued handles for at most ``DRAIN_BUDGET`` s, then let Qt breathe: a thread
        that queues faster than they run must not freeze the window."""
        queue = self._threadsafe
        deadline = time.perf_counter() + DRAIN_BUDGET
        while queue:
            handle = queue.popleft()
            if not handle._cancelled:
                handle._run()
            if time.perf_counter() > deadline:
                if queue:
                    self.call_soon(self._drain)  # after the Qt events waiting now
                return

    def close(self) -> None:
        if not self.is_closed():
            self.remove_reader(self._wake_recv.fileno())
            self._wake_recv.close()
            self._wake_send.close()
        super().close()
