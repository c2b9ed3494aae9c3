"""A subgraph's pause and checkpoints in its parent's thread: graphstage-only behaviour
(the stop ladder in a paused or resumed subgraph, a durable saver across a restart) and the
errors a user meets. What LangGraph also does is compared in tests/compat (programs
``subgraph_*``)."""

from __future__ import annotations

import asyncio
import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

import graphstage
from graphstage import START, Command, InMemorySaver, SqliteSaver, StateGraph, interrupt

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


ENTERED: list[str] = []
"""Nodes append their name on entry (tests wait for it before they stop or kill)."""


def config(thread: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}}


def paused_in_child(
    saver: Any, *, slow_after_answer: bool = False, gate: asyncio.Event | None = None
) -> Any:
    """parent: first -> sub (on_cancel parent_cleanup) -> last; sub: prepare -> ask, which
    asks, then (``slow_after_answer``) works for a minute; a stop at the question or in
    that work routes to the child's cleanup."""

    async def ask(state: S) -> Any:
        ENTERED.append("ask")
        try:
            answer = interrupt("go on?")
            if slow_after_answer:
                ENTERED.append("working")
                await (gate.wait() if gate is not None else asyncio.sleep(60))
        except asyncio.CancelledError:
            return Command(goto="child_cleanup", update={"log": ["ask stopped"]})
        return {"log": [f"answer {answer}"]}

    child = StateGraph(S)
    child.add_node("prepare", lambda s: ENTERED.append("prepare") or {"log": ["prepared"]})
    child.add_node("ask", ask)
    child.add_node("child_cleanup", lambda s: {"log": ["child cleanup"]})
    child.add_edge(START, "prepare")
    child.add_edge("prepare", "ask")
    parent = StateGraph(S)
    parent.add_node("first", lambda s: {"log": ["first"]})
    parent.add_node("sub", child.compile(), on_cancel="parent_cleanup")
    parent.add_node("parent_cleanup", lambda s: {"log": ["parent cleanup"]})
    parent.add_node("last", lambda s: {"log": ["last"]})
    parent.add_edge(START, "first")
    parent.add_edge("first", "sub")
    parent.add_edge("sub", "last")
    return parent.compile(checkpointer=saver)


async def test_stop_thread_reaches_the_question_inside_the_subgraph_first(
    no_leftover_tasks: None,
) -> None:
    graph = paused_in_child(InMemorySaver())
    ENTERED.clear()
    paused = await graph.ainvoke({"log": []}, config("t"))
    assert [i.value for i in paused["__interrupt__"]] == ["go on?"]
    result = await graph.stop_thread(config("t")).result()
    # the child's waiting node saw the stop at its interrupt() and took its cleanup route,
    # then the parent took the subgraph node's on_cancel route; prepare did not run again
    assert result.status == "cancelled"
    assert result.state["log"] == [
        "first",
        "first",
        "prepared",
        "ask stopped",
        "child cleanup",
        "parent cleanup",
    ]
    assert ENTERED == ["prepare", "ask", "ask"]


