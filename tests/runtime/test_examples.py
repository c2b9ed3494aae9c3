"""The bundled examples run, and stop, as their docstrings say."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest

from graphstage import CustomOutput, StopRequested, Transition

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.graph


async def started(run, node: str) -> None:
    async for event in run.events():
        if type(event).__name__ == "NodeStarted" and event.node == node:
            return


async def output(run, text: str) -> None:
    async for event in run.events():
        if getattr(event, "data", None) == text:
            return


async def test_research_fan_out_publishes_after_its_review_rounds():
    graph = load("research_fan_out")
    for name in ("search_web", "search_papers"):  # make the searches instant

        async def instant(state, writer, name=name):
            return {"findings": [name]}

        graph.nodes[name].fn = instant
    run = graph.start({"rounds": 2})
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "completed"
    assert result.path == (
        "plan",
        "search_web",
        "search_papers",
        "merge",
        "plan",
        "search_web",
        "search_papers",
        "merge",
        "publish",
    )
    # a step's updates merge in LangGraph's order (by node name), not in start order
    assert result.state.summary == "search_papers; search_web; search_papers; search_web"


async def test_stopping_both_searches_runs_save_partial_once():
    graph = load("research_fan_out")
    run = graph.start({"rounds": 3})
    await asyncio.wait_for(started(run, "search_papers"), 5)
    run.stop()  # a stop before a node's first line reaches it at its first await
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "cancelled"
    assert result.path == ("plan", "search_web", "search_papers", "save_partial")
    assert result.state.summary == "partial: nothing yet"
    routes = sorted(
        (e.src, e.dst, e.reason)
        for e in run.event_log
        if isinstance(e, Transition) and e.after_stop and e.dst == "save_partial"
    )
    assert routes == [
        ("search_papers", "save_partial", "command"),
        ("search_web", "save_partial", "command"),
    ]


async def test_save_partial_keeps_what_the_searches_found_before_the_stop():
    graph = load("research_fan_out")
    run = graph.start({"rounds": 3})

    async def first_web_result() -> None:
        async for event in run.events():
            if isinstance(event, CustomOutput) and event.data == "web: result 1/3":
                return

    await asyncio.wait_for(first_web_result(), 5)
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "cancelled"
    assert result.path[-1] == "save_partial" and result.path.count("save_partial") == 1
    assert "web r1 result 1" in result.state.findings
    assert result.state.summary.startswith("partial: ")
    assert "web r1 result 1" in result.state.summary


async def test_the_batch_job_answers_a_stop_from_its_worker_thread():
    graph = load("batch_job")
    run = graph.start({"batches": 3, "batch_size": 50})
    await asyncio.wait_for(output(run, "item 1 done"), 5)  # the thread is at work
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "cancelled"
    assert result.path == ("process_batch", "write_checkpoint")
    assert 0 < result.state.done < 50
    assert result.state.checkpoint == f"resume at item {result.state.done}"


async def test_the_batch_job_drains_the_active_batch_then_checkpoints():
    graph = load("batch_job")
    run = graph.start({"batches": 3, "batch_size": 3})
    await asyncio.wait_for(started(run, "process_batch"), 5)
    run.stop(drain=True)
    result = await asyncio.wait_for(run.result(), 5)
    assert [e.mode for e in run.event_log if isinstance(e, StopRequested)] == ["drain"]
    assert (result.state.done, result.path) == (3, ("process_batch", "write_checkpoint"))
