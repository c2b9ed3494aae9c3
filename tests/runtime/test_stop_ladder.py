"""Every rung of the stop ladder of DESIGN.md, one behaviour per test."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from pydantic import BaseModel

from graphstage import (
    END,
    START,
    Command,
    NodeCancelled,
    StateGraph,
    StopRequested,
    SurvivingTaskError,
    Transition,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


class State(BaseModel):
    log: list[str] = []
    result: str | None = None


def note(state: State, entry: str) -> dict[str, list[str]]:
    return {"log": [*state.log, entry]}


async def cleanup(state: State) -> dict[str, object]:
    return {**note(state, "cleanup"), "result": "cleanup"}


async def started(run, node: str) -> None:
    """Wait until ``node``'s task has run its first line: an async node is then parked at
    its first await (it ran there in the same step), a sync node has entered its thread
    hand-off. Polls the actor's own flag, not the clock."""
    async for event in run.events():
        if type(event).__name__ == "NodeStarted" and event.node == node:
            break
    actors = run._supervisor._actors
    for _ in range(10_000):
        actor = actors.get(node)
        if actor is not None and getattr(actor, "_started", False):
            return
        await asyncio.sleep(0)
    raise AssertionError(f"node {node} never started")


def transitions(run) -> list[tuple[str, str, str]]:
    return [(e.src, e.dst, e.reason) for e in run.event_log if isinstance(e, Transition)]


def graph_with(work, *, on_cancel: str | None = "cleanup", cleanup_fn=cleanup, **compile_kw):
    builder = StateGraph(State)
    builder.add_node("work", work, on_cancel=on_cancel)
    builder.add_node("cleanup", cleanup_fn)
    builder.add_edge(START, "work")
    builder.add_edge("work", END)
    return builder.compile(**compile_kw)


async def test_a_node_that_reraises_takes_its_on_cancel_route():
    async def work(state: State):
        await asyncio.sleep(30)

    run = graph_with(work).start({})
    await started(run, "work")
    run.stop()
    result = await run.result()
    assert (result.status, result.state.result) == ("cancelled", "cleanup")
    assert transitions(run)[1:] == [("work", "cleanup", "cancel_route"), ("cleanup", END, "edge")]


