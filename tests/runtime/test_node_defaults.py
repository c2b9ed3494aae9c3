"""``StateGraph.set_node_defaults(...)`` (LangGraph 1.2): graph-wide retry, cache, error
handler and timeout for the nodes that set none of their own, applied by ``compile()``."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import START, CachePolicy, GraphError, InMemoryCache, RetryPolicy, StateGraph
from graphstage.errors import NodeError

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict):
    log: Annotated[list[str], operator.add]


async def test_defaults_apply_to_nodes_without_their_own_policy() -> None:
    calls: list[str] = []

    def flaky(state: S) -> dict[str, Any]:
        calls.append("flaky")
        raise ConnectionError("down")

    def own(state: S) -> dict[str, Any]:
        calls.append("own")
        raise ConnectionError("down")

    def fallback(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": [f"default handler: {error.node}"]}

    def mine(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": [f"own handler: {error.node}"]}

    b = StateGraph(S).set_node_defaults(
        retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.001, jitter=False),
        error_handler=fallback,
    )
    b.add_node("flaky", flaky)
    b.add_node("own", own, retry_policy=RetryPolicy(max_attempts=1), error_handler=mine)
    b.add_edge(START, "flaky").add_edge(START, "own")
    result = await b.compile().ainvoke({"log": []})
    assert result["log"] == ["default handler: flaky", "own handler: own"]
    assert calls.count("flaky") == 3 and calls.count("own") == 1


async def test_a_default_timeout_and_cache_policy() -> None:
    runs: list[int] = []

    async def slow(state: S) -> dict[str, Any]:
        runs.append(1)
        await asyncio.sleep(30)
        return {}

    async def quick(state: S) -> dict[str, Any]:
        runs.append(2)
        return {"log": ["quick"]}

    def timed_out(state: S, error: NodeError) -> dict[str, Any]:
        return {"log": [type(error.error).__name__]}

    b = StateGraph(S).set_node_defaults(timeout=0.02, cache_policy=CachePolicy())
    b.add_node("slow", slow, error_handler=timed_out).add_node("quick", quick)
    b.add_edge(START, "slow").add_edge(START, "quick")
    graph = b.compile(cache=InMemoryCache())
    assert sorted((await graph.ainvoke({"log": []}))["log"]) == ["NodeTimeoutError", "quick"]
    assert sorted((await graph.ainvoke({"log": []}))["log"]) == ["NodeTimeoutError", "quick"]
    assert runs.count(2) == 1  # quick's answer came from the cache the second time


def test_a_default_timeout_on_a_sync_node_does_not_compile() -> None:
    b = StateGraph(S).set_node_defaults(timeout=1.0).add_node("n", lambda s: {})
    with pytest.raises(GraphError, match="Node 'n' is sync"):
        b.add_edge(START, "n").compile()
