"""astream(subgraphs=True) with a consumer that awaits between chunks: the parent graph's
steps are held (the node after the subgraph starts only once the consumer has handled the
subgraph node's update and asked for the next chunk), while the subgraph's own steps go on
inside its node as its chunks wait, on both engines. Then a consumer that breaks after the
first chunk, the thread read at once (get_state, history) and continued with
ainvoke(None). Namespaces are shown by node name (the task ids in them are random)."""

import asyncio
import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

LOG = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def node(name):
    async def run(state):
        LOG.append(("start", name))
        return {"log": [name]}

    return run


def chain(names):
    builder = StateGraph(State)
    previous = START
    for name in names:
        builder.add_node(name, node(name))
        builder.add_edge(previous, name)
        previous = name
    return builder


inner = chain(["s1", "s2"]).compile()
outer = StateGraph(State)
outer.add_node("a", node("a"))
outer.add_node("sub", inner)
outer.add_node("b", node("b"))
outer.add_edge(START, "a")
outer.add_edge("a", "sub")
outer.add_edge("sub", "b")


def names(ns):
    return tuple(part.split(":")[0] for part in ns)


async def main():
    out = []
    graph = outer.compile()
    async for ns, chunk in graph.astream({"log": []}, stream_mode="updates", subgraphs=True):
        LOG.append(("chunk", names(ns), chunk))
        await asyncio.sleep(0.01)
    # when each node started, relative to the parent's chunks (the subgraph's own chunks
    # and starts interleave by timing on both engines)
    parent = [
        e for e in LOG if (e[0] == "start" and e[1] in ("a", "b")) or (e[0] == "chunk" and not e[1])
    ]
    starts = sorted(e[1] for e in LOG if e[0] == "start")
    inner_chunks = [e for e in LOG if e[0] == "chunk" and e[1]]
    out.append((parent, starts, inner_chunks))
    LOG.clear()
    graph = outer.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    async for _ in graph.astream(
        {"log": []}, config, stream_mode="updates", subgraphs=True, durability="sync"
    ):
        break
    state = graph.get_state(config)
    history = [(s.metadata["step"], s.next) for s in graph.get_state_history(config)]
    out.append((list(LOG), state.values, state.next, history))
    out.append((await graph.ainvoke(None, config), list(LOG)))
    return out
