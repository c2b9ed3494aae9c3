"""The two savers behind one interface: the same program gives the same thread on both; a
thread in a SQLite file outlives its saver (a restart); pending Sends are checkpointed."""

from __future__ import annotations

import asyncio
import operator
from pathlib import Path
from typing import Annotated, TypedDict

import pytest

from graphstage import (
    START,
    AsyncSqliteSaver,
    Command,
    InMemorySaver,
    Send,
    SqliteSaver,
    StateGraph,
    interrupt,
)

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def config(thread: str) -> dict:
    return {"configurable": {"thread_id": thread}}


def approval_graph(saver):
    def draft(state):
        return {"log": ["draft"]}

    def approve(state):
        return {"log": [f"approved={interrupt({'question': 'ok?'})}"]}

    builder = StateGraph(State)
    builder.add_node("draft", draft)
    builder.add_node("approve", approve)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "approve")
    return builder.compile(checkpointer=saver)


def history(graph, thread: str) -> list[tuple]:
    return [
        (s.metadata["step"], s.metadata["source"], s.next, s.values)
        for s in graph.get_state_history(config(thread))
    ]


async def test_both_savers_keep_the_same_thread(tmp_path: Path) -> None:
    results = []
    async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "j.sqlite3")) as durable:
        for saver in (InMemorySaver(), durable):
            graph = approval_graph(saver)
            paused = await graph.ainvoke({"log": []}, config("t"))
            done = await graph.ainvoke(Command(resume=True), config("t"))
            results.append(([i.value for i in paused["__interrupt__"]], done, history(graph, "t")))
    assert results[0] == results[1]
    assert results[0][1] == {"log": ["draft", "approved=True"]}


async def test_a_waiting_thread_outlives_its_saver_and_is_answered_through_a_new_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    with SqliteSaver(path) as saver:
        paused = await approval_graph(saver).ainvoke({"log": []}, config("w"))
        assert [i.value for i in paused["__interrupt__"]] == [{"question": "ok?"}]
    with SqliteSaver(path) as saver:  # another process would open it the same way
        graph = approval_graph(saver)
        [thread] = saver.threads()
        assert (thread.thread_id, thread.status) == ("w", "paused")
        assert graph.get_state(config("w")).next == ("approve",)
        done = await graph.ainvoke(Command(resume="later"), config("w"))
        assert done == {"log": ["draft", "approved=later"]}
        # the runs were journaled in the same file
        assert {r.status for r in saver.journal.runs()} == {"paused", "completed"}


async def test_pending_sends_are_checkpointed_and_only_the_unfinished_one_runs_again(
    wait_until,
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()

    def fan_out(state):
        return [Send("work", {"log": [item]}) for item in ("x", "slow", "z")]

    async def work(arg):
        item = arg["log"][0]
        calls.append(item)
        if item == "slow":
            await gate.wait()
        return {"log": [f"done {item}"]}

    builder = StateGraph(State)
    builder.add_node("start", lambda state: {"log": ["start"]})
    builder.add_node("work", work)
    builder.add_edge(START, "start")
    builder.add_conditional_edges("start", fan_out)
    graph = builder.compile(checkpointer=InMemorySaver())
    run = graph.start({"log": []}, config("s"))
    await wait_until(lambda: sorted(calls) == ["slow", "x", "z"])
    run.stop()
    assert (await run.result()).status == "cancelled"
    snap = graph.get_state(config("s"))
    assert snap.next == ("work",)  # the two that finished are applied, one is pending
    assert sorted(map(str, snap.values["log"])) == ["done x", "done z", "start"]
    gate.set()
    result = await graph.ainvoke(None, config("s"))
    assert result == {"log": ["start", "done x", "done slow", "done z"]}
    assert sorted(calls) == ["slow", "slow", "x", "z"]
