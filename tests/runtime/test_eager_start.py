"""A node's task starts eagerly on every Python (``graphstage._eager.start_task``): it runs
on the supervisor's stack up to its first real wait, yet it is a task of its own from its
first line, so what a node enters before awaiting (``asyncio.timeout``, anyio's cancel
scopes) belongs to the node, and a stop still reaches only the node."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import anyio
import pytest

from graphstage import END, START, Command, StateGraph
from graphstage._eager import start_task

pytestmark = pytest.mark.anyio


class Log(TypedDict):
    log: list[str]


async def test_a_coroutine_that_returns_at_once_has_finished_when_start_task_returns() -> None:
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    seen: list[object] = []

    async def body() -> None:
        seen.append(asyncio.current_task())

    task = start_task(loop, body(), "eager")
    assert task.done() and task.result() is None
    assert seen == [task]  # it ran as its own task, on this stack
    assert asyncio.current_task() is me  # and the caller is the current task again


async def test_a_coroutine_that_waits_goes_on_in_its_task_and_can_be_cancelled() -> None:
    loop = asyncio.get_running_loop()
    steps: list[str] = []

    async def body() -> None:
        steps.append("first")
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            steps.append("cancelled")
            raise

    task = start_task(loop, body(), "eager")
    assert steps == ["first"] and not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    assert steps == ["first", "cancelled"]


@pytest.mark.timeout(30)
async def test_a_node_is_its_own_task_from_its_first_line() -> None:
    tasks: list[asyncio.Task[object] | None] = []

    async def node(state: Log) -> dict[str, list[str]]:
        tasks.append(asyncio.current_task())
        await asyncio.sleep(0)
        tasks.append(asyncio.current_task())
        return {"log": ["node"]}

    builder = StateGraph(Log)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    builder.add_edge("node", END)
    run = builder.compile().start({"log": []})
    supervisor_task = run._supervisor.task  # type: ignore[union-attr]
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "completed"
    assert tasks[0] is tasks[1] is not None
    assert tasks[0] is not supervisor_task


@pytest.mark.timeout(30)
async def test_scopes_a_node_enters_before_awaiting_are_the_nodes() -> None:
    """``asyncio.timeout`` and ``anyio.fail_after`` entered in the first step time out the
    node (which catches it and goes on), not the run's supervisor."""
    caught: list[str] = []

    async def timed(state: Log) -> dict[str, list[str]]:
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(30)
        except TimeoutError:
            caught.append("asyncio")
        try:
            with anyio.fail_after(0.01):
                await anyio.sleep(30)
        except TimeoutError:
            caught.append("anyio")
        return {"log": ["timed"]}

    async def after(state: Log) -> dict[str, list[str]]:
        return {"log": [*state["log"], "after"]}

    builder = StateGraph(Log)
    builder.add_node("timed", timed)
    builder.add_node("after", after)
    builder.add_edge(START, "timed")
    builder.add_edge("timed", "after")
    builder.add_edge("after", END)
    result = await asyncio.wait_for(builder.compile().start({"log": []}).result(), 20)
    assert (result.status, result.state["log"], caught) == (
        "completed",
        ["timed", "after"],
        ["asyncio", "anyio"],
    )


@pytest.mark.timeout(30)
async def test_a_stop_reaches_a_node_waiting_inside_a_scope_it_entered_eagerly() -> None:
    waiting = asyncio.Event()

    async def work(state: Log) -> Command[str]:
        try:
            with anyio.fail_after(60):
                waiting.set()
                await anyio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update={"log": ["work cancelled"]})
        return Command(goto=END)

    async def cleanup(state: Log) -> dict[str, list[str]]:
        return {"log": [*state["log"], "cleanup"]}

    builder = StateGraph(Log)
    builder.add_node("work", work)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "work")
    run = builder.compile().start({"log": []})
    await asyncio.wait_for(waiting.wait(), 20)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "cancelled"
    assert result.state["log"] == ["work cancelled", "cleanup"]


class _NoShadowLoop(asyncio.SelectorEventLoop):
    """A loop whose ``call_soon`` cannot be shadowed (as uvloop's, an extension type)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "call_soon":
            raise AttributeError(name)
        super().__setattr__(name, value)


def test_a_loop_whose_call_soon_cannot_be_shadowed_still_runs_nodes_in_their_tasks() -> None:
    """On 3.11, start_task falls back to an ordinary task there (3.12+ never shadows)."""
    seen: list[bool] = []

    async def node(state: Log) -> dict[str, list[str]]:
        seen.append(asyncio.current_task() is not supervisor[0])
        await asyncio.sleep(0)
        return {"log": [*state["log"], "node"]}

    supervisor: list[object] = []
    builder = StateGraph(Log)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    builder.add_edge("node", END)
    graph = builder.compile()

    async def main() -> object:
        run = graph.start({"log": []})
        supervisor.append(run._supervisor.task)  # type: ignore[union-attr]
        return await asyncio.wait_for(run.result(), 20)

    loop = _NoShadowLoop()
    try:
        result = loop.run_until_complete(main())
    finally:
        loop.close()
    assert (result.status, result.state["log"], seen) == ("completed", ["node"], [True])  # type: ignore[attr-defined]


@pytest.mark.timeout(30)
async def test_a_stop_a_node_asks_for_before_returning_at_once_comes_before_its_answer() -> None:
    """A node that answers on the supervisor's stack hands its answer over directly, but
    only while nothing is waiting in the inbox: a stop it asked for first is handled first
    (the answer counts as finished before the stop reached it: its on_cancel route)."""
    runs: list[object] = []

    async def a(state: Log) -> dict[str, list[str]]:
        runs[0].stop()  # type: ignore[attr-defined]
        return {"log": [*state["log"], "a"]}

    async def b(state: Log) -> dict[str, list[str]]:
        return {"log": [*state["log"], "b"]}

    async def cleanup(state: Log) -> dict[str, list[str]]:
        return {"log": [*state["log"], "cleanup"]}

    builder = StateGraph(Log)
    builder.add_node("a", a, on_cancel="cleanup")
    builder.add_node("b", b)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", END)
    run = builder.compile().start({"log": []})
    runs.append(run)
    result = await asyncio.wait_for(run.result(), 20)
    assert (result.status, result.state["log"]) == ("cancelled", ["a", "cleanup"])
    kinds = [e.kind for e in run.event_log if e.kind != "transition"]
    assert kinds == [
        "run_started",
        "node_started",
        "stop_requested",
        "node_finished",
        "state_updated",
        "node_started",
        "node_finished",
        "state_updated",
        "run_finished",
    ]
