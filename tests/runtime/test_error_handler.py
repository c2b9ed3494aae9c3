"""``add_node(..., error_handler=fn)``, as LangGraph 1.2: a failed node's handler answers for
it in the same step; its update is published under ``__error_handler__<node>``, its goto
routes, the node's own edges are not followed; a Stop reaches the handler as the node."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import (
    END,
    START,
    Command,
    NodeCancelled,
    NodeFailed,
    NodeFinished,
    RetryPolicy,
    StateGraph,
    Transition,
)
from graphstage.errors import NodeError, NodeTimeoutError

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict):
    log: Annotated[list[str], operator.add]


def boom(state: S) -> dict[str, Any]:
    raise ValueError("boom")


def graph(handler: Any, node: Any = boom, **options: Any) -> Any:
    b = StateGraph(S)
    b.add_node("a", lambda s: {"log": ["a"]})
    b.add_node("b", node, error_handler=handler, **options)
    b.add_node("after_b", lambda s: {"log": ["after_b"]})
    b.add_node("rescue", lambda s: {"log": ["rescue"]})
    b.add_edge(START, "a").add_edge("a", "b").add_edge("b", "after_b").add_edge("after_b", END)
    return b.compile()


async def test_the_handlers_update_stands_for_the_node_and_its_edges_are_not_followed() -> None:
    def handler(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": [f"{error.node}: {error.error!r} after {state['log']}"]}

    run = graph(handler).start({"log": []})
    result = await run.result()
    assert result.status == "completed", result.error
    assert result.state["log"] == ["a", "b: ValueError('boom') after ['a']"]
    ends = [
        (type(e).__name__, e.node)
        for e in run.event_log
        if isinstance(e, NodeFinished | NodeFailed) and e.node != "a"
    ]
    assert ends == [("NodeFailed", "b"), ("NodeFinished", "__error_handler__b")]
    chunks = [c async for c in graph(handler).astream({"log": []}, stream_mode="updates")]
    assert chunks == [
        {"a": {"log": ["a"]}},
        {"__error_handler__b": {"log": ["b: ValueError('boom') after ['a']"]}},
    ]


async def test_the_handlers_command_routes_the_run() -> None:
    async def handler(state: S, error: NodeError) -> Command[Any]:
        return Command(goto="rescue", update={"log": ["handled"]})

    run = graph(handler).start({"log": []})
    result = await run.result()
    assert result.state["log"] == ["a", "handled", "rescue"]
    moves = [(e.src, e.dst, e.reason) for e in run.event_log if isinstance(e, Transition)]
    assert ("b", "rescue", "command") in moves
    assert ("b", "after_b", "edge") not in moves


async def test_the_handler_hears_the_last_error_after_the_retries_and_timeouts() -> None:
    attempts = []

    async def slow(state: S) -> dict[str, Any]:
        attempts.append(len(attempts))
        await asyncio.sleep(10)
        return {}

    def handler(state: S, error: NodeError) -> dict[str, Any]:
        assert isinstance(error.error, NodeTimeoutError)
        return {"log": [f"gave up after {len(attempts)}"]}

    retry = RetryPolicy(max_attempts=3, initial_interval=0.001, jitter=False)
    g = graph(handler, slow, timeout=0.02, retry_policy=retry)
    assert (await g.ainvoke({"log": []}))["log"] == ["a", "gave up after 3"]


async def test_a_handler_that_raises_fails_the_run_with_its_error() -> None:
    def handler(state: S, error: NodeError) -> dict[str, Any]:
        raise KeyError("handler broke")

    with pytest.raises(KeyError, match="handler broke"):
        await graph(handler).ainvoke({"log": []})


async def test_an_async_handler_of_a_sync_node_and_a_sync_one_of_an_async_node() -> None:
    async def async_boom(state: S) -> dict[str, Any]:
        raise ValueError("boom")

    async def async_handler(state: S, error: NodeError) -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"log": ["async handler"]}

    def sync_handler(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": ["sync handler"]}

    assert (await graph(async_handler).ainvoke({"log": []}))["log"] == ["a", "async handler"]
    got = await graph(sync_handler, async_boom).ainvoke({"log": []})
    assert got["log"] == ["a", "sync handler"]


async def test_a_stop_reaches_a_running_handler_as_the_nodes_cancel(wait_until: Any) -> None:
    started = asyncio.Event()

    async def async_boom(state: S) -> dict[str, Any]:
        raise ValueError("boom")

    async def handler(state: S, error: NodeError) -> dict[str, Any]:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="rescue", update={"log": ["handler stopped"]})
        return {}

    run = graph(handler, async_boom).start({"log": []})
    await asyncio.wait_for(started.wait(), 5)
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.state["log"] == ["a", "handler stopped", "rescue"]
    assert not [e for e in run.event_log if isinstance(e, NodeCancelled)]


async def test_nodes_without_a_handler_get_none_for_an_error_parameter() -> None:
    seen = []

    def node(state: S, error: NodeError) -> dict[str, Any]:
        seen.append(error)
        return {}

    await StateGraph(S).add_node("n", node).add_edge(START, "n").compile().ainvoke({"log": []})
    assert seen == [None]


async def test_a_subgraph_nodes_failure_is_answered_by_its_handler() -> None:
    inner = StateGraph(S).add_node("deep", boom).add_edge(START, "deep").compile(name="inner")

    def handler(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": [f"{error.node}: {error.error}"]}

    b = StateGraph(S).add_node("sub", inner, error_handler=handler).add_edge(START, "sub")
    g = b.compile()
    assert await g.ainvoke({"log": []}) == {"log": ["sub: boom"]}
    assert [name for name, _ in g.get_subgraphs()] == ["sub"]  # still known as a subgraph
