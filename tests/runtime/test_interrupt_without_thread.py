"""``interrupt()`` in a run without a checkpointer, as LangGraph 1.x: the run pauses with the
question (``invoke`` returns the state with it under ``"__interrupt__"``) and nothing can
answer it; a subgraph pausing in such a run (a subgraph node, or a graph invoked inside a
node) pauses the run in the node that runs it, whose code after the call never runs."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

import pytest

from graphstage import START, Command, ResumeError, StateGraph, interrupt

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict):
    log: Annotated[list, operator.add]


def asking(after: list[str]):
    def ask(state):
        answer = interrupt({"seen": list(state["log"])})
        after.append("ask went on")
        return {"log": [answer]}

    child = StateGraph(S)
    child.add_node("pre", lambda state: {"log": ["pre"]})
    child.add_node("ask", ask)
    child.add_edge(START, "pre")
    child.add_edge("pre", "ask")
    return child.compile()


def around(node):
    parent = StateGraph(S)
    parent.add_node("first", lambda state: {"log": ["first"]})
    parent.add_node("sub", node)
    parent.add_node("last", lambda state: {"log": ["last"]})
    parent.add_edge(START, "first")
    parent.add_edge("first", "sub")
    parent.add_edge("sub", "last")
    return parent.compile()


async def test_a_graph_without_a_thread_pauses_at_interrupt_with_nothing_to_resume() -> None:
    after: list[str] = []
    graph = asking(after)
    run = graph.start({"log": []})
    result = await run.result()
    assert (result.status, result.next, result.error) == ("paused", ("ask",), None)
    assert [i.value for i in result.interrupts] == [{"seen": ["pre"]}]
    out = await graph.ainvoke({"log": []})
    assert out["log"] == ["pre"]
    assert [i.value for i in out["__interrupt__"]] == [{"seen": ["pre"]}]
    assert after == []
    with pytest.raises(ResumeError, match="needs a thread"):
        await graph.ainvoke(Command(resume="yes"))


async def test_a_subgraph_node_pausing_pauses_the_run_without_a_thread() -> None:
    after: list[str] = []
    out = await around(asking(after)).ainvoke({"log": []})
    assert out["log"] == ["first"]
    assert [i.value for i in out["__interrupt__"]] == [{"seen": ["first", "pre"]}]
    assert after == []


async def test_a_graph_invoked_inside_a_node_pauses_the_node_and_the_run() -> None:
    after: list[str] = []
    sub = asking(after)

    async def call_async(state):
        await sub.ainvoke(state)
        after.append("async node went on")
        return {"log": ["async"]}

    def call_sync(state):  # invoke runs its own loop in the node's worker thread
        sub.invoke(state)
        after.append("sync node went on")
        return {"log": ["sync"]}

    for node in (call_async, call_sync):
        run = around(node).start({"log": []})
        result = await run.result()
        assert (result.status, result.next) == ("paused", ("sub",))
        assert result.state["log"] == ["first"]
        assert [i.value for i in result.interrupts] == [{"seen": ["first", "pre"]}]
    assert after == []


def test_interrupt_outside_a_node_is_refused_by_name() -> None:
    with pytest.raises(RuntimeError, match="outside a node"):
        interrupt("?")
