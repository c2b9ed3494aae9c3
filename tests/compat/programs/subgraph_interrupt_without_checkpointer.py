"""A subgraph that pauses at interrupt() in a run without a checkpointer: the whole run
pauses in the node that runs it and invoke returns the parent's state with the question
under "__interrupt__" (nothing to resume from), for a subgraph added as a node and for a
graph invoked inside a node (sync invoke, async ainvoke); the node's code after the call
never runs. A top-level interrupt() without a checkpointer does the same (the interrupt
how-to's graph, run without its checkpointer)."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict

AFTER = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def ask(state):
    return {"log": [interrupt({"question": "approve?", "seen": list(state["log"])})]}


sub = StateGraph(State)
sub.add_node("pre", lambda state: {"log": ["pre"]})
sub.add_node("ask", ask)
sub.add_edge(START, "pre")
sub.add_edge("pre", "ask")
subgraph = sub.compile()


def call_sync(state):
    out = subgraph.invoke(state)
    AFTER.append("sync")
    return {"log": out["log"][len(state["log"]) :]}


async def call_async(state):
    out = await subgraph.ainvoke(state)
    AFTER.append("async")
    return {"log": out["log"][len(state["log"]) :]}


def parent(node):
    builder = StateGraph(State)
    builder.add_node("first", lambda state: {"log": ["first"]})
    builder.add_node("sub", node)
    builder.add_node("after", lambda state: {"log": ["after"]})
    builder.add_edge(START, "first")
    builder.add_edge("first", "sub")
    builder.add_edge("sub", "after")
    return builder.compile()


def shown(result):
    return {k: [i.value for i in v] if k == "__interrupt__" else v for k, v in result.items()}


async def main():
    out = {}
    node_graph = parent(subgraph)
    out["node invoke"] = shown(node_graph.invoke({"log": []}))
    out["node ainvoke"] = shown(await node_graph.ainvoke({"log": []}))
    out["node stream"] = [
        (mode, shown(chunk) if isinstance(chunk, dict) else chunk)
        for mode, chunk in node_graph.stream({"log": []}, stream_mode=["updates", "values"])
        if mode == "values"
    ]
    out["sync invoke"] = shown(parent(call_sync).invoke({"log": []}))
    out["async ainvoke"] = shown(await parent(call_async).ainvoke({"log": []}))
    out["top level"] = shown(subgraph.invoke({"log": []}))
    out["after"] = list(AFTER)
    return out
