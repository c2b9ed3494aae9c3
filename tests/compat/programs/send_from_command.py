"""Sends from Command(goto=[...]) beside edge-reached nodes: a step's updates merge in
LangGraph's order (edge-reached nodes by name, then the Sends as they were made)."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


def named(name):
    def node(state: State):
        return {"log": [name]}

    return node


def fan(state: State):
    return Command(
        goto=[Send("worker", 3), Send("worker", 1), Send("worker", 2)], update={"log": ["fan"]}
    )


def worker(n: int):
    return {"log": [f"worker {n}"]}


builder = StateGraph(State)
builder.add_node("zeta", named("zeta"))
builder.add_node("alpha", named("alpha"))
builder.add_node("fan", fan)
builder.add_node("worker", worker)
builder.add_edge(START, "zeta")
builder.add_edge(START, "fan")
builder.add_edge(START, "alpha")
builder.add_edge("zeta", "alpha")
graph = builder.compile()


def main():
    return graph.invoke({"log": []})
