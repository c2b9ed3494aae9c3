"""A node under a timeout that catches the cancellation and returns Command(goto=cleanup).
LangGraph raises NodeTimeoutError anyway; graphstage routes by the node's answer, as after a
stop (the timeout is a Cancel to the node)."""

import asyncio

from langgraph.errors import NodeTimeoutError
from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict

DIFFERS = "a node that answers its timeout's cancellation is routed by its Command"


class State(TypedDict):
    result: str


async def work(state: State):
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        return Command(goto="cleanup", update={"result": "timed out"})
    return {"result": "done"}


def cleanup(state: State):
    return {"result": state["result"] + ", cleaned up"}


builder = StateGraph(State)
builder.add_node("work", work, timeout=0.05)
builder.add_node("cleanup", cleanup)
builder.add_edge(START, "work")
graph = builder.compile()


async def main():
    try:
        return await graph.ainvoke({"result": ""})
    except NodeTimeoutError as exc:
        return ("NodeTimeoutError", str(exc).split(" (elapsed")[0])


def check_difference(langgraph_result, graphstage_result):
    assert langgraph_result == (
        "NodeTimeoutError",
        "Node 'work' exceeded its run timeout of 0.050s",
    )
    assert graphstage_result == {"result": "timed out, cleaned up"}
