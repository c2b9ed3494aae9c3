"""The ``checkpoints`` stream's payloads as LangGraph 1.x shows them, on both savers."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, TypedDict

import pytest

from graphstage import START, InMemorySaver, SqliteSaver, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


def merge(left: dict, right: dict) -> dict:
    return {**left, **right}


class State(TypedDict):
    x: int
    log: Annotated[list, operator.add]
    total: Annotated[int, operator.add]
    meta: Annotated[dict, merge]


@pytest.fixture(params=["memory", "sqlite"])
def saver(request, tmp_path: Path):
    if request.param == "memory":
        yield InMemorySaver()
        return
    opened = SqliteSaver(tmp_path / "threads.sqlite3")
    yield opened
    opened.close()


def build(saver):
    builder = StateGraph(State)
    builder.add_node("a", lambda state: {"log": ["a"]})
    builder.add_edge(START, "a")
    return builder.compile(checkpointer=saver)


async def test_a_new_threads_input_checkpoint_shows_each_reducer_field_empty(saver) -> None:
    graph = build(saver)

    async def values(thread: str, given: dict) -> list[tuple[str, dict]]:
        config = {"configurable": {"thread_id": thread}}
        return [
            (cp["metadata"]["source"], cp["values"])
            async for cp in graph.astream(given, config, stream_mode="checkpoints")
        ]

    empty = {"log": [], "total": 0, "meta": {}}
    assert await values("1", {"x": 1, "log": ["in"]}) == [
        ("input", empty),  # the input itself is START's pending write, as in LangGraph
        ("loop", {"x": 1, "log": ["in"], "total": 0, "meta": {}}),
        ("loop", {"x": 1, "log": ["in", "a"], "total": 0, "meta": {}}),
    ]
    # a thread's later input checkpoint shows its state as it is
    assert (await values("1", {"x": 2}))[0] == (
        "input",
        {"x": 1, "log": ["in", "a"], "total": 0, "meta": {}},
    )


def nested(saver):
    sub = StateGraph(State)
    sub.add_node("inner", lambda state: {"log": ["inner"]})
    sub.add_node("inner2", lambda state: {"log": ["inner2"]})
    sub.add_edge(START, "inner")
    sub.add_edge("inner", "inner2")
    builder = StateGraph(State)
    builder.add_node("sub", sub.compile())
    builder.add_node("after", lambda state: {"log": ["after"]})
    builder.add_edge(START, "sub")
    builder.add_edge("sub", "after")
    return builder.compile(checkpointer=saver)


@pytest.mark.parametrize("durability", ["sync", "async", "exit"])
async def test_subgraphs_true_streams_the_subgraphs_checkpoints_in_every_mode(
    saver, durability: str
) -> None:
    config = {"configurable": {"thread_id": durability}}
    streamed = [
        (len(ns), cp["metadata"]["source"], cp["metadata"]["step"], cp["values"].get("log"))
        async for ns, cp in nested(saver).astream(
            {"x": 0}, config, stream_mode="checkpoints", subgraphs=True, durability=durability
        )
    ]
    assert streamed == [
        (0, "input", -1, []),
        (0, "loop", 0, []),
        (1, "input", -1, []),
        (1, "loop", 0, []),
        (1, "loop", 1, ["inner"]),
        (1, "loop", 2, ["inner", "inner2"]),
        (0, "loop", 1, ["inner", "inner2"]),
        (0, "loop", 2, ["inner", "inner2", "after"]),
    ]


async def test_under_exit_a_subgraph_that_ran_to_its_end_saves_nothing(saver) -> None:
    """As LangGraph's: only the thread's own last checkpoint; a subgraph that paused keeps
    its checkpoint (its continuation starts there)."""
    from graphstage import Command, interrupt

    done = nested(saver)
    await done.ainvoke({"x": 0}, {"configurable": {"thread_id": "done"}}, durability="exit")
    saved = [(c.checkpoint_ns != "", c.step) for c in saver.list(None) if c.thread_id == "done"]
    assert saved == [(False, 2)]

    sub = StateGraph(State)
    sub.add_node("ask", lambda state: {"log": [interrupt("?")]})
    sub.add_edge(START, "ask")
    builder = StateGraph(State)
    builder.add_node("sub", sub.compile())
    builder.add_edge(START, "sub")
    graph = builder.compile(checkpointer=saver)
    config = {"configurable": {"thread_id": "paused"}}
    await graph.ainvoke({"x": 0}, config, durability="exit")

    def kept() -> list[tuple[bool, int]]:
        found = [c for c in saver.list(None) if c.thread_id == "paused"]
        return sorted((c.checkpoint_ns != "", c.step) for c in found)

    assert kept() == [(False, 0), (True, 0)]
    out = await graph.ainvoke(Command(resume="yes"), config, durability="exit")
    assert out["log"] == ["yes"]
    assert kept() == [(False, 0), (False, 1), (True, 0)]
