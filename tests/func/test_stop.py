"""A stop reaches an entrypoint's running tasks and the entrypoint as a Cancel it can
answer (graphstage's difference from LangGraph, whose functional API has no stop)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from graphstage import Journal
from graphstage.func import entrypoint, task

pytestmark = pytest.mark.anyio


@pytest.mark.timeout(30)
async def test_a_stop_reaches_the_running_task_and_the_entrypoint_runs_its_cleanup_task(
    tmp_path,
):
    log: list[str] = []
    started = asyncio.Event()

    @task
    async def slow_task(x: int) -> int:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            log.append("slow_task cancelled")
            raise
        return x

    @task
    async def cleanup_task(x: int) -> str:
        log.append(f"cleanup {x}")
        return "cleaned"

    journal = Journal(tmp_path / "runs.db")

    @entrypoint(journal=journal)
    async def workflow(x: int) -> dict:
        try:
            return {"value": await slow_task(x)}
        except asyncio.CancelledError:
            log.append("workflow cancelled")
            return {"cleanup": await cleanup_task(x)}

    run = workflow.start(5)
    await asyncio.wait_for(started.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "cancelled"
    assert result.state["output"] == {"cleanup": "cleaned"}
    assert log == ["slow_task cancelled", "workflow cancelled", "cleanup 5"]
    record = journal.run(result.run_id)
    assert record.status == "cancelled"
    assert record.values["output"] == {"cleanup": "cleaned"}
    kinds = [type(e).__name__ for e in journal.events(result.run_id)]
    assert kinds == [
        "RunStarted",
        "Transition",
        "NodeStarted",
        "StopRequested",
        "CustomOutput",  # cleanup_task's result
        "NodeFinished",
        "StateUpdated",
        "RunFinished",
    ]


@pytest.mark.timeout(30)
async def test_a_sync_entrypoint_sees_the_stop_at_result_and_its_cleanup_runs():
    log: list[str] = []
    entered, release = threading.Event(), threading.Event()

    @task
    def slow_task(x: int) -> int:
        entered.set()
        release.wait(20)  # a thread cannot be interrupted: it runs to its end
        log.append("slow_task done")
        return x

    @task
    def cleanup_task(x: int) -> str:
        log.append(f"cleanup {x}")
        return "cleaned"

    @entrypoint()
    def workflow(x: int) -> dict:
        try:
            return {"value": slow_task(x).result()}
        except asyncio.CancelledError:
            log.append("workflow cancelled")
            answer = {"cleanup": cleanup_task(x).result()}
            release.set()
            return answer

    run = workflow.start(3)
    assert await asyncio.to_thread(entered.wait, 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "cancelled"
    assert result.state["output"] == {"cleanup": "cleaned"}
    # the run ends only once the stopped task's thread has returned
    assert log == ["workflow cancelled", "cleanup 3", "slow_task done"]


@pytest.mark.timeout(30)
async def test_an_entrypoint_that_does_not_catch_the_stop_ends_cancelled_without_output():
    started = asyncio.Event()
    cancelled: list[str] = []

    @task
    async def slow_task(x: int) -> int:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append("slow")
            raise
        return x

    @task
    async def other(x: int) -> int:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append("other")
            raise
        return x

    @entrypoint()
    async def workflow(x: int) -> int:
        side = other(x)  # running beside, never awaited before the stop
        return await slow_task(x) + await side

    run = workflow.start(1)
    await asyncio.wait_for(started.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "cancelled"
    assert "output" not in result.state
    assert sorted(cancelled) == ["other", "slow"]


@pytest.mark.timeout(30)
async def test_an_entrypoint_that_swallows_the_stop_is_killed_after_the_grace():
    started = asyncio.Event()

    @task
    async def slow_task(x: int) -> int:
        started.set()
        await asyncio.sleep(60)
        return x

    @entrypoint(cancel_grace=0.2)
    async def stubborn(x: int) -> int:
        try:
            return await slow_task(x)
        except asyncio.CancelledError:
            return await slow_task(x)  # ignores the stop: the kill ends it

    run = stubborn.start(1)
    await asyncio.wait_for(started.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "killed"
    assert "cancel_grace=0.2s" in str(result.error)


@pytest.mark.timeout(30)
async def test_stop_thread_reaches_a_task_waiting_at_interrupt_and_the_cleanup_runs():
    from graphstage import InMemorySaver, interrupt

    @task
    def ask(question: str) -> str:
        return interrupt(question)

    @task
    def cleanup_task(x: int) -> str:
        return f"cleaned {x}"

    @entrypoint(checkpointer=InMemorySaver())
    def workflow(x: int) -> dict:
        try:
            return {"answer": ask(f"q{x}").result()}
        except asyncio.CancelledError:  # the stop reached ask's interrupt()
            return {"cleanup": cleanup_task(x).result()}

    config = {"configurable": {"thread_id": "waiting"}}
    paused = await workflow.ainvoke(1, config)
    assert [i.value for i in paused["__interrupt__"]] == ["q1"]
    result = await asyncio.wait_for(workflow.stop_thread(config).result(), 20)
    assert result.status == "cancelled"
    assert workflow.get_state(config).values == {"cleanup": "cleaned 1"}
    assert workflow.get_state(config).next == ()


@pytest.mark.timeout(30)
async def test_a_stop_of_a_graph_reaches_an_entrypoint_run_as_its_node():
    from typing import TypedDict

    from graphstage import END, START, StateGraph

    class State(TypedDict, total=False):
        x: int
        y: str

    started = asyncio.Event()

    @task
    async def slow_task(x: int) -> int:
        started.set()
        await asyncio.sleep(60)
        return x

    @task
    async def cleanup_task(x: int) -> str:
        return f"cleaned {x}"

    @entrypoint()
    async def worker(state: dict) -> dict:
        try:
            return {"y": str(await slow_task(state["x"]))}
        except asyncio.CancelledError:
            return {"y": await cleanup_task(state["x"])}

    builder = StateGraph(State)
    builder.add_node("worker", worker)
    builder.add_edge(START, "worker")
    builder.add_edge("worker", END)
    run = builder.compile().start({"x": 2})
    await asyncio.wait_for(started.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "cancelled"
    assert result.state == {"x": 2, "y": "cleaned 2"}


@pytest.mark.timeout(30)
async def test_a_stop_reaches_a_sync_graph_node_waiting_at_a_task_result():
    from typing import TypedDict

    from graphstage import END, START, StateGraph

    class State(TypedDict, total=False):
        x: int
        y: str

    entered, release = threading.Event(), threading.Event()

    @task
    def slow_task(x: int) -> int:
        entered.set()
        release.wait(20)
        return x

    def node(state: State) -> dict:
        try:
            return {"y": str(slow_task(state["x"]).result())}
        except asyncio.CancelledError:  # the stop woke .result()
            return {"y": "stopped"}

    builder = StateGraph(State)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    builder.add_edge("node", END)
    run = builder.compile().start({"x": 1})
    assert await asyncio.to_thread(entered.wait, 10)
    run.stop()
    try:
        result = await asyncio.wait_for(run.result(), 20)
    finally:
        release.set()
    assert result.status == "cancelled"
    assert result.state == {"x": 1, "y": "stopped"}