async def test_stop_in_a_resumed_subgraph_runs_its_cleanup_then_the_parents(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    graph = paused_in_child(InMemorySaver(), slow_after_answer=True)
    ENTERED.clear()
    await graph.ainvoke({"log": []}, config("t"))
    run = graph.start(Command(resume="yes"), config("t"))
    await wait_until(lambda: ENTERED[-1:] == ["working"])
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "cancelled"
    assert result.state["log"][-3:] == ["ask stopped", "child cleanup", "parent cleanup"]
    assert result.path == ("sub", "parent_cleanup")


async def test_kill_in_a_resumed_subgraph_keeps_the_answer_for_the_next_continuation(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    gate = asyncio.Event()
    graph = paused_in_child(InMemorySaver(), slow_after_answer=True, gate=gate)
    ENTERED.clear()
    await graph.ainvoke({"log": []}, config("t"))
    run = graph.start(Command(resume="yes"), config("t"))
    await wait_until(lambda: ENTERED[-1:] == ["working"])
    run.kill()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "killed"
    await wait_until(
        lambda: not [t for t in asyncio.all_tasks() if t.get_name().startswith("graphstage")]
    )
    # the killed step is run again by the next continuation, inside the subgraph too; the
    # answer given is kept (no question waits), as LangGraph keeps a resume write
    state = graph.get_state(config("t"), subgraphs=True)
    assert (state.next, state.interrupts) == (("sub",), ())
    assert state.tasks[0].state.next == ("ask",)
    gate.set()
    ENTERED.clear()
    done = await asyncio.wait_for(graph.ainvoke(None, config("t")), 10)
    assert done["log"][-2:] == ["answer yes", "last"]
    assert ENTERED == ["ask", "working"]  # prepare did not run again


async def test_drain_in_a_resumed_subgraph_lets_it_finish_then_stops_the_parent(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    gate = asyncio.Event()

    async def ask(state: S) -> Any:
        answer = interrupt("go on?")
        ENTERED.append("working")
        await gate.wait()
        return {"log": [f"answer {answer}"]}

    child = StateGraph(S)
    child.add_node("ask", ask)
    child.add_node("after", lambda s: {"log": ["after"]})
    child.add_edge(START, "ask")
    child.add_edge("ask", "after")
    parent = StateGraph(S)
    parent.add_node("sub", child.compile())
    parent.add_node("last", lambda s: {"log": ["last"]})
    parent.add_edge(START, "sub")
    parent.add_edge("sub", "last")
    graph = parent.compile(checkpointer=InMemorySaver())
    ENTERED.clear()
    await graph.ainvoke({"log": []}, config("d"))
    run = graph.start(Command(resume="yes"), config("d"))
    await wait_until(lambda: ENTERED == ["working"])
    run.stop(drain=True)
    gate.set()
    result = await asyncio.wait_for(run.result(), 10)
    # "stop after this step": the parent's step is the whole subgraph, which finishes
    assert result.status == "cancelled"
    assert result.state["log"] == ["answer yes", "after"]
    assert result.next == ("last",)


async def test_a_subgraph_pause_in_a_sqlite_thread_is_answered_after_a_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    with SqliteSaver(path) as saver:
        paused = await paused_in_child(saver).ainvoke({"log": []}, config("w"))
        assert [i.value for i in paused["__interrupt__"]] == ["go on?"]
    with SqliteSaver(path) as saver:  # another process would open it the same way
        graph = paused_in_child(saver)
        # one thread: the subgraph's checkpoints are inside it, not a thread of their own
        [thread] = saver.threads()
        assert (thread.thread_id, thread.status) == ("w", "paused")
        state = graph.get_state(config("w"), subgraphs=True)
        assert state.next == ("sub",)
        inner = state.tasks[0].state
        assert (inner.values, inner.next) == ({"log": ["first", "prepared"]}, ("ask",))
        assert inner.config["configurable"]["checkpoint_ns"].startswith("sub:")
        ENTERED.clear()
        done = await graph.ainvoke(Command(resume="later"), config("w"))
        assert done["log"][-2:] == ["answer later", "last"]
        assert ENTERED == ["ask"]  # prepare, finished before the pause, did not run again
        assert [t.status for t in saver.threads()] == ["done"]
        # the thread's history is the parent's; the subgraph's is read by its namespace
        assert all(
            s.config["configurable"]["checkpoint_ns"] == ""
            for s in graph.get_state_history(config("w"))
        )
        ns = inner.config["configurable"]["checkpoint_ns"]
        inner_history = graph.get_state_history(
            {"configurable": {"thread_id": "w", "checkpoint_ns": ns}}
        )
        assert [s.next for s in inner_history] == [(), ("ask",), ("prepare",), ("__start__",)]


async def test_a_subgraph_that_pauses_in_a_graph_without_a_thread_pauses_it_as_langgraph() -> None:
    child = StateGraph(S)
    child.add_node("ask", lambda s: {"log": [interrupt("?")]})
    child.add_edge(START, "ask")
    parent = StateGraph(S)
    parent.add_node("sub", child.compile(checkpointer=InMemorySaver()))
    parent.add_edge(START, "sub")
    graph = parent.compile()
    run = graph.start({"log": []}, config("t"))
    result = await run.result()
    assert (result.status, result.next) == ("paused", ("sub",))
    assert [i.value for i in result.interrupts] == ["?"]
    out = await graph.ainvoke({"log": []}, config("t"))
    assert out == {"log": [], "__interrupt__": [out["__interrupt__"][0]]}
    with pytest.raises(graphstage.ResumeError, match="answering an interrupt needs a thread"):
        await graph.ainvoke(graphstage.Command(resume="yes"), config("t"))


async def test_a_namespace_that_names_no_subgraph_is_refused_by_name() -> None:
    graph = paused_in_child(InMemorySaver())
    bad = {"configurable": {"thread_id": "t", "checkpoint_ns": "nope:123"}}
    with pytest.raises(ValueError, match="Subgraph nope not found"):
        graph.get_state(bad)
    with pytest.raises(ValueError, match="Subgraph nope not found"):
        graph.update_state(bad, {"log": ["x"]})
