"""LangChain's runnable surface on a compiled graph: batch / abatch, clear_cache
(astream_events: tests/langchain/test_astream_events.py)."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest

from graphstage import START, StateGraph

pytestmark = pytest.mark.timeout(30)


class S(TypedDict):
    x: int


def graph(node: Any) -> Any:
    return StateGraph(S).add_node("n", node).add_edge(START, "n").compile()


def test_batch_runs_each_input_with_its_config() -> None:
    def node(state: S, config: dict[str, Any]) -> dict[str, Any]:
        return {"x": state["x"] * config["configurable"]["factor"]}

    configs = [{"configurable": {"factor": f}} for f in (10, 100)]
    assert graph(node).batch([{"x": 1}, {"x": 2}], configs) == [{"x": 10}, {"x": 200}]


@pytest.mark.anyio
async def test_abatch_runs_the_inputs_concurrently_up_to_max_concurrency() -> None:
    running: list[int] = []
    peak: list[int] = []

    async def node(state: S) -> dict[str, Any]:
        running.append(1)
        peak.append(len(running))
        await asyncio.sleep(0.01)
        running.pop()
        return {"x": state["x"] + 1}

    g = graph(node)
    assert await g.abatch([{"x": i} for i in range(4)]) == [{"x": i + 1} for i in range(4)]
    assert max(peak) == 4
    peak.clear()
    await g.abatch([{"x": i} for i in range(4)], {"max_concurrency": 2})
    assert max(peak) == 2
