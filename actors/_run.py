"""``Run``: the handle of one run of a graph, and ``RunResult``, what it ended with."""

from __future__ import annotations

import asyncio
import bisect
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._events import EVENT_TYPES, CustomOutput, Event, RunStatus
from ._hold import StreamHold
from ._interrupt import Interrupt
from ._messages import KillRun, StopRun
from ._taps import Subscriber, Taps

if TYPE_CHECKING:
    from .supervisor import Supervisor


@dataclass(frozen=True, slots=True, kw_only=True)
class RunResult:
    """How a run ended."""

    run_id: str
    status: RunStatus
    """``completed``, ``cancelled``, ``failed``, ``killed``, or ``paused`` (its thread waits
    for an answer to an ``interrupt()``, or at a breakpoint)."""
    state: Any
    """The final state (a model instance or dict), as of the last completed step."""
    path: tuple[str, ...]
    """The nodes executed, in the order they started."""
    error: BaseException | None = None
    """The exception that failed the run (or, for ``killed``, what could not be stopped)."""
    next: tuple[str, ...] = ()
    """The nodes that would have run next: where a resumed run starts."""
    journal_error: BaseException | None = None
    """The first error the journal raised while recording this run (the run went on)."""
    interrupts: tuple[Interrupt, ...] = ()
    """For a ``paused`` run: the ``interrupt()`` questions waiting for an answer."""
    handoff: Any = None
    """A node's ``Command(graph=Command.PARENT)``, which ended this run (status
    ``completed``): the graph running this one as a node applies it."""


Record = tuple[Any, ...]
"""An event not built yet: ``(event class name, seq, time, *its other fields in order)``.
Plain values only, for most events: after its first collection the garbage collector no
longer tracks such a tuple, so a run's thousands of records cost no collection time."""

LINE = CustomOutput.__name__
"""The record name of a writer line."""


def _seq_of(item: Event | Record) -> int:
    return item[1] if type(item) is tuple else item.seq  # type: ignore[union-attr]


def _is_line(item: Event | Record) -> bool:
    return item[0] == LINE if type(item) is tuple else type(item) is CustomOutput


