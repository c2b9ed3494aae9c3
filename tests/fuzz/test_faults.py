"""Faults around the stop ladder: each ends in a named status or error, nothing hangs, and
the journal stays complete (or, when the journal itself fails, the failure is reported)."""

from __future__ import annotations

import asyncio
import logging
import operator
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field

from graphstage import (
    END,
    START,
    CustomOutput,
    InvalidUpdateError,
    Journal,
    JournalError,
    NodeCancelled,
    NodeFailed,
    NodeStarted,
    NodeTimeoutError,
    RunFinished,
    StateGraph,
    StopRequested,
    SurvivingTaskError,
    WriterClosedError,
    dump_event,
    get_stream_writer,
)

pytestmark = pytest.mark.anyio

SETTLE = 5.0
"""Seconds any run here may take to settle before the test fails (none should come close)."""


def fussy(old: list[str], new: list[str]) -> list[str]:
    """A reducer that refuses one value."""
    if "poison" in new:
        raise ValueError("poison is not a log line")
    return old + new


class State(BaseModel):
    log: Annotated[list[str], operator.add] = []
    count: int = Field(0, ge=0)
    notes: Annotated[list[str], fussy] = []


async def stuck(state: State) -> None:
    await asyncio.sleep(30)


async def cleanup(state: State) -> dict[str, Any]:
    return {"log": ["cleanup"]}


def work_then(cleanup_fn: Callable[..., Any], **compile_kw: Any) -> Any:
    """START -> work (stuck until stopped; on_cancel -> cleanup) ; cleanup -> END."""
    builder = StateGraph(State)
    builder.add_node("work", stuck, on_cancel="cleanup")
    builder.add_node("cleanup", cleanup_fn)
    builder.add_edge(START, "work")
    builder.add_edge("cleanup", END)
    return builder.compile(cancel_grace=0.2, **compile_kw)


def one_node(fn: Callable[..., Any], **compile_kw: Any) -> Any:
    builder = StateGraph(State)
    builder.add_node("work", fn)
    builder.add_edge(START, "work")
    return builder.compile(**compile_kw)


async def started(run: Any, node: str) -> None:
    """Wait for ``node``'s NodeStarted, then for it to reach its first await."""
    async for event in run.events():
        if isinstance(event, NodeStarted) and event.node == node:
            await asyncio.sleep(0.01)
            return


async def settled(run: Any) -> Any:
    return await asyncio.wait_for(run.result(), SETTLE)


def assert_journal_complete(journal: Journal, run: Any) -> None:
    """The journal holds exactly the run's events: seq contiguous, RunFinished last."""
    events = journal.events(run.run_id)
    assert [e.seq for e in events] == list(range(len(events)))
    assert isinstance(events[-1], RunFinished)
    assert [dump_event(e) for e in events] == [dump_event(e) for e in run.event_log]
    assert journal.run(run.run_id).status == run.status
    assert journal.error is None


@pytest.fixture(autouse=True)
async def no_leftover_tasks() -> AsyncIterator[None]:
    yield
    await asyncio.sleep(0)
    leftovers = [
        t.get_name()
        for t in asyncio.all_tasks()
        if t is not asyncio.current_task() and t.get_name().startswith("graphstage")
    ]
    assert leftovers == []


# -- cleanup nodes that fail ------------------------------------------------------------------


async def test_a_cleanup_node_that_raises_fails_the_run_with_its_error(journal: Journal) -> None:
    async def broken_cleanup(state: State) -> None:
        raise RuntimeError("cleanup broke")

    run = work_then(broken_cleanup).start({}, journal=journal)
    await started(run, "work")
    run.stop()
    result = await settled(run)
    assert (result.status, str(result.error)) == ("failed", "cleanup broke")
    failures = [(e.node, e.error_type) for e in run.event_log if isinstance(e, NodeFailed)]
    assert failures == [("cleanup", "RuntimeError")]
    assert_journal_complete(journal, run)


async def test_a_cleanup_node_that_hangs_past_cleanup_timeout_fails_with_a_timeout_error(
    journal: Journal,
) -> None:
    run = work_then(stuck, cleanup_timeout=0.1).start({}, journal=journal)
    await started(run, "work")
    run.stop()
    result = await settled(run)
    assert result.status == "failed"
    assert isinstance(result.error, NodeTimeoutError)
    assert "cleanup node 'cleanup'" in str(result.error)
    cancelled = [(e.node, e.how) for e in run.event_log if isinstance(e, NodeCancelled)]
    assert cancelled == [("work", "reraised"), ("cleanup", "escalated")]
    assert_journal_complete(journal, run)


