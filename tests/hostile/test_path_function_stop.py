"""A stop while an async path function hangs: the supervisor awaits that function (it is
user code that decides where the run goes), so it reads the stop only once the function
returns. One that has not returned ``cancel_grace`` seconds after a graceful stop is
cancelled and the run ends ``killed``, as a node that does not answer its Cancel is;
before, ``stop()`` left such a run waiting forever (only ``kill()`` ended it). LangGraph
runs the path function in the node's task, which its cancellation reaches at once."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest

from graphstage import END, START, RunFinished, StateGraph, StopRequested

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict, total=False):
    x: Any


async def test_a_stop_while_an_async_path_function_hangs_ends_the_run_after_the_grace() -> None:
    entered = asyncio.Event()

    async def route(state: S) -> str:
        entered.set()
        await asyncio.sleep(3600)
        return END

    b = StateGraph(S)
    b.add_node("a", lambda s: {"x": 1})
    b.add_edge(START, "a")
    b.add_conditional_edges("a", route, [END])
    run = b.compile(cancel_grace=0.2).start({})
    await asyncio.wait_for(entered.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "killed"
    assert result.state == {"x": 1}
    stops = [e for e in run.event_log if isinstance(e, StopRequested)]
    # the supervisor never read the graceful stop (it awaited the path function): the
    # kill that ended the run says why
    assert [s.mode for s in stops] == ["kill"]
    assert "did not return within cancel_grace=0.2s" in stops[-1].reason
    assert isinstance(run.event_log[-1], RunFinished)


async def test_a_path_function_that_returns_within_the_grace_is_waited_for() -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def route(state: S) -> str:
        entered.set()
        await release.wait()
        return END

    b = StateGraph(S)
    b.add_node("a", lambda s: {"x": 1})
    b.add_edge(START, "a")
    b.add_conditional_edges("a", route, [END])
    run = b.compile(cancel_grace=5.0).start({})
    await asyncio.wait_for(entered.wait(), 10)
    run.stop()
    release.set()
    result = await asyncio.wait_for(run.result(), 10)
    assert (result.status, result.state) == ("completed", {"x": 1})  # it routed to END
    assert [e.mode for e in run.event_log if isinstance(e, StopRequested)] == []


async def test_interrupt_in_a_path_function_fails_the_run_saying_where_it_may_be_called() -> None:
    """LangGraph runs a path function in its node's task, so ``interrupt()`` there pauses
    the node; graphstage's path functions run outside the node: the run fails naming that
    (a gap, in README's Known limits), not with a bare 'outside a node'."""
    from graphstage import InMemorySaver, interrupt

    def route(state: S) -> str:
        interrupt("which way?")
        return END

    b = StateGraph(S)
    b.add_node("a", lambda s: {"x": 1})
    b.add_edge(START, "a")
    b.add_conditional_edges("a", route, [END])
    graph = b.compile(checkpointer=InMemorySaver())
    with pytest.raises(RuntimeError, match="a conditional edge's path function is outside"):
        await asyncio.wait_for(graph.ainvoke({}, {"configurable": {"thread_id": "t"}}), 10)
