"""A module with `from __future__ import annotations`: string annotations on the state, the
reducer and a node's private input schema still resolve."""

from __future__ import annotations

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    items: Annotated[list[int], operator.add]
    total: int


class Scratch(TypedDict):
    doubled: list[int]


def double(state: State) -> Scratch:
    return {"doubled": [i * 2 for i in state["items"]]}


def add_up(state: Scratch) -> State:
    return {"total": sum(state["doubled"]), "items": [0]}


builder = StateGraph(State)
builder.add_node(double)
builder.add_node(add_up)
builder.add_edge(START, "double")
builder.add_edge("double", "add_up")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"items": [1, 2, 3]})
