"""add_node(..., error_handler=...) (LangGraph 1.2): the handler's update stands for the failed
node's, streamed under __error_handler__<node>; the node's own edge is not followed."""

import operator
from typing import Annotated

from langgraph.errors import NodeError
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    status: str


def fetch(state: State):
    raise ConnectionError("service down")


def fallback(state: State, error: NodeError):
    return {"log": [f"{error.node} failed: {error.error}"], "status": "degraded"}


def report(state: State):
    return {"log": ["report"]}


builder = StateGraph(State)
builder.add_node("fetch", fetch, error_handler=fallback)
builder.add_node("report", report)
builder.add_edge(START, "fetch")
builder.add_edge("fetch", "report")
builder.add_edge("report", END)
graph = builder.compile()


async def main():
    chunks = [c async for c in graph.astream({"log": []}, stream_mode="updates")]
    return chunks, await graph.ainvoke({"log": []})
