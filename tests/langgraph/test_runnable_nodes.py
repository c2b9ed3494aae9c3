"""A LangChain Runnable as a node of a graphstage graph, as LangGraph takes one: LangGraph's
prebuilt ToolNode (named "tools" after itself, tools returning Commands) and a plain chain."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip("langgraph.prebuilt", reason="needs pip install -e '.[bench]'")

import langgraph.types
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableLambda
from langchain_core.tools import InjectedToolCallId, tool
from langgraph.prebuilt import ToolNode, tools_condition

from graphstage import START, NodeCancelled, StateGraph, add_messages

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    messages: Annotated[list[Any], add_messages]
    note: str


@tool
async def slow_search(query: str) -> str:
    """Search, slowly."""
    await asyncio.sleep(30)
    return "never"


@tool
def note(text: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> Any:
    """Take a note."""
    message = ToolMessage("noted", tool_call_id=tool_call_id)
    return langgraph.types.Command(update={"note": text, "messages": [message]})


def asking(*calls: dict[str, Any]) -> Any:
    def model(state: State) -> dict[str, Any]:
        last = state["messages"][-1]
        if isinstance(last, ToolMessage):
            return {"messages": [AIMessage("done")]}
        return {"messages": [AIMessage("", tool_calls=list(calls))]}

    return model


def graph(*calls: dict[str, Any]) -> Any:
    b = StateGraph(State)
    b.add_node("model", asking(*calls))
    b.add_node(ToolNode([slow_search, note]))
    b.add_conditional_edges("model", tools_condition)
    b.add_edge("tools", "model").add_edge(START, "model")
    return b.compile()


async def test_langgraphs_tool_node_runs_in_a_graphstage_graph() -> None:
    g = graph({"name": "note", "args": {"text": "buy milk"}, "id": "c1"})
    assert list(g.nodes) == ["model", "tools"]
    result = await g.ainvoke({"messages": [("user", "remember milk")]})
    assert [m.content for m in result["messages"][2:]] == ["noted", "done"]
    assert result["note"] == "buy milk"


async def test_a_stop_reaches_a_tool_running_inside_the_tool_node(wait_until: Any) -> None:
    run = graph({"name": "slow_search", "args": {"query": "q"}, "id": "c1"}).start(
        {"messages": [("user", "search")]}
    )
    await wait_until(
        lambda: any(e.kind == "node_started" and e.node == "tools" for e in run.event_log)
    )
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "cancelled"
    assert [(e.node, e.how) for e in run.event_log if isinstance(e, NodeCancelled)] == [
        ("tools", "reraised")
    ]


async def test_a_plain_runnable_is_invoked_with_the_state() -> None:
    b = StateGraph(State)
    b.add_node("shout", RunnableLambda(lambda s: {"note": s["note"].upper()}))
    b.add_edge(START, "shout")
    assert await b.compile().ainvoke({"messages": [], "note": "hi"}) == {
        "messages": [],
        "note": "HI",
    }
