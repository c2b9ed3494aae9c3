"""The graph API how-to, navigate to a node in a parent graph: a subgraph's node returns
Command(update=..., goto=node_b or node_c, graph=Command.PARENT); the parent's foo has an
operator.add reducer, so the subgraph's and the chosen node's letters add up. The random
choice comes from a seeded random.Random of the program's own (LangGraph draws from the
global one for its checkpoint ids, between the seed and the node)."""

import operator
import random
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict

CALLED = []
rng = random.Random()


class State(TypedDict):
    # NOTE: we define a reducer here
    foo: Annotated[str, operator.add]


def node_a(state: State):
    CALLED.append("A")
    value = rng.choice(["a", "b"])
    # this is a replacement for a conditional edge function
    if value == "a":
        goto = "node_b"
    else:
        goto = "node_c"

    # note how Command allows you to BOTH update the graph state AND route to the next node
    return Command(
        update={"foo": value},
        goto=goto,
        # this tells LangGraph to navigate to node_b or node_c in the parent graph
        # NOTE: this will navigate to the closest parent graph relative to the subgraph
        graph=Command.PARENT,
    )


subgraph = StateGraph(State).add_node(node_a).add_edge(START, "node_a").compile()


def node_b(state: State):
    CALLED.append("B")
    # NOTE: since we've defined a reducer, we don't need to manually append
    # new characters to existing 'foo' value. instead, reducer will append these
    # automatically (via operator.add)
    return {"foo": "b"}


def node_c(state: State):
    CALLED.append("C")
    return {"foo": "c"}


builder = StateGraph(State)
builder.add_edge(START, "subgraph")
builder.add_node("subgraph", subgraph)
builder.add_node(node_b)
builder.add_node(node_c)

graph = builder.compile()


def main():
    out = []
    for seed in range(4):
        rng.seed(seed)
        out.append(graph.invoke({"foo": ""}))
    rng.seed(7)
    out.append(list(graph.stream({"foo": ""}, subgraphs=True)))
    out.append(CALLED)
    return [[(len(ns), c) for ns, c in item] if i == 4 else item for i, item in enumerate(out)]