async def test_a_hanging_cleanup_node_is_ended_by_kill(journal: Journal) -> None:
    run = work_then(stuck).start({}, journal=journal)
    await started(run, "work")
    run.stop()
    await started(run, "cleanup")
    run.stop()  # the cleanup is shielded: this does nothing
    run.kill()
    result = await settled(run)
    assert (result.status, result.error) == ("killed", None)
    modes = [e.mode for e in run.event_log if isinstance(e, StopRequested)]
    assert modes == ["graceful", "kill"]
    assert_journal_complete(journal, run)


async def test_a_hanging_sync_cleanup_is_abandoned_by_kill_and_named_in_the_error(
    journal: Journal,
) -> None:
    release, entered = threading.Event(), threading.Event()

    def deaf_cleanup(state: State) -> None:
        entered.set()
        release.wait(SETTLE)  # never reads ctx.cancel_requested

    run = work_then(deaf_cleanup, kill_timeout=0.1).start({}, journal=journal)
    try:
        await started(run, "work")
        run.stop()
        await started(run, "cleanup")
        # NodeStarted comes before the worker thread picks the call up: kill only once the
        # thread runs, or nothing survives to be named.
        assert await asyncio.to_thread(entered.wait, SETTLE)
        run.kill()
        result = await settled(run)
    finally:
        release.set()
    assert result.status == "killed"
    assert isinstance(result.error, SurvivingTaskError)
    assert "cleanup (its worker thread)" in str(result.error)
    assert_journal_complete(journal, run)


# -- updates the state refuses ------------------------------------------------------------------


async def test_an_update_that_fails_validation_fails_the_run_naming_node_and_field(
    journal: Journal,
) -> None:
    async def negative(state: State) -> dict[str, int]:
        return {"count": -1}

    run = one_node(negative).start({}, journal=journal)
    result = await settled(run)
    assert result.status == "failed"
    assert isinstance(result.error, InvalidUpdateError)
    assert "node 'work' set field 'count' to -1" in str(result.error)
    assert result.state.count == 0  # the state as of the last completed step
    assert_journal_complete(journal, run)


async def test_a_cleanup_whose_update_fails_validation_fails_the_stopped_run(
    journal: Journal,
) -> None:
    async def bad_cleanup(state: State) -> dict[str, int]:
        return {"count": -5}

    run = work_then(bad_cleanup).start({}, journal=journal)
    await started(run, "work")
    run.stop()
    result = await settled(run)
    assert result.status == "failed"
    assert "node 'cleanup' set field 'count' to -5" in str(result.error)
    assert_journal_complete(journal, run)


async def test_a_reducer_that_raises_fails_the_run_naming_the_field(journal: Journal) -> None:
    async def poison(state: State) -> dict[str, list[str]]:
        return {"notes": ["poison"]}

    run = one_node(poison).start({}, journal=journal)
    result = await settled(run)
    assert result.status == "failed"
    assert isinstance(result.error, InvalidUpdateError)
    assert "the reducer of field 'notes' raised ValueError" in str(result.error)
    assert_journal_complete(journal, run)


# -- writers used too late ---------------------------------------------------------------------


async def test_a_writer_called_after_its_node_ended_raises_at_the_caller(journal: Journal) -> None:
    kept: list[Any] = []

    async def keeps_its_writer(state: State, writer: Any) -> None:
        writer("while running")
        kept.append(writer)

    run = one_node(keeps_its_writer).start({}, journal=journal)
    result = await settled(run)
    with pytest.raises(WriterClosedError, match="called after the node ended"):
        kept[0]("too late")
    errors: list[BaseException] = []

    def from_a_thread() -> None:
        try:
            kept[0]("too late, from a thread")
        except WriterClosedError as exc:
            errors.append(exc)

    thread = threading.Thread(target=from_a_thread)
    thread.start()
    thread.join(SETTLE)
    assert [type(e) for e in errors] == [WriterClosedError]
    assert result.status == "completed"
    assert [e.data for e in run.event_log if isinstance(e, CustomOutput)] == ["while running"]
    assert_journal_complete(journal, run)


