"""The user's story from seed-scenario.md, three ways: run.stop(), outer task.cancel() of
the task iterating astream, and a cancelled ainvoke. Each time cleanup_stage runs."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from graphstage import RunFinished, StopRequested, Transition

pytestmark = pytest.mark.anyio

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "stop_and_cleanup.py"


@pytest.fixture
def example():
    spec = importlib.util.spec_from_file_location("stop_and_cleanup_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def wait_for_output(run, text: str) -> None:
    async for event in run.events():
        if getattr(event, "data", None) == text:
            return


async def test_run_stop_sends_work_stage_to_cleanup_stage(example):
    run = example.graph.start({"sleep_seconds": 30})
    await asyncio.wait_for(wait_for_output(run, "working: 1/30 s"), 5)
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)

    assert result.status == "cancelled"
    assert result.state.result == "cleanup"
    assert result.path == ("work_stage", "cleanup_stage")
    kinds = [type(e).__name__ for e in run.event_log]
    assert kinds == [
        "RunStarted",
        "Transition",
        "NodeStarted",
        "CustomOutput",
        "StopRequested",
        "CustomOutput",
        "NodeFinished",
        "StateUpdated",
        "Transition",
        "NodeStarted",
        "CustomOutput",
        "NodeFinished",
        "StateUpdated",
        "Transition",
        "RunFinished",
    ]
    transitions = [
        (e.src, e.dst, e.reason, e.after_stop) for e in run.event_log if isinstance(e, Transition)
    ]
    assert transitions == [
        ("__start__", "work_stage", "edge", False),
        ("work_stage", "cleanup_stage", "command", True),
        ("cleanup_stage", "__end__", "edge", True),
    ]
    outputs = [e.data for e in run.event_log if type(e).__name__ == "CustomOutput"]
    assert outputs[1:] == ["cancellation detected", "releasing resources"]
    assert [e.seq for e in run.event_log] == list(range(len(run.event_log)))


async def test_cancelling_the_task_that_iterates_astream_runs_cleanup_then_raises(
    example, wait_until
):
    chunks: list[object] = []
    runs: list[Any] = []
    start = example.graph.start

    def recording_start(*args: Any, **kwargs: Any) -> Any:
        runs.append(start(*args, **kwargs))
        return runs[-1]

    example.graph.start = recording_start  # astream starts its run through it

    async def consume() -> None:
        async for chunk in example.graph.astream(
            input={"sleep_seconds": 30}, stream_mode=["custom"]
        ):
            chunks.append(chunk)

    task = asyncio.create_task(consume())
    await wait_until(lambda: chunks)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    assert chunks[0] == ("custom", "working: 1/30 s")
    assert task.cancelled()
    [run] = runs
    assert run.done  # settled before the CancelledError reached the caller
    result = await run.result()
    assert (result.status, result.state.result) == ("cancelled", "cleanup")
    assert result.path == ("work_stage", "cleanup_stage")


async def test_outer_cancel_lets_cleanup_finish_before_cancelled_error_reaches_caller(example):
    """The caller sees CancelledError only after cleanup_stage has returned."""
    order: list[str] = []
    original = example.graph.nodes["cleanup_stage"].fn

    async def recording_cleanup(state, writer):
        await asyncio.sleep(0.2)  # cleanup that takes a while: the caller must wait for it
        order.append("cleanup finished")
        return await original(state, writer)

    example.graph.nodes["cleanup_stage"].fn = recording_cleanup
    started = asyncio.Event()

    async def consume() -> None:
        async for _mode, _chunk in example.graph.astream(
            {"sleep_seconds": 30}, stream_mode=["custom"]
        ):
            started.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        order.append("caller got CancelledError")
    assert order == ["cleanup finished", "caller got CancelledError"]


async def test_cancelled_ainvoke_runs_cleanup_and_records_final_state(example, wait_until):
    runs = []
    original_start = example.graph.start

    def spy_start(*args, **kwargs):
        run = original_start(*args, **kwargs)
        # watched: ainvoke's own run, which nobody else can read, keeps no events unless
        # a journal or a watcher takes them
        run.watch_subgraphs(lambda namespace, event: None)
        runs.append(run)
        return run

    example.graph.start = spy_start
    task = asyncio.create_task(example.graph.ainvoke({"sleep_seconds": 30}))
    await wait_until(
        lambda: runs and any(type(e).__name__ == "CustomOutput" for e in runs[0].event_log)
    )
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    result = await runs[0].result()
    assert result.status == "cancelled"
    assert result.state.result == "cleanup"
    stop = next(e for e in runs[0].event_log if isinstance(e, StopRequested))
    assert (stop.mode, stop.reason, stop.nodes) == ("graceful", "outer cancel", ("work_stage",))
    finished = runs[0].event_log[-1]
    assert isinstance(finished, RunFinished) and finished.values.result == "cleanup"


async def test_without_a_stop_the_story_completes_with_done(example):
    state = await example.graph.ainvoke({"sleep_seconds": 1})
    assert state == {"sleep_seconds": 1, "result": "done"}
