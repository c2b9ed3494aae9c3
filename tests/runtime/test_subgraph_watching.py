"""``get_subgraphs`` (as LangGraph's) and ``Run.watch_subgraphs``: the events of the
subgraph runs a run's nodes start, namespaced as LangGraph namespaces them."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest

from graphstage import END, START, CompiledGraph, Event, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict, total=False):
    text: str


def _inner() -> CompiledGraph:
    def shout(state: State) -> dict[str, Any]:
        return {"text": state.get("text", "") + "!"}

    builder = StateGraph(State)
    builder.add_node("shout", shout)
    builder.add_edge(START, "shout")
    builder.add_edge("shout", END)
    return builder.compile(name="inner")


def _outer(inner: CompiledGraph) -> CompiledGraph:
    middle = StateGraph(State)
    middle.add_node("inner", inner)
    middle.add_edge(START, "inner")
    middle.add_edge("inner", END)
    builder = StateGraph(State)
    builder.add_node("prepare", lambda state: {"text": "hi"})
    builder.add_node("middle", middle.compile(name="middle"))
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "middle")
    builder.add_edge("middle", END)
    return builder.compile(name="outer")


def test_get_subgraphs_names_them_as_langgraph_does() -> None:
    inner = _inner()
    outer = _outer(inner)
    assert [name for name, _ in outer.get_subgraphs()] == ["middle"]
    assert [name for name, _ in outer.get_subgraphs(recurse=True)] == ["middle", "middle|inner"]
    assert dict(outer.get_subgraphs(namespace="middle|inner", recurse=True)) == {
        "middle|inner": inner
    }
    assert list(inner.get_subgraphs()) == []


async def test_a_watcher_sees_every_subgraph_event_with_its_namespace() -> None:
    outer = _outer(_inner())
    seen: list[tuple[tuple[str, ...], Event]] = []
    run = outer.start({"text": ""})
    run.watch_subgraphs(lambda ns, event: seen.append((ns, event)))
    result = await run.result()
    assert result.status == "completed" and result.state["text"] == "hi!"
    started = [
        ([part.split(":")[0] for part in ns], getattr(e, "node", None))
        for ns, e in seen
        if e.kind == "node_started"
    ]
    assert started == [(["middle"], "inner"), (["middle", "inner"], "shout")]
    # each subgraph run's own stream, complete and in order
    for names in (["middle"], ["middle", "inner"]):
        kinds = [e.kind for ns, e in seen if [p.split(":")[0] for p in ns] == names]
        assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
        seqs = [e.seq for ns, e in seen if [p.split(":")[0] for p in ns] == names]
        assert seqs == list(range(len(seqs)))
    assert all(ns for ns, _ in seen)  # the run's own events are not passed