async def test_a_writer_first_asked_for_after_its_node_ended_comes_closed(
    journal: Journal,
) -> None:
    """A node's writer is made when first asked for: a task the node left behind that asks
    for it only after the node ended gets a closed writer, not a working one."""
    asked = asyncio.Event()
    errors: list[BaseException] = []

    async def later() -> None:
        await asked.wait()
        try:
            get_stream_writer()("too late")
        except WriterClosedError as exc:
            errors.append(exc)

    async def leaves_a_task(state: State) -> None:
        kept.append(asyncio.get_running_loop().create_task(later()))

    kept: list[asyncio.Task[None]] = []
    run = one_node(leaves_a_task).start({}, journal=journal)
    result = await settled(run)
    asked.set()
    await asyncio.wait_for(kept[0], SETTLE)
    assert [type(e) for e in errors] == [WriterClosedError]
    assert "the writer of node 'work'" in str(errors[0])
    assert result.status == "completed"
    assert not [e for e in run.event_log if isinstance(e, CustomOutput)]
    assert_journal_complete(journal, run)


async def test_a_node_using_another_nodes_ended_writer_fails_with_writer_closed(
    journal: Journal,
) -> None:
    kept: list[Any] = []

    async def first(state: State, writer: Any) -> None:
        kept.append(writer)

    async def second(state: State) -> None:
        kept[0]("not mine, and closed")

    builder = StateGraph(State)
    builder.add_node("first", first)
    builder.add_node("second", second)
    builder.add_edge(START, "first")
    builder.add_edge("first", "second")
    run = builder.compile().start({}, journal=journal)
    result = await settled(run)
    assert result.status == "failed"
    assert isinstance(result.error, WriterClosedError)
    assert "the writer of node 'first'" in str(result.error)
    assert_journal_complete(journal, run)


# -- stops at odd times and from odd places -----------------------------------------------------


async def test_a_stop_sent_to_a_run_that_already_ended_changes_nothing(journal: Journal) -> None:
    run = work_then(cleanup).start({}, journal=journal)
    await started(run, "work")
    run.stop()
    result = await settled(run)
    before = [dump_event(e) for e in run.event_log]
    run.stop()
    run.stop(drain=True)
    run.kill()
    await asyncio.sleep(0)  # would let a wrongly delivered message be handled
    assert [dump_event(e) for e in run.event_log] == before
    assert (run.status, (await run.result()) is result) == ("cancelled", True)
    assert_journal_complete(journal, run)


async def test_stop_from_another_thread_reaches_the_node_and_the_cleanup_runs(
    journal: Journal,
) -> None:
    run = work_then(cleanup).start({}, journal=journal)
    await started(run, "work")
    thread = threading.Thread(target=run.stop)
    thread.start()
    result = await settled(run)
    thread.join(SETTLE)
    assert (result.status, result.state.log) == ("cancelled", ["cleanup"])
    assert_journal_complete(journal, run)


async def test_stops_and_kills_from_many_threads_at_once_settle_the_run_once(
    journal: Journal,
) -> None:
    run = work_then(stuck).start({}, journal=journal)
    await started(run, "work")
    go = threading.Barrier(8)

    def hammer(i: int) -> None:
        go.wait(SETTLE)
        for _ in range(50):
            run.stop(drain=bool(i % 3 == 1))
            if i % 4 == 3:
                run.kill()

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    result = await settled(run)
    for thread in threads:
        thread.join(SETTLE)
    assert result.status == "killed"
    finished = [e for e in run.event_log if isinstance(e, RunFinished)]
    assert len(finished) == 1
    assert [e.mode for e in run.event_log if isinstance(e, StopRequested)].count("kill") <= 1
    assert_journal_complete(journal, run)


# -- the journal's own disk fails ----------------------------------------------------------------


def make_read_only(journal: Journal) -> None:
    """Swap the journal's connection for a read-only one on the same file: every write is
    refused by SQLite, as on a read-only file system (chmod does not stop root)."""
    with journal._lock:
        assert journal._conn is not None
        journal._conn.close()
        journal._conn = sqlite3.connect(
            f"file:{journal.path}?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )


class FullDisk:
    """Stands in for ``Journal._write``: fails as SQLite does on a full disk while ``full``."""

    def __init__(self, journal: Journal) -> None:
        self.full = True
        self._write = journal._write

    def __call__(self, batch: Any) -> None:
        if self.full:
            raise sqlite3.OperationalError("database or disk is full")
        self._write(batch)


def fill_the_disk(journal: Journal) -> None:
    journal._write = FullDisk(journal)  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("break_it", "says"),
    [(make_read_only, "read-only"), (fill_the_disk, "the disk is full")],
    ids=["read-only file", "full disk"],
)
async def test_a_failing_journal_is_reported_to_the_caller_and_the_run_goes_on(
    journal: Journal,
    caplog: pytest.LogCaptureFixture,
    break_it: Callable[[Journal], None],
    says: str,
) -> None:
    break_it(journal)
    with caplog.at_level(logging.ERROR, logger="graphstage.journal"):
        run = work_then(cleanup).start({}, journal=journal)
        await started(run, "work")
        run.stop()
        result = await settled(run)
    assert (result.status, result.state.log) == ("cancelled", ["cleanup"])
    assert isinstance(result.journal_error, JournalError)
    assert journal.path in str(result.journal_error)
    assert says in str(result.journal_error)
    assert journal.error is not None
    assert any(journal.path in r.getMessage() for r in caplog.records)


