"""A checkpointer's tuples carry LangGraph's ``pending_writes``: ``(task_id, channel,
value)`` for each write of the next step's tasks (a field's write, a Command's goto and
Sends, an interrupt, an error), from ``get_tuple``, ``list`` and their async variants, on
both savers (the SQLite one read back from the file by a fresh saver too). A node's
several writes (``Command(update=[(key, value), ...])`` writing a key twice) come back from
the SQLite file as such, so the paused step resumes (it was refused as a list)."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, TypedDict

import pytest

from graphstage import START, Command, InMemorySaver, Send, SqliteSaver, StateGraph, interrupt

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]
    n: int


def fan(state):
    return {"log": ["fan"], "n": 1}


def routes(state):
    return Command(update=[("log", ["a"]), ("log", ["b"])], goto=[Send("worker", {"n": 7}), "ok"])


def asks(state):
    return {"log": [interrupt("approve?")]}


def ok(state):
    return {"log": ["ok"]}


def worker(state):
    raise ValueError("worker failed")


def build(saver):
    builder = StateGraph(State)
    for name, node in (("fan", fan), ("routes", routes), ("asks", asks)):
        builder.add_node(name, node)
    builder.add_node("ok", ok)
    builder.add_node("worker", worker)
    builder.add_edge(START, "fan")
    builder.add_edge("fan", "routes")
    builder.add_edge("fan", "asks")
    return builder.compile(checkpointer=saver)


CONFIG = {"configurable": {"thread_id": "t"}}


@pytest.fixture(params=["memory", "sqlite"])
def saver(request, tmp_path: Path):
    if request.param == "memory":
        yield InMemorySaver()
        return
    opened = SqliteSaver(tmp_path / "threads.sqlite3")
    yield opened
    opened.close()


def writes_by_step(items) -> dict[int, list]:
    return {t.metadata["step"]: sorted(t.pending_writes, key=repr) for t in items}


async def test_get_tuple_and_list_carry_each_tasks_writes(saver) -> None:
    graph = build(saver)
    await graph.ainvoke({"log": []}, CONFIG)
    paused = saver.get_tuple(CONFIG)
    assert paused is not None
    assert sorted(paused.pending_writes, key=repr) == [
        ("asks", "__interrupt__", list(paused.interrupts["asks"])),
        ("routes", "__pregel_tasks", Send("worker", {"n": 7})),
        ("routes", "branch:to:ok", None),
        ("routes", "log", ["a"]),
        ("routes", "log", ["b"]),
    ]
    # each task's writes stay together and in the order it made them
    assert [w[1] for w in paused.pending_writes if w[0] == "routes"] == [
        "log",
        "log",
        "__pregel_tasks",
        "branch:to:ok",
    ]
    assert paused.pending_writes == (await saver.aget_tuple(CONFIG)).pending_writes
    assert writes_by_step(saver.list(CONFIG)) == {
        1: sorted(paused.pending_writes, key=repr),
        0: [("fan", "log", ["fan"]), ("fan", "n", 1)],
        -1: [("__start__", "log", [])],
    }
    assert writes_by_step([t async for t in saver.alist(CONFIG)]) == writes_by_step(
        saver.list(CONFIG)
    )
    with pytest.raises(ValueError, match="worker failed"):
        await graph.ainvoke(Command(resume="yes"), CONFIG)
    failed = saver.get_tuple(CONFIG)
    assert failed is not None and failed.metadata["step"] == 2
    # the resumed step keeps the answer with the task's writes, as LangGraph's
    resumed = next(t for t in saver.list(CONFIG) if t.metadata["step"] == 1)
    assert [w for w in resumed.pending_writes if w[0] == "asks"] == [
        ("asks", "__resume__", ["yes"]),
        ("asks", "__interrupt__", list(paused.interrupts["asks"])),
        ("asks", "log", ["yes"]),
    ]
    # "ok" ran beside it: finished (its write) or cancelled by the failure (its error)
    assert [w for w in failed.pending_writes if w[0] != "ok"] == [
        ("worker[0]", "__error__", "ValueError('worker failed')")
    ]


async def test_a_fresh_sqlite_saver_reads_the_writes_back(tmp_path: Path) -> None:
    path = tmp_path / "threads.sqlite3"
    first = SqliteSaver(path)
    await build(first).ainvoke({"log": []}, CONFIG)
    expected = first.get_tuple(CONFIG).pending_writes
    first.close()
    again = SqliteSaver(path)
    try:
        found = again.get_tuple(CONFIG)
        assert found is not None
        assert sorted(found.pending_writes, key=repr) == sorted(expected, key=repr)
        assert ("routes", "__pregel_tasks", Send("worker", {"n": 7})) in found.pending_writes
        assert [w[1] for w in found.pending_writes if w[0] == "asks"] == ["__interrupt__"]
    finally:
        again.close()


async def test_a_paused_steps_finished_writes_show_in_langgraphs_task_order(saver) -> None:
    """Edged (and finishing) in the order zeta, ok, cmd: shown by name, as LangGraph's."""

    def named(name: str):
        async def run(state):
            return {"log": [name]}

        return run

    builder = StateGraph(State)
    builder.add_node("fan", fan)
    builder.add_edge(START, "fan")
    for name in ("zeta", "ok", "asks", "cmd"):
        builder.add_node(name, asks if name == "asks" else named(name))
        builder.add_edge("fan", name)
    graph = builder.compile(checkpointer=saver)
    out = await graph.ainvoke({"log": []}, CONFIG)
    assert out["log"] == ["fan", "cmd", "ok", "zeta"]
    assert (await graph.aget_state(CONFIG)).values["log"] == ["fan", "cmd", "ok", "zeta"]
    resumed = await graph.ainvoke(Command(resume="yes"), CONFIG)
    assert resumed["log"] == ["fan", "yes", "cmd", "ok", "zeta"]
