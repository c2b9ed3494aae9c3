"""``ainvoke``'s own run is never handed out, so it keeps none of its events; a journal, a
watcher or a stream still gets every one of them, in order."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, Journal, Send, StateGraph


class State(TypedDict):
    items: list[int]
    results: Annotated[list[int], operator.add]


async def work(arg: dict[str, int]) -> dict[str, list[int]]:
    return {"results": [arg["i"] * 2]}


async def reduce(state: State) -> dict[str, list[int]]:
    return {"results": [sum(state["results"])]}


def map_reduce(**compile_kw: Any) -> Any:
    b = StateGraph(State)
    b.add_node("work", work)
    b.add_node("reduce", reduce)
    b.add_conditional_edges(START, lambda s: [Send("work", {"i": i}) for i in s["items"]])
    b.add_edge("work", "reduce")
    b.add_edge("reduce", END)
    return b.compile(**compile_kw)


pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

INPUT = {"items": [1, 2, 3, 4], "results": []}
RESULT = {"items": [1, 2, 3, 4], "results": [2, 4, 6, 8, 20]}


def spy(graph: Any, watch: bool) -> list[Any]:
    runs: list[Any] = []
    start = graph.start

    def spying(*a: Any, **k: Any) -> Any:
        run = start(*a, **k)
        if watch:
            run.watch_subgraphs(lambda namespace, event: None)
        runs.append(run)
        return run

    graph.start = spying
    return runs


def shape(events: Any) -> list[tuple[Any, ...]]:
    """Each event's seq, kind, and where it happened."""
    return [
        (e.seq, e.kind, getattr(e, "node", None), getattr(e, "src", None), getattr(e, "dst", None))
        for e in events
    ]


async def started_run_events() -> list[tuple[Any, ...]]:
    run = map_reduce().start(INPUT)
    await run.result()
    return shape(run.event_log)


async def test_ainvoke_keeps_no_events_nobody_can_read() -> None:
    graph = map_reduce()
    runs = spy(graph, watch=False)
    assert await graph.ainvoke(INPUT) == RESULT
    assert runs[0].status == "completed"
    assert runs[0].event_log == ()


async def test_a_watched_ainvoke_run_keeps_every_event() -> None:
    graph = map_reduce()
    runs = spy(graph, watch=True)
    assert await graph.ainvoke(INPUT) == RESULT
    expected = await started_run_events()
    assert shape(runs[0].event_log) == expected
    kinds = [kind for _, kind, *_ in expected]
    assert kinds.count("node_started") == 5 and kinds.count("node_finished") == 5
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"


async def test_an_ainvoke_run_with_a_journal_journals_every_event(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite3") as journal:
        graph = map_reduce(journal=journal)
        assert await graph.ainvoke(INPUT) == RESULT
        (record,) = journal.runs()
        stored = journal.events(record.run_id)
    assert shape(stored) == await started_run_events()
