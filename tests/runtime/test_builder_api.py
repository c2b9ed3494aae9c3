"""The builder as LangGraph users write it: chaining, implied edges from annotations,
deferred nodes, retry and cache policies, and the run's Runtime context."""

from __future__ import annotations

import asyncio
import operator
from dataclasses import dataclass
from typing import Annotated, Literal

import pytest
from typing_extensions import TypedDict

from graphstage import (
    END,
    START,
    CachePolicy,
    Command,
    GraphEdge,
    InMemoryCache,
    RetryPolicy,
    Runtime,
    StateGraph,
    get_runtime,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


class Log(TypedDict):
    log: Annotated[list[str], operator.add]


def mark(name: str):
    def node(state: Log):
        return {"log": [name]}

    return node


async def test_add_node_names_the_node_after_its_function_and_every_method_chains():
    def first(state: Log):
        return {"log": ["first"]}

    graph = (
        StateGraph(Log)
        .add_node(first)
        .add_sequence([("second", mark("second")), ("third", mark("third"))])
        .add_edge("first", "second")
        .set_entry_point("first")
        .set_finish_point("third")
        .compile()
    )
    assert await graph.ainvoke({}) == {"log": ["first", "second", "third"]}


async def test_command_literal_annotations_and_literal_paths_are_edges_of_the_graph():
    def router(state: Log) -> Command[Literal["left", "right"]]:
        return Command(goto="left")

    def after_left(state: Log) -> Literal["right", "__end__"]:
        return END

    builder = StateGraph(Log)
    builder.add_node(router)
    builder.add_node("left", mark("left"))
    builder.add_node("right", mark("right"), destinations={"left": "back"})
    builder.add_edge(START, "router")
    builder.add_conditional_edges("left", after_left)
    graph = builder.compile()
    edges = set(graph.edges_for_drawing())
    assert {
        GraphEdge("router", "left", "command"),
        GraphEdge("router", "right", "command"),
        GraphEdge("right", "left", "command"),
    } <= edges
    assert {(e.src, e.dst) for e in edges if e.kind == "conditional"} == {
        ("left", "right"),
        ("left", END),
    }
    assert await graph.ainvoke({}) == {"log": ["left"]}


async def test_a_deferred_node_waits_until_every_other_branch_is_done():
    builder = StateGraph(Log)
    for name in ("a", "b", "b_2", "c"):
        builder.add_node(name, mark(name))
    builder.add_node("d", mark("d"), defer=True)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("a", "c")
    builder.add_edge("b", "b_2")
    builder.add_edge("b_2", "d")
    builder.add_edge("c", "d")
    result = await builder.compile().start({}).result()
    assert result.path == ("a", "b", "c", "b_2", "d")  # d once, after b_2
    assert result.state["log"] == ["a", "b", "c", "b_2", "d"]


async def test_a_retried_node_runs_until_it_succeeds_and_other_errors_are_not_retried():
    calls: list[str] = []

    async def flaky(state: Log):
        calls.append("flaky")
        if len(calls) < 3:
            raise ConnectionError("down")
        return {"log": ["ok"]}

    policy = RetryPolicy(initial_interval=0.001, jitter=False)
    builder = StateGraph(Log).add_node("flaky", flaky, retry_policy=policy)
    graph = builder.set_entry_point("flaky").compile()
    assert await graph.ainvoke({}) == {"log": ["ok"]}
    assert calls == ["flaky"] * 3

    async def wrong(state: Log):
        calls.append("wrong")
        raise ValueError("a bug, not a glitch")

    graph = StateGraph(Log).add_node("wrong", wrong, retry_policy=policy)
    with pytest.raises(ValueError, match="a bug"):
        await graph.set_entry_point("wrong").compile().ainvoke({})
    assert calls.count("wrong") == 1  # LangGraph's default retry_on skips ValueError


async def test_a_stop_reaches_a_node_waiting_to_retry_and_its_cleanup_runs(wait_until):
    calls: list[int] = []

    async def flaky(state: Log):
        calls.append(1)
        raise ConnectionError("down")

    builder = StateGraph(Log)
    policy = RetryPolicy(initial_interval=30, jitter=False)
    builder.add_node("flaky", flaky, retry_policy=policy, on_cancel="cleanup")
    builder.add_node("cleanup", mark("cleanup"))
    builder.add_edge(START, "flaky")
    run = builder.compile().start({})
    await wait_until(lambda: calls)  # failed once: now waiting 30 s to retry
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, result.state["log"], len(calls)) == ("cancelled", ["cleanup"], 1)


async def test_a_cached_node_answers_a_repeated_input_without_running():
    calls: list[int] = []

    class S(TypedDict):
        x: int
        y: int

    def square(state: S):
        calls.append(state["x"])
        return {"y": state["x"] ** 2}

    builder = StateGraph(S).add_node("square", square, cache_policy=CachePolicy())
    graph = builder.set_entry_point("square").compile(cache=InMemoryCache())
    results = [(await graph.ainvoke({"x": x}))["y"] for x in (3, 4, 3)]
    assert (results, calls) == ([9, 16, 9], [3, 4])
    uncached = builder.compile()  # no cache: the policy is ignored, as in LangGraph
    await uncached.ainvoke({"x": 3})
    assert calls == [3, 4, 3]


@dataclass
class Ctx:
    user: str
    lang: str = "en"


async def test_runtime_context_reaches_nodes_as_the_context_schema():
    seen = []

    def node(state: Log, runtime: Runtime[Ctx]):
        seen.append((runtime.context, get_runtime().context))
        runtime.stream_writer("custom line")
        return {"log": [runtime.context.user]}

    graph = StateGraph(Log, context_schema=Ctx).add_node(node).set_entry_point("node").compile()
    chunks = [c async for c in graph.astream({}, stream_mode="custom", context={"user": "ada"})]
    assert chunks == ["custom line"]
    assert seen == [(Ctx(user="ada"), Ctx(user="ada"))]


async def test_a_stop_reaches_a_node_under_a_timeout_and_its_cleanup_runs(wait_until):
    started: list[int] = []

    async def slow(state: Log):
        started.append(1)
        await asyncio.sleep(30)
        return {"log": ["slow"]}

    builder = StateGraph(Log)
    builder.add_node("slow", slow, timeout=20, on_cancel="cleanup")
    builder.add_node("cleanup", mark("cleanup"))
    builder.add_edge(START, "slow")
    run = builder.compile().start({})
    await wait_until(lambda: started)
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, result.state["log"], result.error) == ("cancelled", ["cleanup"], None)
