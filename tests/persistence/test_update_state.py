"""``update_state`` routes from the node it acts as (LangGraph 1.2: without ``as_node``, the
node that ran last), on both savers and across a restart; ``edit_state`` keeps the next
step; a checkpoint stored before graphstage recorded who ran keeps its next step."""

from __future__ import annotations

import asyncio
import operator
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Annotated, TypedDict

import pytest

from graphstage import START, InMemorySaver, SqliteSaver, StateGraph
from graphstage.errors import InvalidUpdateError

pytestmark = [pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def config(thread: str) -> dict:
    return {"configurable": {"thread_id": thread}}


def fan_graph(saver):
    """START -> (a, b) -> join [a, b] -> c."""
    builder = StateGraph(State)
    for name in ("a", "b", "c"):
        builder.add_node(name, lambda state, name=name: {"log": [name]})
    builder.add_edge(START, "a")
    builder.add_edge(START, "b")
    builder.add_edge(["a", "b"], "c")
    builder.add_edge("c", "a")  # so that an update as c routes somewhere
    return builder.compile(checkpointer=saver, interrupt_before=["c"])


def chain_graph(saver):
    builder = StateGraph(State)
    for name in ("a", "b"):
        builder.add_node(name, lambda state, name=name: {"log": [name]})
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    return builder.compile(checkpointer=saver, interrupt_before=["b"])


def test_the_last_node_is_inferred_after_a_restart_of_the_sqlite_saver(
    tmp_path: Path,
) -> None:
    path = tmp_path / "threads.sqlite3"
    with SqliteSaver(path) as saver:
        chain_graph(saver).invoke({"log": []}, config("r"))
    with SqliteSaver(path) as saver:
        graph = chain_graph(saver)
        graph.update_state(config("r"), {"log": ["u"]})  # as a, which ran last
        snap = graph.get_state(config("r"))
        assert (snap.values, snap.next, snap.metadata["source"]) == (
            {"log": ["a", "u"]},
            ("b",),
            "update",
        )
        assert graph.invoke(None, config("r")) == {"log": ["a", "u", "b"]}


def test_after_a_fan_out_update_state_needs_a_node_and_edit_state_keeps_next() -> None:
    graph = fan_graph(InMemorySaver())
    graph.invoke({"log": []}, config("f"))
    with pytest.raises(InvalidUpdateError, match="Ambiguous update, specify as_node: nodes a, b"):
        graph.update_state(config("f"), {"log": ["x"]})
    graph.edit_state(config("f"), {"log": ["x"]})
    snap = graph.get_state(config("f"))
    assert (snap.values, snap.next) == ({"log": ["a", "b", "x"]}, ("c",))
    # naming the node routes from it (c -> a), as LangGraph's update_state does
    graph.update_state(config("f"), {"log": ["y"]}, as_node="c")
    assert graph.get_state(config("f")).next == ("a",)


def test_edit_state_on_a_past_checkpoint_forks_with_its_next_step() -> None:
    graph = chain_graph(InMemorySaver())
    graph.invoke({"log": []}, config("p"))
    graph.invoke(None, config("p"))
    entered = next(s for s in graph.get_state_history(config("p")) if s.next == ("a",))
    forked = graph.edit_state(entered.config, {"log": ["edited"]})
    snap = graph.get_state(forked)
    assert (snap.values, snap.next, snap.parent_config) == (
        {"log": ["edited"]},
        ("a",),
        entered.config,
    )


def test_a_checkpoint_without_a_record_of_who_ran_keeps_its_next_step(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with SqliteSaver(path) as saver:
        fan_graph(saver).invoke({"log": []}, config("o"))
    with closing(sqlite3.connect(path)) as db, db:  # as an older graphstage stored it: no "ran"
        db.execute("UPDATE thread_checkpoints SET pending = json_remove(pending, '$.ran')")
    with SqliteSaver(path) as saver:
        graph = fan_graph(saver)
        graph.update_state(config("o"), {"log": ["u"]})  # not ambiguous: nothing to infer
        assert graph.get_state(config("o")).next == ("c",)


def test_sync_updates_through_an_awaiting_conditional_edge_are_refused_by_name() -> None:
    async def route(state: State) -> str:
        await asyncio.sleep(0)  # really waits: a sync update cannot run it to its end
        return "b"

    builder = StateGraph(State)
    builder.add_node("a", lambda s: {"log": ["a"]})
    builder.add_node("b", lambda s: {"log": ["b"]})
    builder.add_edge(START, "a")
    builder.add_conditional_edges("a", route, ["b"])
    graph = builder.compile(checkpointer=InMemorySaver())
    graph.invoke({"log": []}, config("r"), interrupt_before=["b"])
    with pytest.raises(RuntimeError, match=r"update_state\(as_node='a'\): its conditional edge"):
        graph.update_state(config("r"), {"log": ["x"]}, as_node="a")
    with pytest.raises(RuntimeError, match="bulk_update_state: a conditional edge awaits"):
        graph.bulk_update_state(config("r"), [[({"log": ["x"]}, "a")]])
