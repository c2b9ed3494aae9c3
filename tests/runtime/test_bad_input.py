"""Bad input always gets a clear error that names the problem, and nothing is lost."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import BaseModel, Field, ValidationError

from graphstage import (
    START,
    Command,
    InvalidUpdateError,
    NodeFailed,
    RunFinished,
    StateGraph,
    UnknownNodeError,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


class State(BaseModel):
    sleep_seconds: int = Field(1, gt=0)
    result: str | None = None


def builder_with(*names: str) -> StateGraph:
    builder = StateGraph(State)
    for name in names:
        builder.add_node(name, lambda s: None)
    return builder


async def test_input_failing_the_state_model_raises_before_any_node_runs():
    ran: list[str] = []
    builder = StateGraph(State)
    builder.add_node("work", lambda s: ran.append("work"))
    builder.add_edge(START, "work")
    graph = builder.compile()
    with pytest.raises(ValidationError, match="sleep_seconds"):
        graph.start({"sleep_seconds": 0})
    with pytest.raises(ValidationError):
        await graph.ainvoke({"sleep_seconds": "soon"})
    with pytest.raises(ValidationError):
        [c async for c in graph.astream({"sleep_seconds": -1})]
    assert ran == []


async def test_goto_an_unknown_node_fails_naming_it_and_the_known_nodes():
    builder = builder_with("cleanup")
    builder.add_node("work", lambda s: Command(goto="clean_up"))
    builder.add_edge(START, "work")
    result = await builder.compile().start({}).result()
    assert result.status == "failed"
    assert isinstance(result.error, UnknownNodeError)
    assert str(result.error) == "goto 'clean_up': no such node; known nodes: cleanup, work"


async def test_a_node_that_raises_fails_the_run_and_keeps_the_exception_and_events():
    boom = ValueError("disk on fire")

    async def work(state: State):
        raise boom

    builder = StateGraph(State)
    builder.add_node("work", work)
    builder.add_edge(START, "work")
    graph = builder.compile()
    run = graph.start({})
    result = await run.result()
    assert (result.status, result.error) == ("failed", boom)
    failed = [e for e in run.event_log if isinstance(e, NodeFailed)]
    assert [(e.node, e.error_type, e.error) for e in failed] == [
        ("work", "ValueError", "disk on fire")
    ]
    assert isinstance(run.event_log[-1], RunFinished)
    assert run.event_log[-1].error == "ValueError: disk on fire"
    with pytest.raises(ValueError, match="disk on fire"):
        await graph.ainvoke({})


async def test_an_update_failing_validation_fails_the_run_naming_node_and_field():
    builder = StateGraph(State)
    builder.add_node("work", lambda s: {"sleep_seconds": -5})
    builder.add_edge(START, "work")
    result = await builder.compile().start({}).result()
    assert result.status == "failed"
    assert isinstance(result.error, InvalidUpdateError)
    assert "node 'work' set field 'sleep_seconds' to -5" in str(result.error)
    assert result.state.sleep_seconds == 1  # the last good state is kept


async def test_an_update_to_an_unknown_field_fails_the_run():
    builder = StateGraph(State)
    builder.add_node("work", lambda s: {"reslt": "typo"})
    builder.add_edge(START, "work")
    result = await builder.compile().start({}).result()
    assert "unknown field(s) 'reslt'" in str(result.error)


async def test_a_node_returning_something_odd_fails_the_run():
    builder = StateGraph(State)
    builder.add_node("work", lambda s: 42)
    builder.add_edge(START, "work")
    result = await builder.compile().start({}).result()
    message = str(result.error)
    assert message.startswith("Expected dict, got 42: node 'work' returned int 42; a node ")
    assert message.endswith("/errors/INVALID_GRAPH_NODE_RETURN_VALUE")


async def test_a_failing_fan_out_branch_cancels_its_siblings():
    async def slow(state: State):
        await asyncio.sleep(30)

    async def bad(state: State):
        raise RuntimeError("bad branch")

    builder = StateGraph(State)
    builder.add_node("slow", slow)
    builder.add_node("bad", bad)
    builder.add_edge(START, "slow")
    builder.add_edge(START, "bad")
    run = builder.compile().start({})
    result = await asyncio.wait_for(run.result(), 2)
    assert result.status == "failed"
    assert [type(e).__name__ for e in run.event_log[-3:]] == [
        "NodeFailed",
        "NodeCancelled",
        "RunFinished",
    ]


async def test_a_conditional_edge_that_raises_fails_the_run_with_its_own_exception():
    def route(state: State) -> str:
        raise KeyError("no such branch")

    builder = StateGraph(State)
    builder.add_node("work", lambda s: None)
    builder.add_edge(START, "work")
    builder.add_conditional_edges("work", route)
    result = await builder.compile().start({}).result()
    assert result.status == "failed"
    assert isinstance(result.error, KeyError)
    assert "raised by the conditional edge from 'work'" in result.error.__notes__


async def test_a_failing_branch_cancels_its_running_sibling_before_the_run_settles():
    """A failed step's sibling still running is cancelled, not left running: its own
    except-CancelledError has run by the time the result is there (told at once by the
    failure, or at the latest by the run's end, which cancels every node task left)."""
    seen: list[str] = []
    started = asyncio.Event()

    async def slow(state: State):
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            seen.append("slow cancelled")
            raise

    async def bad(state: State):
        await started.wait()
        raise RuntimeError("bad branch")

    builder = StateGraph(State)
    builder.add_node("slow", slow)
    builder.add_node("bad", bad)
    builder.add_edge(START, "slow")
    builder.add_edge(START, "bad")
    result = await asyncio.wait_for(builder.compile().start({}).result(), 5)
    assert result.status == "failed"
    assert seen == ["slow cancelled"]
