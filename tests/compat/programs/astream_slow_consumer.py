"""A consumer of astream() that awaits something between chunks (here a short sleep, as a
consumer writing to a socket would): the run is held while it does, as LangGraph's
generator holds it, so each node starts only after the consumer has handled the chunks
before it and asked for the next. Nodes and the consumer write to one log in the order
things happen: a chain, then a fan-out step of two nodes and the node they join into.
Without the hold every node would have started before the consumer handled its first
chunk."""

import asyncio
import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

LOG = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def node(name):
    async def run(state):
        LOG.append(("start", name, len(state["log"])))
        return {"log": [name]}

    return run


builder = StateGraph(State)
for name in ("a", "b", "c", "d", "e"):
    builder.add_node(name, node(name))
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "c")
builder.add_edge("b", "d")
builder.add_edge(["c", "d"], "e")
graph = builder.compile()


async def main():
    out = []
    for mode in ("updates", "values", ["updates", "values"]):
        LOG.clear()
        async for chunk in graph.astream({"log": []}, stream_mode=mode):
            LOG.append(("chunk", chunk))
            await asyncio.sleep(0.01)
            LOG.append(("handled",))
        out.append(list(LOG))
    return out
