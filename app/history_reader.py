"""Reading the History dock's lists (the journal's runs, the checkpointer's threads with
their forks) in a worker thread, so a big journal never holds the GUI thread.

``LatestRead.request(read)`` runs ``read`` (here ``read_listing``) in a worker thread;
``done`` brings its result back on the GUI thread (a queued signal, delivered by the
window's one qasync loop, which is a Qt event loop). One read runs at a time: a request
made while one is under way is read once that one is back, and the older result is
dropped, so the lists never go back to what an earlier refresh found.
"""

from __future__ import annotations

import _thread
import contextlib
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from graphstage import Journal, RunRecord, ThreadInfo
from graphstage.app.history_tree import forks
from graphstage.app.session import Nested
from graphstage.checkpoint import BaseCheckpointSaver

RUNS_LISTED = 1000
"""The newest runs the History table lists."""
THREADS_LISTED = 200
"""The threads History's tree lists, the latest active first (each thread's checkpoints
are read for its forks: every thread of a big journal was a long read and a long fill)."""


@dataclass(frozen=True)
class ThreadRow:
    """A thread of the checkpointer, as History's tree shows it."""

    info: ThreadInfo
    forks: dict[str, str]
    """Run id -> the checkpoint id that run forked from (``history_tree.forks``)."""


@dataclass(frozen=True)
class Listing:
    """What one read found; the panel filters it on the GUI thread (scope, text)."""

    runs: list[RunRecord] = field(default_factory=list)
    """The journal's newest ``RUNS_LISTED`` runs, newest first."""
    threads: list[ThreadRow] | None = None
    """The checkpointer's latest active ``THREADS_LISTED`` threads; None when the window
    has none to read (yet)."""
    older_threads: int = 0
    """How many threads were left out (older than those listed)."""
    error: str = ""
    """Why the runs (or the threads) could not be read, if they could not."""


def read_listing(journal: Journal, saver: BaseCheckpointSaver | None) -> Listing:
    """Read the runs and the threads (any thread: the journal's reads are thread-safe);
    a failure is said in ``error``, never raised."""
    try:
        runs = journal.runs(limit=RUNS_LISTED)
    except Exception as exc:  # a closed or damaged journal: said in the panel
        return Listing(error=str(exc))
    if saver is None:
        return Listing(runs)
    threads: list[ThreadRow] = []
    try:
        every = saver.threads()  # the latest active first
        for info in every[:THREADS_LISTED]:
            config = {"configurable": {"thread_id": info.thread_id}}
            checkpoints = list(reversed(list(saver.list(config))))  # oldest first
            threads.append(ThreadRow(info, forks(checkpoints)))
    except Exception as exc:  # the runs are still worth showing
        return Listing(runs, None, f"cannot read the threads: {exc}")
    return Listing(runs, threads, older_threads=max(0, len(every) - THREADS_LISTED))


class _Relay(QObject):
    """Carries a finished read from the worker thread into the GUI thread (queued)."""

    done = Signal(int, object)


class LatestRead(QObject):
    """One read in a worker thread at a time, the newest request's result delivered
    (``done``, on the GUI thread); a request made while one is under way is read once that
    one is back, and the older result is dropped."""

    done = Signal(object)
    """What the newest request's read returned (GUI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0  # bumped per request; a read made for an older one is dropped
        self._busy = False  # a worker thread is reading now
        self._wanted: Callable[[], Any] | None = None  # the newest read asked for, if any
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)

    @property
    def reading(self) -> bool:
        """True from a request until its result has been delivered (or dropped)."""
        return self._busy

    def request(self, read: Callable[[], Any]) -> None:
        """Run ``read()`` in a worker thread (GUI thread); it must not raise."""
        self._generation += 1
        self._wanted = read
        if not self._busy:  # else read once the read under way is back
            self._start()

    def cancel(self) -> None:
        """Drop the read under way, and any asked for (the caller read it itself)."""
        self._generation += 1
        self._wanted = None

    def _start(self) -> None:
        assert self._wanted is not None
        self._busy = True
        generation, read, relay = self._generation, self._wanted, self._relay

        def work() -> None:  # a worker thread: no Qt object but the relay
            result = read()
            with contextlib.suppress(RuntimeError):  # the panel was closed meanwhile
                relay.done.emit(generation, result)

        # not threading.Thread: its start() waits until the new thread runs (see graph_view)
        _thread.start_new_thread(work, ())

    def _on_done(self, generation: int, result: Any) -> None:
        """GUI thread: a read is back; an outdated one is dropped (the newest asked)."""
        if generation != self._generation:
            if self._wanted is not None:
                self._start()
            else:
                self._busy = False
            return
        self._busy, self._wanted = False, None
        self.done.emit(result)


def replay_events(journal: Journal, run_id: str, damaged: list[str]) -> list[Any]:
    """The run's events and, as ``Nested``, its subgraph runs' events, in the order they
    happened (any thread)."""
    own = journal.events(run_id, damaged)
    nested = [Nested(ns, e) for ns, e in journal.nested_events(run_id)]
    if not nested:
        return own
    return list(heapq.merge(own, nested, key=lambda e: e.time))
