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


async def test_a_journal_keeps_the_subgraph_runs_events_with_their_run(tmp_path: Any) -> None:
    """The journal of a run keeps its subgraph runs' events beside its own (the window
    replays a subgraph's nodes from them), never as runs of their own."""
    from graphstage import Journal

    journal = Journal(tmp_path / "j.sqlite3")
    try:
        outer = _outer(_inner())
        watched: list[tuple[tuple[str, ...], Event]] = []
        run = outer.start({"text": ""}, journal=journal)
        run.watch_subgraphs(lambda ns, event: watched.append((ns, event)))
        assert (await run.result()).status == "completed"
        kept = journal.nested_events(run.run_id)
        assert [(ns, e.kind, e.seq) for ns, e in kept] == [(ns, e.kind, e.seq) for ns, e in watched]
        assert [r.run_id for r in journal.runs()] == [run.run_id]
        assert [e.kind for e in journal.events(run.run_id)][-1] == "run_finished"
        assert all(e.run_id == run.run_id for e in journal.events(run.run_id))
        other = outer.start({"text": ""}, journal=journal)
        await other.result()
        assert len(journal.nested_events(other.run_id)) == len(kept)
        assert journal.nested_events(run.run_id) == kept  # each run its own
    finally:
        journal.close()