async def test_a_journal_whose_disk_frees_up_mid_run_ends_up_complete(
    journal: Journal, wait_until: Any
) -> None:
    disk = journal._write = FullDisk(journal)  # type: ignore[method-assign]
    release = asyncio.Event()

    async def work(state: State) -> dict[str, int]:
        await release.wait()
        return {"count": 1}

    run = one_node(work).start({}, journal=journal)
    await started(run, "work")
    await wait_until(lambda: journal.error is not None)  # the timed write failed
    disk.full = False
    release.set()
    result = await settled(run)
    assert (result.status, result.journal_error) == ("completed", None)
    events = journal.events(run.run_id)
    assert [dump_event(e) for e in events] == [dump_event(e) for e in run.event_log]


# -- bugs the stop-ladder fuzz found (regressions) ------------------------------------------------


async def test_a_stop_right_after_start_is_answered_at_once_not_escalated(
    journal: Journal,
) -> None:
    run = one_node(stuck, cancel_grace=2.0).start({}, journal=journal)
    run.stop()  # before the node's task has run a single line
    result = await asyncio.wait_for(run.result(), 1.0)  # well under the grace
    assert (result.status, result.error) == ("cancelled", None)
    cancelled = [(e.node, e.how) for e in run.event_log if isinstance(e, NodeCancelled)]
    assert cancelled == [("work", "reraised")]
    assert_journal_complete(journal, run)


async def test_kill_while_the_run_settles_does_not_raise(journal: Journal) -> None:
    async def quick(state: State) -> dict[str, int]:
        return {"count": 1}

    written = asyncio.Event()

    class Held:
        """The journal, but its write of RunFinished completes only once ``written`` is set:
        until then the run is settling."""

        def sink_for(self, graph: Any, run: Any) -> Any:
            sink = journal.sink_for(graph, run)

            def held(event: Any) -> Any:
                pending = sink(event)
                if pending is None:
                    return None

                async def later() -> None:
                    await written.wait()
                    await pending

                return asyncio.ensure_future(later())

            return held

    run = one_node(quick).start({}, journal=Held())
    async for event in run.events():
        if type(event).__name__ == "RunFinished":
            assert not run.done and run._supervisor._finishing  # really settling
            run.kill()
            written.set()
    result = await settled(run)
    assert (result.status, result.error) == ("completed", None)
    assert "stop_requested" not in [e.kind for e in run.event_log]
    assert_journal_complete(journal, run)


async def test_a_run_ended_by_the_recursion_limit_names_the_step_it_prevented_as_next(
    journal: Journal,
) -> None:
    async def inc(state: State) -> dict[str, int]:
        return {"count": state.count + 1}

    builder = StateGraph(State)
    for name in ("a", "b", "c"):
        builder.add_node(name, inc)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "c")
    run = builder.compile().start({}, {"recursion_limit": 2}, journal=journal)
    result = await settled(run)
    assert (result.status, result.state.count, result.next) == ("failed", 2, ("c",))
    assert journal.resume(run.run_id).next == ("c",)
    assert_journal_complete(journal, run)


async def test_a_kill_landing_just_after_the_last_answer_is_still_published(
    journal: Journal,
) -> None:
    runs: list[Any] = []

    async def work(state: State) -> dict[str, int]:
        asyncio.get_running_loop().call_soon(runs[0].kill)  # lands just after this answer
        return {"count": 1}

    runs.append(one_node(work).start({}, journal=journal))
    result = await settled(runs[0])
    assert result.status == "killed"
    assert [e.mode for e in runs[0].event_log if isinstance(e, StopRequested)] == ["kill"]
    assert_journal_complete(journal, runs[0])
