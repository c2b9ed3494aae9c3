"""astream(subgraphs=True) shows the chunks of graphs that nodes invoke themselves (a sync
node's child.invoke, an async node's await child.ainvoke), under the node's namespace,
with and without a checkpointer (LangGraph's streaming-subgraphs how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


child = StateGraph(State)
child.add_node("x", lambda state: {"log": ["x"]})
child.add_node("y", lambda state: {"log": ["y"]})
child.add_edge(START, "x")
child.add_edge("x", "y")
child_graph = child.compile()


def sync_node(state):
    return {"log": child_graph.invoke({"log": ["from sync"]})["log"]}


async def async_node(state):
    return {"log": (await child_graph.ainvoke({"log": ["from async"]}))["log"]}


builder = StateGraph(State)
builder.add_node("sync_node", sync_node)
builder.add_node("async_node", async_node)
builder.add_edge(START, "sync_node")
builder.add_edge("sync_node", "async_node")


def without_ids(chunk):
    return (tuple(part.split(":")[0] for part in chunk[0]), *chunk[1:])


async def main():
    out = []
    for checkpointer in (None, InMemorySaver()):
        graph = builder.compile(checkpointer=checkpointer)
        config = {"configurable": {"thread_id": "1"}}
        for mode in ("updates", ["updates", "values"]):
            chunks = graph.astream({"log": []}, config, stream_mode=mode, subgraphs=True)
            out.append([without_ids(c) async for c in chunks])
    return out
