"""A generator function as a node: LangGraph runs it (langchain-core's ``RunnableLambda``)
and takes the last update it yields; graphstage does the same, sync (in its worker thread)
or async (on the loop, where a stop reaches it). Before, graphstage failed the run with
``InvalidUpdateError: Expected dict, got <generator object ...>``."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, Command, StateGraph

pytest.importorskip("langgraph", reason="the comparison needs pip install -e '.[bench]'")
from langgraph.graph import StateGraph as LGStateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict, total=False):
    x: int
    log: Annotated[list[str], operator.add]


def sync_gen(state: S) -> Any:
    yield {"x": 1, "log": ["first"]}
    yield {"x": 2, "log": ["last"]}


async def async_gen(state: S) -> Any:
    yield {"x": 1, "log": ["first"]}
    await asyncio.sleep(0)
    yield {"x": 2, "log": ["last"]}


def yields_nothing(state: S) -> Any:
    yield from ()


def with_config(state: S, config: Any) -> Any:
    yield {"log": [str(config["metadata"]["langgraph_node"])]}


def build(engine: str, fn: Any) -> Any:
    b = (StateGraph if engine == "graphstage" else LGStateGraph)(S)
    b.add_node("a", fn)
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b.compile()


@pytest.mark.parametrize(
    "fn", [sync_gen, async_gen, yields_nothing, with_config], ids=lambda f: f.__name__
)
async def test_a_generator_node_answers_with_its_last_chunk_as_langgraphs(fn: Any) -> None:
    results = []
    for engine in ("graphstage", "langgraph"):
        g = build(engine, fn)
        final = await asyncio.wait_for(g.ainvoke({"x": 0, "log": []}), 10)
        updates = [u async for u in g.astream({"x": 0, "log": []}, stream_mode="updates")]
        results.append((final, updates))
    assert results[0] == results[1]


async def test_a_stop_reaches_an_async_generator_node_at_its_await() -> None:
    entered = asyncio.Event()

    async def waits(state: S) -> Any:
        yield {"log": ["started"]}
        entered.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            yield Command(goto="cleanup", update={"log": ["stopped"]})
            return
        yield {"log": ["never"]}

    b = StateGraph(S)
    b.add_node("a", waits, destinations=("cleanup",))
    b.add_node("cleanup", lambda s: {"log": ["cleanup"]})
    b.add_edge(START, "a")
    run = b.compile().start({"x": 0, "log": []})
    await asyncio.wait_for(entered.wait(), 10)
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert (result.status, result.state["log"]) == ("cancelled", ["stopped", "cleanup"])