async def test_a_node_that_returns_nothing_after_cancel_takes_its_on_cancel_route():
    async def work(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return None

    run = graph_with(work).start({})
    await started(run, "work")
    run.stop()
    result = await run.result()
    assert result.path == ("work", "cleanup")
    assert transitions(run)[1] == ("work", "cleanup", "cancel_route")


async def test_without_a_route_the_run_ends_cancelled_at_the_last_completed_step():
    async def first(state: State):
        return note(state, "first")

    async def work(state: State):
        await asyncio.sleep(30)
        return note(state, "work")

    builder = StateGraph(State)
    builder.add_node("first", first)
    builder.add_node("work", work)
    builder.add_edge(START, "first")
    builder.add_edge("first", "work")
    run = builder.compile().start({})
    await started(run, "work")
    run.stop()
    result = await run.result()
    assert result.status == "cancelled"
    assert result.state.log == ["first"]
    assert result.next == ("work",)  # a resume would run work again
    assert run.event_log[-1].next == ("work",)


async def test_the_command_a_stopped_node_returns_is_applied():
    async def work(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update=note(state, "saw cancel"))

    run = graph_with(work, on_cancel=None).start({})
    await started(run, "work")
    run.stop()
    result = await run.result()
    assert result.state.log == ["saw cancel", "cleanup"]
    assert transitions(run)[1] == ("work", "cleanup", "command")


async def test_the_cleanup_node_is_shielded_from_further_stops():
    cleanup_started = asyncio.Event()

    async def slow_cleanup(state: State):
        cleanup_started.set()
        await asyncio.sleep(0.2)
        return {"result": "cleanup"}

    async def work(state: State):
        await asyncio.sleep(30)

    builder = StateGraph(State)
    builder.add_node("work", work, on_cancel="cleanup")
    builder.add_node("cleanup", slow_cleanup)
    builder.add_edge(START, "work")
    run = builder.compile().start({})
    await started(run, "work")
    run.stop()
    await cleanup_started.wait()
    run.stop()
    run.stop(drain=True)
    result = await run.result()
    assert (result.status, result.state.result) == ("cancelled", "cleanup")
    stops = [e for e in run.event_log if isinstance(e, StopRequested)]
    assert len(stops) == 1
    assert [e.node for e in run.event_log if isinstance(e, NodeCancelled)] == ["work"]


async def test_a_node_that_ignores_the_stop_is_escalated_after_the_grace_and_routed():
    async def stubborn(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            await asyncio.sleep(30)  # ignores the stop; the escalation cancels this

    run = graph_with(stubborn, cancel_grace=0.2).start({})
    await started(run, "work")
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)
    stop = next(e for e in run.event_log if isinstance(e, StopRequested))
    escalated = next(e for e in run.event_log if isinstance(e, NodeCancelled))
    assert stop.seq < escalated.seq and stop.grace == 0.2  # escalated by the grace's timer
    assert (result.status, result.state.result) == ("cancelled", "cleanup")
    cancelled = [(e.node, e.how) for e in run.event_log if isinstance(e, NodeCancelled)]
    assert cancelled == [("work", "escalated")]
    assert transitions(run)[1] == ("work", "cleanup", "cancel_route")


async def test_an_escalated_node_with_no_route_ends_the_run_killed():
    async def stubborn(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            await asyncio.sleep(30)

    run = graph_with(stubborn, on_cancel=None, cancel_grace=0.1).start({})
    await started(run, "work")
    run.stop()
    result = await run.result()
    assert result.status == "killed"
    assert isinstance(result.error, TimeoutError)


async def test_drain_lets_the_active_node_finish_then_takes_its_cancel_route():
    async def work(state: State):
        await asyncio.sleep(0.1)
        return note(state, "work finished")

    run = graph_with(work).start({})
    await started(run, "work")
    run.stop(drain=True)
    result = await run.result()
    assert result.state.log == ["work finished", "cleanup"]
    assert [e.mode for e in run.event_log if isinstance(e, StopRequested)] == ["drain"]
    assert not [e for e in run.event_log if isinstance(e, NodeCancelled)]


async def test_drain_without_a_route_ends_cancelled_with_the_next_step_recorded():
    async def a(state: State):
        await asyncio.sleep(0.1)
        return note(state, "a")

    async def b(state: State):
        return note(state, "b")

    builder = StateGraph(State)
    builder.add_node("a", a)
    builder.add_node("b", b)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    run = builder.compile().start({})
    await started(run, "a")
    run.stop(drain=True)
    result = await run.result()
    assert (result.status, result.state.log, result.next) == ("cancelled", ["a"], ("b",))


async def test_a_stop_after_a_drain_upgrades_it_to_a_cancel():
    async def work(state: State):
        await asyncio.sleep(30)

    run = graph_with(work).start({})
    await started(run, "work")
    run.stop(drain=True)
    run.stop()
    result = await asyncio.wait_for(run.result(), 2)
    assert result.state.result == "cleanup"
    assert [e.mode for e in run.event_log if isinstance(e, StopRequested)] == ["drain", "graceful"]


async def test_kill_ends_everything_at_once_and_skips_cleanup():
    async def work(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup")

    run = graph_with(work).start({})
    await started(run, "work")
    run.kill()
    result = await asyncio.wait_for(run.result(), 1)
    assert result.status == "killed"
    assert result.path == ("work",)
    assert [e.mode for e in run.event_log if isinstance(e, StopRequested)] == ["kill"]


async def test_kill_keeps_cancelling_a_node_that_swallows_cancellation():
    swallowed = 0

    async def swallower(state: State):
        nonlocal swallowed
        while swallowed < 3:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                swallowed += 1
        await asyncio.sleep(30)

    run = graph_with(swallower).start({})
    await started(run, "work")
    run.kill()
    result = await asyncio.wait_for(run.result(), 2)
    assert result.status == "killed"
    assert swallowed == 3
    assert result.error is None


async def test_kill_reports_a_node_that_survives_every_cancellation():
    release = asyncio.Event()

    async def immortal(state: State):
        while not release.is_set():
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                pass

    run = graph_with(immortal, kill_timeout=0.2).start({})
    await started(run, "work")
    run.kill()
    result = await asyncio.wait_for(run.result(), 2)
    assert result.status == "killed"
    assert isinstance(result.error, SurvivingTaskError)
    assert "work" in str(result.error)
    release.set()
    node_tasks = [t for t in asyncio.all_tasks() if t.get_name().startswith("graphstage node")]
    await asyncio.wait_for(asyncio.wait(node_tasks), 5)  # the immortal ends once released


async def test_stop_is_idempotent_and_a_no_op_once_the_run_has_ended():
    async def work(state: State):
        return note(state, "done")

    run = graph_with(work).start({})
    result = await run.result()
    run.stop()
    run.kill()
    run.stop(drain=True)
    assert run.status == result.status == "completed"
    assert not [e for e in run.event_log if isinstance(e, StopRequested)]


async def test_stop_works_from_another_thread():
    async def work(state: State):
        await asyncio.sleep(30)

    run = graph_with(work).start({})
    await started(run, "work")
    thread = threading.Thread(target=run.stop)
    thread.start()
    result = await asyncio.wait_for(run.result(), 2)
    thread.join()
    assert result.state.result == "cleanup"


async def test_a_sync_node_sees_cancel_requested_in_its_worker_thread():
    threads: list[int] = []

    def polling(state: State, ctx):
        threads.append(threading.get_ident())
        while not ctx.cancel_requested:
            time.sleep(0.005)
        return Command(goto="cleanup", update=note(state, "polled"))

    run = graph_with(polling, on_cancel=None).start({})
    await started(run, "work")
    run.stop()
    result = await asyncio.wait_for(run.result(), 2)
    assert result.state.log == ["polled", "cleanup"]
    assert threads and threads[0] != threading.get_ident()
    assert run.event_log[-1].status == "cancelled"


async def test_fan_out_gathers_every_answer_and_runs_a_shared_cleanup_once():
    async def branch(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup")

    async def quitter(state: State):
        await asyncio.sleep(30)

    builder = StateGraph(State)
    builder.add_node("left", branch)
    builder.add_node("right", quitter, on_cancel="cleanup")
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "left")
    builder.add_edge(START, "right")
    run = builder.compile().start({})
    await started(run, "right")
    run.stop()
    result = await run.result()
    assert result.path == ("left", "right", "cleanup")
    assert result.state.log == ["cleanup"]
    assert sorted(transitions(run)[2:4]) == [
        ("left", "cleanup", "command"),
        ("right", "cleanup", "cancel_route"),
    ]
    stop = next(e for e in run.event_log if isinstance(e, StopRequested))
    assert stop.nodes == ("left", "right")


async def test_outer_cancel_hard_behaves_like_langgraph(wait_until):
    async def work(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup")

    graph = graph_with(work, outer_cancel="hard")
    runs = spy_runs(graph)
    task = asyncio.create_task(graph.ainvoke({}))
    await wait_until(lambda: runs)
    await started(runs[0], "work")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    result = await runs[0].result()
    assert (result.status, result.path, result.state.result) == ("killed", ("work",), None)


async def sleep_long(state: State):
    await asyncio.sleep(30)


def spy_runs(graph) -> list:
    """The runs ``graph`` starts from now on (ainvoke and astream start them inside), each
    watched: ainvoke's own run, which nobody else can read, keeps no events unless a
    journal or a watcher takes them."""
    runs: list = []
    start = graph.start

    def spy(*a, **k):
        run = start(*a, **k)
        run.watch_subgraphs(lambda namespace, event: None)
        runs.append(run)
        return run

    graph.start = spy
    return runs


async def test_a_second_outer_cancel_kills_a_run_whose_cleanup_hangs(wait_until):
    graph = graph_with(sleep_long, cleanup_fn=sleep_long)
    runs = spy_runs(graph)
    task = asyncio.create_task(graph.ainvoke({}))
    await wait_until(lambda: runs)
    await started(runs[0], "work")
    task.cancel()
    await started(runs[0], "cleanup")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 2)
    assert (await runs[0].result()).status == "killed"


async def test_a_cleanup_that_outlives_cleanup_timeout_ends_the_run_with_a_named_error():
    run = graph_with(sleep_long, cleanup_fn=sleep_long, cleanup_timeout=0.1).start({})
    await started(run, "work")
    run.stop()
    result = await asyncio.wait_for(run.result(), 2)
    assert result.status == "failed"
    assert "cleanup node 'cleanup' did not finish within cleanup_timeout=0.1s" in str(result.error)


async def test_kill_reports_a_sync_node_whose_thread_cannot_be_interrupted():
    release, entered = threading.Event(), threading.Event()

    def deaf(state: State):
        entered.set()
        release.wait(5)  # never looks at ctx.cancel_requested

    run = graph_with(deaf, kill_timeout=0.1).start({})
    await started(run, "work")
    # NodeStarted is published before the worker thread picks the call up; a kill in
    # between ends the node before its thread ever runs, and then nothing survives to name.
    assert await asyncio.to_thread(entered.wait, 5)
    run.kill()
    result = await asyncio.wait_for(run.result(), 2)
    release.set()
    assert result.status == "killed"
    assert isinstance(result.error, SurvivingTaskError)
    assert "work (its worker thread)" in str(result.error)


async def test_kill_does_not_wait_for_a_hanging_async_path_function(wait_until):
    async def hanging_route(state: State) -> str:
        await asyncio.sleep(30)
        return END

    builder = StateGraph(State)
    builder.add_node("work", lambda s: None)
    builder.add_edge(START, "work")
    builder.add_conditional_edges("work", hanging_route)
    run = builder.compile().start({})
    await started(run, "work")
    await wait_until(lambda: run._supervisor._in_user_code)  # awaiting the path function
    run.kill()
    result = await asyncio.wait_for(run.result(), 1)
    assert result.status == "killed"


async def test_a_stop_sent_before_the_node_ran_its_first_line_reaches_its_first_await():
    async def work(state: State):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update=note(state, "told"))

    run = graph_with(work, on_cancel=None, cancel_grace=5).start({})
    run.stop()
    result = await asyncio.wait_for(run.result(), 1)
    assert (result.status, result.state.log) == ("cancelled", ["told", "cleanup"])
    assert not [e for e in run.event_log if isinstance(e, NodeCancelled)]


class HeldJournal:
    """A journal whose write of ``RunFinished`` the test completes: until then the run is
    settling (its ``RunFinished`` published, its result not yet set)."""

    def __init__(self) -> None:
        self.write: asyncio.Future[None] | None = None

    def sink_for(self, graph, run):
        def sink(event):
            if type(event).__name__ == "RunFinished":
                self.write = asyncio.get_running_loop().create_future()
                return self.write
            return None

        return sink


async def test_kill_while_the_run_is_settling_is_a_quiet_no_op():
    async def quick(state: State):
        return note(state, "quick")

    held = HeldJournal()
    run = graph_with(quick).start({}, journal=held)
    async for event in run.events():
        if type(event).__name__ == "RunFinished":
            assert not run.done and run._supervisor._finishing  # really settling
            run.kill()
            run.stop()
            run.stop(drain=True)
            held.write.set_result(None)
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, result.error) == ("completed", None)
    kinds = [type(e).__name__ for e in run.event_log]
    assert kinds.count("RunFinished") == 1 and "StopRequested" not in kinds


async def test_a_kill_landing_just_after_the_last_answer_is_still_published_once():
    runs = []

    async def work(state: State):
        asyncio.get_running_loop().call_soon(runs[0].kill)  # lands after this answer
        return note(state, "work")

    runs.append(graph_with(work, on_cancel=None).start({}))
    result = await runs[0].result()
    kinds = [type(e).__name__ for e in runs[0].event_log]
    assert result.status == "killed"
    assert kinds[-2:] == ["StopRequested", "RunFinished"]
    assert kinds.count("StopRequested") == 1
