"""stream_mode="tasks" (and "debug") lists a step's tasks as LangGraph's
prepare_next_tasks makes them: the Sends first, in the order they were made, then the
nodes reached by edges, by name (here added and edged out of name order); with
subgraphs=True a subgraph's tasks carry its own node's add_node(metadata=...) besides the
run's metadata. Compared: each task's start (name, input, triggers, metadata), in order,
and the results as a set (they come as tasks finish: graphstage starts the Sends after
the other nodes, so of tasks finishing at once those report first)."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


def node(name):
    async def run(state):
        return {"log": [name]}

    return run


sub = StateGraph(State)
sub.add_node("inner", node("inner"), metadata={"role": "inner", "version": 2})
sub.add_node("after", node("after"))
sub.add_edge(START, "inner")
sub.add_edge("inner", "after")

builder = StateGraph(State)
builder.add_node("fan", node("fan"))
for name in ("zeta", "alpha", "mid", "w"):
    builder.add_node(name, node(name), metadata={"kind": name})
builder.add_node("sub", sub.compile())
builder.add_edge(START, "fan")
builder.add_edge("fan", "zeta")
builder.add_edge("fan", "sub")
builder.add_edge("fan", "alpha")
builder.add_conditional_edges(
    "fan", lambda state: [Send("w", {"log": ["s1"]}), "mid", Send("w", {"log": ["s2"]})]
)
graph = builder.compile()


async def main():
    config = {"metadata": {"user": "u"}}
    starts, results = [], []
    async for ns, chunk in graph.astream({"log": []}, config, stream_mode="tasks", subgraphs=True):
        depth = len(ns)
        if "input" in chunk:
            starts.append(
                (depth, chunk["name"], chunk["input"], chunk["triggers"], chunk.get("metadata"))
            )
        else:
            results.append(repr((depth, chunk["name"], chunk["result"], chunk["error"])))
    debug = [
        (c["type"], c["payload"]["name"])
        async for c in graph.astream({"log": []}, stream_mode="debug")
        if c["type"] == "task"
    ]
    return starts, sorted(results), debug
