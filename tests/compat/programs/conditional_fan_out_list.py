"""A path function returning a list of node names fans out."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    wanted: list[str]
    done: Annotated[list[str], operator.add]


def make(name):
    return lambda state: {"done": [name]}


builder = StateGraph(State)
builder.add_node("plan", lambda state: None)
for name in ("x", "y", "z"):
    builder.add_node(name, make(name))
    builder.add_edge(name, END)
builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", lambda state: state["wanted"], ["x", "y", "z"])
graph = builder.compile()


async def main():
    return [await graph.ainvoke({"wanted": w}) for w in (["z", "x"], ["y"])]
