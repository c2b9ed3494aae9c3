"""Ctrl+C and SIGTERM during a CLI run: the first stops the run gracefully (its cleanup
route runs), the second kills it, both acted on by the run's event loop. A node that
blocks the loop (a ``while`` loop or ``time.sleep`` in an async node) would keep the loop
from ever acting on them: after ``BLOCKED_AFTER`` seconds unanswered the CLI says where
the loop is stuck, and the next Ctrl+C leaves at once (exit 137) with every journal's
queued rows written; the run's row, left ``running`` by a process that is gone, is read
as ``interrupted`` (resumable) by the next reader. Imports no Qt."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
import traceback
from types import FrameType
from typing import Any

from graphstage import Run
from graphstage.journal import flush_open_journals

BLOCKED_AFTER = 2.0
"""Seconds a signal may wait for the event loop before the CLI calls the loop blocked."""

FLUSH_WAIT = 10.0
"""Seconds leaving a blocked loop waits for the journals' queued rows to be written."""


class _Signals:
    """The signals of one run: what was received (in the handler, the main thread) and
    what the loop has acted on (``on_signal``, on the loop)."""

    def __init__(self, run: Run, loop: asyncio.AbstractEventLoop) -> None:
        self.run = run
        self.loop = loop
        self.received: list[float] = []  # time.monotonic() of each signal received
        self.answered = 0  # how many of them the loop has acted on

    def handler(self, signum: int, frame: FrameType | None) -> None:
        """The Python-level handler: it runs in the main thread between two bytecodes, so
        also while a node keeps the loop from running its callbacks."""
        name = signal.Signals(signum).name
        if self.loop.is_closed():  # the run is over: as Python's default handler
            raise KeyboardInterrupt
        now = time.monotonic()
        waiting = self.received[self.answered :]  # received, not acted on yet
        if waiting and now - waiting[0] >= BLOCKED_AFTER:
            _leave_blocked(name, frame)
        self.received.append(now)
        self.loop.call_soon_threadsafe(self.on_signal, name)
        if len(self.received) == 1:
            threading.Thread(
                target=self._watch, name="graphstage signal watch", daemon=True
            ).start()

    def on_signal(self, name: str) -> None:
        self.answered += 1
        if self.answered == 1:
            print(
                f"graphstage: {name}: stopping the run gracefully (press Ctrl+C again to kill it)",
                file=sys.stderr,
                flush=True,
            )
            self.run.stop(reason=name)
        else:
            print(f"graphstage: {name} again: killing the run", file=sys.stderr, flush=True)
            self.run.kill(reason=f"{name} again")

    def _watch(self) -> None:
        """Say so if the loop does not act on the first signal within ``BLOCKED_AFTER``."""
        time.sleep(BLOCKED_AFTER)
        if self.answered or self.loop.is_closed():
            return
        print(
            f"graphstage: the run's event loop has not answered for {BLOCKED_AFTER:.0f} s: "
            f"{_where(sys._current_frames().get(threading.main_thread().ident or 0))}; "
            f"press Ctrl+C again to leave at once (exit 137)",
            file=sys.stderr,
            flush=True,
        )


_SAVED: dict[int, Any] = {}
"""The handlers ``install_signals`` replaced, which ``restore_signals`` puts back."""


def install_signals(run: Run) -> None:
    """First SIGINT/SIGTERM: graceful stop (the cleanup route runs); the second: kill; and
    leaving at once when the loop is blocked (see the module's docstring)."""
    loop = asyncio.get_running_loop()
    if threading.current_thread() is not threading.main_thread():
        return  # cli.main called from another thread: only the main thread takes signals
    signals = _Signals(run, loop)
    for sig in (signal.SIGINT, signal.SIGTERM):
        _SAVED.setdefault(sig, signal.getsignal(sig))
        # a handler the loop registered earlier (a prompt's) would take the signal first
        try:
            loop.remove_signal_handler(sig)
        except NotImplementedError:  # Windows' loops have none
            pass
        signal.signal(sig, signals.handler)


def restore_signals() -> None:
    """Put back the handlers from before the first ``install_signals`` (the run's loop is
    done: Ctrl+C is Python's ``KeyboardInterrupt`` again, SIGTERM ends the process)."""
    while _SAVED:
        sig, handler = _SAVED.popitem()
        signal.signal(sig, handler)


def _where(frame: FrameType | None) -> str:
    """Where the main thread runs: the innermost frame outside asyncio and graphstage,
    e.g. ``it is blocked in hog (graph.py, line 9), code that does not await``."""
    if frame is None:
        return "it is blocked"
    stack = traceback.extract_stack(frame)
    ours = (os.sep + "asyncio" + os.sep, os.sep + "graphstage" + os.sep, "threading.py")
    for entry in reversed(stack):
        if not any(part in entry.filename for part in ours):
            name = os.path.basename(entry.filename)
            return (
                f"it is blocked in {entry.name} ({name}, line {entry.lineno}), "
                f"code that does not await"
            )
    last = stack[-1] if stack else None
    return "it is blocked" if last is None else f"it is blocked in {last.name}"


def _leave_blocked(name: str, frame: FrameType | None) -> Any:
    """Exit 137 now: the loop is blocked and will not act on signals. Every journal's queued
    rows are written first (in a thread, bounded: this handler may have interrupted
    anything), and stdout/stderr flushed."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # leaving already: no traceback
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print(
            f"graphstage: {name} again, and the event loop still has not answered: "
            f"{_where(frame)}; leaving now (the run is left unfinished in the journal, and "
            f"read as interrupted: `graphstage resume` continues it)",
            file=sys.stderr,
            flush=True,
        )
        flusher = threading.Thread(target=flush_open_journals, daemon=True)
        flusher.start()
        flusher.join(FLUSH_WAIT)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing to save
                pass
        os._exit(137)
