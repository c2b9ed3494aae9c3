"""Nodes route with Command[Literal[...]] and no edges between them (the Command how-to)."""

import random
from typing import Literal

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    foo: str


def node_a(state: State) -> Command[Literal["node_b", "node_c"]]:
    value = random.Random(state["foo"]).choice(["b", "c"])
    goto = "node_b" if value == "b" else "node_c"
    return Command(update={"foo": value}, goto=goto)


def node_b(state: State):
    return {"foo": state["foo"] + "b"}


def node_c(state: State):
    return {"foo": state["foo"] + "c"}


builder = StateGraph(State)
builder.add_edge(START, "node_a")
builder.add_node(node_a)
builder.add_node(node_b)
builder.add_node(node_c)
graph = builder.compile()


async def main():
    return [await graph.ainvoke({"foo": seed}) for seed in ("x", "y", "z", "w")]
