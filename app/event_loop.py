"""The qasync event loop graphstage runs on, with a ``call_soon_threadsafe`` that applies
back-pressure and emits no Qt signal from other threads.

qasync 0.28's ``call_soon_threadsafe`` emits a Qt signal from the calling thread for every
call. A plain ``def`` node that calls ``writer`` in a tight loop (in a worker thread) then
holds the GIL and floods the GUI thread: the window freezes for hundreds of milliseconds.
Here, callbacks go into a deque and one byte on a socket pair wakes the GUI thread, which
runs them in order (as asyncio's own loops do), a few milliseconds' worth at a time; a
thread that queues faster than that is made to wait (releasing the GIL) until the queue
drains: back-pressure instead of a frozen window.

It also sidesteps a PySide6 6.12.0 bug on Python 3.11: that release does not count the
references to the ``None``/``bool`` it returns from void methods and ``Signal.emit``, so
every call drops one reference to ``None`` or ``True``/``False`` (harmless on 3.12+, where
they are immortal) and a long enough session aborts with "Fatal Python error:
none_dealloc" or "bool_dealloc". The signal per call made that happen within one 100,000
line run; the real fix is not to run on PySide6 6.12.0 with Python 3.11.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import qasync

DRAIN_BUDGET = 0.008
"""Seconds of queued thread-safe callbacks run in one go before Qt events get a turn."""
HIGH_WATER = 256
"""Queued callbacks at which another thread calling ``call_soon_threadsafe`` waits..."""
LOW_WATER = 64
"""...until the GUI thread has brought the queue down to this many..."""
MAX_WAIT = 0.25
"""...or this many seconds have passed (so a stalled loop cannot block a thread for long)."""


class EventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """``qasync.QEventLoop`` whose thread-safe calls wake it through a self-pipe."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._thread_id = threading.get_ident()  # the GUI thread, which runs this loop
        # Handles queued by other threads, run in order by _on_wakeup in the loop's thread.
        self._threadsafe: collections.deque[asyncio.Handle] = collections.deque()
        # True while a wake-up byte is on its way: further calls need not send another.
        self._wakeup_sent = False
        self._wake_recv, self._wake_send = socket.socketpair()
        self._wake_recv.setblocking(False)
        self._wake_send.setblocking(False)
        self.add_reader(self._wake_recv.fileno(), self._on_wakeup)

    def call_soon_threadsafe(
        self,
        callback: Callable[..., Any],
        *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        """Queue ``callback(*args)`` from any thread; it runs soon in the loop's thread."""
        handle = asyncio.Handle(callback, args, self, context)
        queue = self._threadsafe
        if len(queue) >= HIGH_WATER and threading.get_ident() != self._thread_id:
            self._wait_for_room()
        queue.append(handle)
        if not self._wakeup_sent:
            self._wakeup_sent = True
            try:
                self._wake_send.send(b"\0")
            except (BlockingIOError, OSError):
                pass  # the socket is full (a wake-up is pending anyway) or closed
        return handle

    def _wait_for_room(self) -> None:
        """Back-pressure, in the calling (non-loop) thread: a thread that queues callbacks
        faster than the GUI thread runs them would otherwise hold the GIL and starve it.
        Sleeping releases the GIL; the wait is bounded so nothing can deadlock on it."""
        deadline = time.monotonic() + MAX_WAIT
        while len(self._threadsafe) > LOW_WATER and time.monotonic() < deadline:
            if self.is_closed():
                return
            time.sleep(0.001)

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
