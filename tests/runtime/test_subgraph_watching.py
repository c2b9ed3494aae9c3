"""``get_subgraphs`` (as LangGraph's) and ``Run.watch_subgraphs``: the events of the
subgraph runs a run's nodes start, namespaced as LangGraph namespaces them. The run's tap
has several subscribers (its journal, watchers, ``astream(subgraphs=True)``), each
receiving every event, each removed on its own."""

from __future__ import annotations

import asyncio
import logging
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


def _outer(inner: CompiledGraph, journal: Any = None, prepare: Any = None) -> CompiledGraph:
    middle = StateGraph(State)
    middle.add_node("inner", inner)
    middle.add_edge(START, "inner")
    middle.add_edge("inner", END)
    builder = StateGraph(State)
    builder.add_node("prepare", prepare or (lambda state: {"text": "hi"}))
    builder.add_node("middle", middle.compile(name="middle"))
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "middle")
    builder.add_edge("middle", END)
    return builder.compile(name="outer", journal=journal)


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


Seen = list[tuple[tuple[str, ...], Event]]


def _names(ns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.split(":")[0] for part in ns)


def _check_complete(seen: Seen) -> None:
    """Every subgraph run's events, each run's complete and in seq order."""
    started = [(_names(ns), getattr(e, "node", None)) for ns, e in seen if e.kind == "node_started"]
    assert started == [(("middle",), "inner"), (("middle", "inner"), "shout")]
    for names in (("middle",), ("middle", "inner")):
        mine = [e for ns, e in seen if _names(ns) == names]
        assert mine[0].kind == "run_started" and mine[-1].kind == "run_finished"
        assert [e.seq for e in mine] == list(range(len(mine)))


async def test_a_journaled_run_streamed_with_subgraphs_keeps_its_subgraph_events(
    tmp_path: Any,
) -> None:
    """astream(subgraphs=True) yields LangGraph's pairs, and the run's journal still keeps
    its subgraph runs' events (the stream took the tap from the journal before)."""
    from graphstage import Journal

    journal = Journal(tmp_path / "j.sqlite3")
    try:
        outer = _outer(_inner(), journal)
        pairs = [(ns, chunk) async for ns, chunk in outer.astream({"text": ""}, subgraphs=True)]
        # LangGraph 1.x's pairs for this graph (namespaces less their task ids)
        assert [(_names(ns), chunk) for ns, chunk in pairs] == [
            ((), {"prepare": {"text": "hi"}}),
            (("middle", "inner"), {"shout": {"text": "hi!"}}),
            (("middle",), {"inner": {"text": "hi!"}}),
            ((), {"middle": {"text": "hi!"}}),
        ]
        (record,) = journal.runs()
        kept = journal.nested_events(record.run_id)
        _check_complete(kept)
        # the journal's namespaces are the stream's, and its updates the stream's chunks
        updates = [(ns, {e.node: e.update}) for ns, e in kept if e.kind == "node_finished"]
        assert sorted(updates, key=str) == sorted([p for p in pairs if p[0]], key=str)
    finally:
        journal.close()


async def test_watchers_and_a_subgraph_stream_of_one_run_each_see_every_event() -> None:
    """A watcher added before ``astream(subgraphs=True)``'s stream subscribes (as the
    window's, or the journal's) and one added after it both get every event."""
    from graphstage._subgraph import nested_chunks  # what astream(subgraphs=True) reads

    gate = asyncio.Event()

    async def prepare(state: State) -> dict[str, Any]:
        await gate.wait()  # the subgraphs start once the second watcher is in
        return {"text": "hi"}

    outer = _outer(_inner(), prepare=prepare)
    first: Seen = []
    second: Seen = []
    run = outer.start({"text": ""})
    unwatch_first = run.watch_subgraphs(lambda ns, event: first.append((ns, event)))
    stream = nested_chunks(run, ("events",), outer.schema, outer)
    streamed: Seen = []
    async for ns, _, event in stream:
        if not streamed and not ns:  # the stream has subscribed: a second watcher
            unwatch_second = run.watch_subgraphs(lambda ns, event: second.append((ns, event)))
            gate.set()
        streamed.append((ns, event))
    assert (await run.result()).state["text"] == "hi!"
    nested = [(ns, e) for ns, e in streamed if ns]
    _check_complete(nested)
    assert first == nested and second == nested
    assert [e.kind for ns, e in streamed if not ns][-1] == "run_finished"
    unwatch_first()
    unwatch_second()
    assert run._tap is None  # nobody subscribes: the supervisor's hot path is back


async def test_a_watcher_removed_mid_run_stops_and_the_others_go_on(tmp_path: Any) -> None:
    from graphstage import Journal

    journal = Journal(tmp_path / "j.sqlite3")
    try:
        outer = _outer(_inner(), journal)
        early: Seen = []
        late: Seen = []
        run = outer.start({"text": ""})

        def leave_at_shout(ns: tuple[str, ...], event: Event) -> None:
            early.append((ns, event))
            if getattr(event, "node", None) == "shout":  # inside the innermost subgraph
                unwatch_early()
                unwatch_early()  # twice: it removes nobody else

        unwatch_early = run.watch_subgraphs(leave_at_shout)
        run.watch_subgraphs(lambda ns, event: late.append((ns, event)))
        assert (await run.result()).status == "completed"
        _check_complete(late)
        assert early == late[: len(early)]
        assert early[-1][1].kind == "node_started" and len(early) < len(late)
        assert [(ns, e.kind, e.seq) for ns, e in journal.nested_events(run.run_id)] == [
            (ns, e.kind, e.seq) for ns, e in late
        ]
    finally:
        journal.close()


async def test_a_raising_watcher_is_dropped_named_and_breaks_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outer = _outer(_inner())
    calls: Seen = []
    seen: Seen = []

    def broken_watcher(ns: tuple[str, ...], event: Event) -> None:
        calls.append((ns, event))
        raise RuntimeError("watcher bug")

    run = outer.start({"text": ""})
    run.watch_subgraphs(broken_watcher)
    run.watch_subgraphs(lambda ns, event: seen.append((ns, event)))
    with caplog.at_level(logging.WARNING, logger="graphstage.taps"):
        result = await run.result()
    assert result.status == "completed" and result.state["text"] == "hi!"
    _check_complete(seen)
    assert len(calls) == 1  # dropped after its first failure
    (warning,) = [r for r in caplog.records if r.name == "graphstage.taps"]
    assert "broken_watcher" in warning.getMessage() and run.run_id in warning.getMessage()
    assert warning.exc_info is not None and "watcher bug" in str(warning.exc_info[1])