class Run:
    """A running graph: read its events, stop it, kill it, await its result.

    Created by ``CompiledGraph.start``; the run lives on the event loop that was running
    there, in tasks the runtime owns. Every method may be called from any thread.

    The run keeps its events for ``events()`` and ``event_log``: every lifecycle event,
    and the last ``LINES_KEPT`` to ``2 * LINES_KEPT`` of its nodes' ``writer()`` lines
    (``CustomOutput``): a node that writes a million lines does not hold a million
    events. A reader that falls further behind (or starts late) reads the lines the run
    let go of from the run's journal, if it has one, so its stream still has every
    event, in order (each line as the journal holds it: JSON-shaped, see ``Journal``);
    without a journal it gets the lines still kept, and their ``seq`` shows the gap.
    """

    LINES_KEPT = 10_000
    """``writer()`` lines a run keeps at the least once it has had more (see above)."""

    # True for a run whose events nobody can read (``ainvoke``'s own run, never handed
    # out): the supervisor keeps none of them when it has no journal or tap (subscribers
    # and sinks still get every event)
    _unread = False

    def __init__(self, run_id: str, loop: asyncio.AbstractEventLoop) -> None:
        self.run_id = run_id
        """The run's id (a UUID4 hex string unless ``config["run_id"]`` set one)."""
        self._loop = loop
        self._loop_thread = threading.get_ident()
        # Every event published so far, in seq order, less the writer lines let go of:
        # events() replays from here. An event nobody has read yet may still be a Record
        # (an event costs about a microsecond to build, and ainvoke reads none).
        self._events: list[Event | Record] = []
        # CustomOutput events in _events; once over 2 * LINES_KEPT, the oldest are dropped
        self._lines = 0
        # how many times _events was trimmed: a reader then finds its place again by seq
        self._trims = 0
        # the run's journal's reader of its events with lo <= seq < hi, a page at a time
        # (set by the journal's sink): where a reader finds the lines this run let go of
        self._backfill: Callable[[int, int], Awaitable[list[Event]]] | None = None
        # Resolved when new events arrive, for the events() iterators that wait; None when
        # nobody waits (publishing then costs one append).
        self._waiter: asyncio.Future[None] | None = None
        # Resolved with the RunResult when the run has settled.
        self._done: asyncio.Future[RunResult] = loop.create_future()
        self._supervisor: Supervisor | None = None
        # The first stop mode asked for, so repeated calls are cheap no-ops.
        self._stop_asked: str | None = None
        # The subscribers to every event of this run and of the subgraph runs its nodes
        # start (the journal, watch_subgraphs, astream(subgraphs=True)): made on the first
        # subscription, kept for the run's life (subgraph runs forward to it). _tap is it
        # while anyone subscribes, else None: the supervisor then builds no events.
        self._taps: Taps | None = None
        self._tap: Taps | None = None
        self._tap_schema: Any = None  # the schema passed with the run's own events
        # the astream() or stream() reading this run holds it back (graphstage._hold), else None
        self._hold: StreamHold | None = None

    # -- reading ---------------------------------------------------------------------

    @property
    def done(self) -> bool:
        """True once the run has settled (its ``RunFinished`` was published)."""
        return self._done.done()

    @property
    def status(self) -> RunStatus:
        """``running`` until the run settles, then its final status."""
        return self._done.result().status if self._done.done() else "running"

    @property
    def event_log(self) -> tuple[Event, ...]:
        """A snapshot of the events the run keeps: every event published so far, except
        the ``writer()`` lines beyond the last ``LINES_KEPT`` (see ``Run``)."""
        events = self._events
        return tuple(self._built(events, i) for i in range(len(events)))

    async def events(self) -> AsyncIterator[Event]:
        """Every event of the run from the first, then live ones, until ``RunFinished``.

        Each call starts its own iteration from seq 0, so a late subscriber misses nothing:
        ``writer()`` lines the run no longer keeps are read from its journal (see ``Run``).
        """
        expect = 0  # the seq of the next event to yield
        i = 0
        trims = self._trims
        while True:
            events = self._events
            if trims != self._trims:  # trimmed while we were away: find our place again
                trims = self._trims
                i = bisect.bisect_left(events, expect, key=_seq_of)
            if i < len(events):
                event = self._built(events, i)
                if event.seq > expect and self._backfill is not None:
                    gap = event.seq  # lines this run let go of: the journal has them
                    while expect < gap:
                        page = await self._backfill(expect, gap)
                        if not page:
                            break  # not in the journal (it failed): the seq shows the gap
                        for missed in page:
                            yield missed
                        expect = page[-1].seq + 1
                    expect = gap
                    if trims != self._trims:
                        continue  # trimmed meanwhile: find our place again
                i += 1
                expect = event.seq + 1
                yield event
                continue
            if self._done.done():
                return
            if self._waiter is None or self._waiter.done():
                self._waiter = self._loop.create_future()
            # readers await the shared future itself: through asyncio.shield a woken reader
            # would run one loop turn later (a held stream pays that every step). A reader
            # cancelled while it waits cancels the future: the others only look again
            waiter = self._waiter
            try:
                await waiter
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is None or task.cancelling() or not waiter.cancelled():
                    raise

    def watch_subgraphs(
        self, callback: Callable[[tuple[str, ...], Event], None]
    ) -> Callable[[], None]:
        """Call ``callback(namespace, event)`` for every event of the subgraph runs that
        this run's nodes start from now on (and of their own subgraphs), as they are
        published, on the run's event loop. ``namespace`` names where the event comes from
        as LangGraph's ``stream(subgraphs=True)`` does: ``("node:run id",)`` for a subgraph
        node's run, one more part per level. The run's own events are not passed (read
        them from ``events()``).

        Returns the function that removes this watcher (and no other). Watchers, the
        run's journal and ``astream(subgraphs=True)`` each receive every event, in order;
        a watcher that raises is dropped with a warning on the ``graphstage.taps``
        logger, and the run and the others go on. Call both on the run's event loop."""

        def tap(namespace: tuple[str, ...], schema: Any, event: Event) -> None:
            if namespace:
                callback(namespace, event)

        return self._subscribe(tap, callback)

    async def result(self) -> RunResult:
        """Wait until the run settles and return how it ended. Never raises for the run's
        own failures: see ``RunResult.status`` and ``RunResult.error``."""
        return await asyncio.shield(self._done)

    # -- steering --------------------------------------------------------------------

    def stop(self, *, drain: bool = False, reason: str = "stop()") -> None:
        """Ask the run to stop gracefully. Returns at once; await ``result()`` to see the end.

        The contract:

        * ``stop()`` puts a ``Cancel`` message in the mailbox of every active node that is
          not shielded. The actor cancels only that node's own task, so the node sees
          ``asyncio.CancelledError`` at its current ``await`` (a sync node, or one that
          polls, sees ``ctx.cancel_requested`` become true). Nothing above the node is
          cancelled.
        * If the node returns (its answer to the stop), its update is applied and its
          ``Command(goto=...)`` is followed: that is how it routes to its cleanup node. If
          it re-raises, or returns no ``goto``, its ``on_cancel`` route is taken; without
          one the run ends ``cancelled`` with the state as of the last completed step.
        * Nodes started after the stop (cleanup) are shielded: further ``stop()`` calls do
          not reach them; only ``kill()`` does.
        * A node that has not answered ``cancel_grace`` seconds after its Cancel is
          cancelled again and no longer waited for; the run goes on by its ``on_cancel``
          route, or ends ``killed`` if nothing else is left to run.
        * With several nodes active, every answer is gathered before the run is routed,
          and a cleanup node that several of them name runs once.
        * A stop that comes while an async path function (a conditional edge) runs is read
          once that function returns; one that has not returned ``cancel_grace`` seconds
          later is cancelled and the run ends ``killed`` (a path function has no cleanup
          route).
        * ``stop(drain=True)`` ("stop after this step") interrupts nothing: the active nodes
          finish, then the run takes their ``on_cancel`` routes instead of their next
          step, or ends ``cancelled`` with that next step recorded for ``resume``. A later
          ``stop()`` upgrades a drain to a graceful stop.

        Calling it again, from any thread, or on a run that has ended, does nothing more.
        "Stop was asked" is not "the node was interrupted": a node that had already
        returned is not; its next step is simply not taken.
        """
        mode = "drain" if drain else "graceful"
        if self._done.done() or self._stop_asked in ("graceful", "kill", mode):
            return
        self._stop_asked = mode
        self._call(self._deliver, StopRun(drain, reason))

    def kill(self, *, reason: str = "kill()") -> None:
        """End the run now: cancel every node task, status ``killed``. Returns at once.

        A node task that swallows the cancellation is cancelled again until it ends or
        ``kill_timeout`` passes; a survivor (or a sync node's thread, which cannot be
        interrupted) is abandoned and named in ``RunResult.error`` as a
        ``SurvivingTaskError``. Idempotent, thread-safe, a no-op on an ended run.
        """
        if self._done.done() or self._stop_asked == "kill":
            return
        self._stop_asked = "kill"
        self._call(self._kill_now, reason)

    # -- internals -------------------------------------------------------------------

    def _subscribe(self, fn: Subscriber, label: object = None) -> Callable[[], None]:
        """Add ``fn`` to the run's tap (see ``graphstage._taps``); returns its remover."""
        taps = self._taps
        if taps is None:
            taps = self._taps = Taps(self.run_id, self._tapped)
        return taps.add(fn, label)

    def _tapped(self, anyone: bool) -> None:
        self._tap = self._taps if anyone else None

    def _call(self, fn: Any, arg: Any) -> None:
        if threading.get_ident() == self._loop_thread:
            fn(arg)
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(fn, arg)

    def _deliver(self, message: StopRun) -> None:
        if self._supervisor is not None and not self._done.done():
            self._supervisor.deliver(message)

    def _kill_now(self, reason: str) -> None:
        if self._supervisor is not None and not self._done.done():
            self._supervisor.kill_now(KillRun(reason))

    def published_after(self, seq: int) -> bool:
        """Whether an event later than ``seq`` is published already (``events()`` gives
        it without waiting)."""
        events = self._events
        return bool(events) and _seq_of(events[-1]) > seq

    def _built(self, events: list[Event | Record], i: int) -> Event:
        """``events[i]``, built from its record the first time it is read."""
        item = events[i]
        if type(item) is tuple:
            item = events[i] = EVENT_TYPES[item[0]]._positional(self.run_id, *item[1:])
        return item  # type: ignore[return-value]

    def _publish(self, event: Event | Record) -> None:
        """Add the next event (or its ``Record``: nobody reads events as they come, see
        ``Supervisor._emit``) and wake the readers waiting for it."""
        self._events.append(event)
        if _is_line(event):
            self._lines += 1
            if self._lines > 2 * self.LINES_KEPT:
                self._trim()
        if self._tap is not None:
            self._tap((), self._tap_schema, event)  # type: ignore[arg-type]
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _wake(self) -> None:
        """Wake the ``events()`` readers waiting for a new event."""
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _trim(self) -> None:
        """Let go of the oldest writer lines, keeping ``LINES_KEPT``: O(events kept), once
        every ``LINES_KEPT`` lines. A new list, so a reader in another thread keeps a
        consistent one."""
        drop = self._lines - self.LINES_KEPT
        kept: list[Event | Record] = []
        for item in self._events:
            if drop and _is_line(item):
                drop -= 1
            else:
                kept.append(item)
        self._events = kept
        self._lines = self.LINES_KEPT
        self._trims += 1

    def _settle(self, result: RunResult) -> None:
        # a settled run lets go of its supervisor, and with it the node actors, their
        # mailboxes and tasks: a kept Run costs its events and its result
        self._supervisor = None
        self._done.set_result(result)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __repr__(self) -> str:
        return f"<Run {self.run_id} {self.status}>"
