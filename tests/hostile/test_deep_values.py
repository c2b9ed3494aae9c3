"""A state nested as deep as pydantic serialises it (254 levels), deeper, or holding itself
is stored so that every reader reads it back: the thread's pause survives a new process and
can be answered, and the journal keeps every event of the run, undamaged.

Before, the writers stored up to pydantic's 254 levels (and a cycle as 200 levels and a
marker) while the readers took rows over 200 levels for damaged: such a run's checkpoint
came back with nothing next (its pause lost) and its last events were dropped as damaged."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, TypedDict

import pytest

from graphstage import END, START, Command, Journal, SqliteSaver, StateGraph, interrupt

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


def nest(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


CYCLE: list[Any] = []
CYCLE.append(CYCLE)


class S(TypedDict, total=False):
    v: Any
    answered: Any


def graph(value: Any) -> StateGraph:
    def a(state: S) -> dict[str, Any]:
        return {"v": value}

    def b(state: S) -> dict[str, Any]:
        return {"answered": interrupt("go on?")}

    g = StateGraph(S)
    g.add_node("a", a)
    g.add_node("b", b)
    g.add_edge(START, "a")
    g.add_edge("a", "b")
    g.add_edge("b", END)
    return g


@pytest.mark.parametrize(
    "value", [nest(199), nest(254), nest(300), CYCLE], ids=["199", "254", "300", "cycle"]
)
async def test_a_deep_or_cyclic_state_keeps_its_pause_and_its_journal(
    tmp_path: Path, value: Any
) -> None:
    config = {"configurable": {"thread_id": "t"}}
    with SqliteSaver(str(tmp_path / "c.sqlite3")) as saver, Journal(tmp_path / "j.sqlite3") as j:
        run = graph(value).compile(checkpointer=saver).start({}, config, journal=j)
        result = await asyncio.wait_for(run.result(), 10)
        live = [e.kind for e in run.event_log]
    assert result.status == "paused"
    with Journal(tmp_path / "j.sqlite3") as journal:
        (record,) = journal.runs()
        damaged: list[str] = []
        kinds = [e.kind for e in journal.events(record.run_id, damaged)]
    assert (record.status, record.damaged, damaged) == ("paused", None, [])
    assert kinds == live
    with SqliteSaver(str(tmp_path / "c.sqlite3")) as saver:  # as a new process would
        g = graph(value).compile(checkpointer=saver)
        assert g.get_state(config).next == ("b",)
        done = await asyncio.wait_for(g.ainvoke(Command(resume="yes"), config), 10)
    assert done["answered"] == "yes"
