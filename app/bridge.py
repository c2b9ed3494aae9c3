"""The one bridge from the runtime to Qt: a run's events, batched into signals.

A node may write 100,000 lines as fast as it can; one Qt signal per line would drown the
event loop. So the bridge's task only appends events to a list, and a ``QTimer`` flushes
that list to the widgets at most every ``FLUSH_MS`` milliseconds, as one batch.
"""

from __future__ import annotations

import asyncio
import contextlib

from PySide6.QtCore import QObject, QTimer, Signal

from graphstage import CustomOutput, Event, Run, RunFinished

FLUSH_MS = 50
"""Longest time, in milliseconds, between an event and the batch that carries it."""
YIELD_EVERY = 2000
"""Events taken in one go before the pump lets the event loop breathe."""


class RunBridge(QObject):
    """Iterates ``run.events()`` in an asyncio task and emits them as batches (GUI thread).

    ``start()`` needs the running (qasync) loop; ``close()`` stops the task and the timer.
    Signals are emitted from the flush timer, so always in the GUI thread.
    """

    eventsArrived = Signal(list)
    """Every event since the last batch, in seq order (writer output included)."""
    lifecycleArrived = Signal(list)
    """The same batch without ``CustomOutput``: what the graph, state and timeline need."""
    runFinished = Signal(object)
    """The run's ``RunFinished`` event, after the batch that carried it."""
    subgraphEventsArrived = Signal(list)
    """``(namespace, event)`` of the subgraph runs' events since the last batch, emitted
    after ``eventsArrived``."""

    def __init__(self, run: Run, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = run
        # events taken from the run but not yet emitted; swapped out whole at each flush
        self._pending: list[Event] = []
        # True when _pending holds something other than CustomOutput
        self._pending_lifecycle = False
        self._finished: RunFinished | None = None
        # the subgraph runs' lifecycle events not yet emitted, with their namespaces
        self._pending_sub: list[tuple[tuple[str, ...], Event]] = []
        self._task: asyncio.Task[None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._on_flush_timer)

    def start(self) -> None:
        """Begin pumping events (call from the GUI thread, with the qasync loop running)."""
        loop = asyncio.get_running_loop()
        self.run.watch_subgraphs(self._on_subgraph_event)
        self._task = loop.create_task(self._pump(), name=f"graphstage bridge ({self.run.run_id})")
        self._timer.start()

    async def _pump(self) -> None:
        """The bridge's task: take every event of the run, in order, into ``_pending``."""
        taken = 0
        async for event in self.run.events():
            self._pending.append(event)
            if not isinstance(event, CustomOutput):
                self._pending_lifecycle = True
                if isinstance(event, RunFinished):
                    self._finished = event
            taken += 1
            if taken % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # replaying a long backlog must not stall the UI
        self._flush()

    def _on_subgraph_event(self, namespace: tuple[str, ...], event: Event) -> None:
        """A subgraph run published ``event`` (the loop's thread, which is the GUI's)."""
        self._pending_sub.append((namespace, event))

    def _on_flush_timer(self) -> None:
        """Every ``FLUSH_MS`` (GUI thread): hand the pending events to the widgets."""
        self._flush()

    def _flush(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.eventsArrived.emit(batch)
            if self._pending_lifecycle:
                self._pending_lifecycle = False
                self.lifecycleArrived.emit([e for e in batch if not isinstance(e, CustomOutput)])
        if self._pending_sub:  # after the parent's batch: its subgraph node has started
            nested, self._pending_sub = self._pending_sub, []
            self.subgraphEventsArrived.emit(nested)
        if self._finished is not None and not self._pending:
            finished, self._finished = self._finished, None
            self._timer.stop()
            self.runFinished.emit(finished)

    def close(self) -> None:
        """Stop listening (the run itself goes on; stopping it is the caller's business)."""
        self._timer.stop()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        with contextlib.suppress(RuntimeError):
            self._timer.timeout.disconnect(self._on_flush_timer)
