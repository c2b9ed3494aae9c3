"""typing.TypedDict state, sync nodes, sync invoke."""

from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    x: int
    y: int


def double(state: State):
    return {"x": state["x"] * 2}


def add_y(state: State):
    return {"y": state["x"] + 1}


builder = StateGraph(State)
builder.add_node("double", double)
builder.add_node("add_y", add_y)
builder.add_edge(START, "double")
builder.add_edge("double", "add_y")
graph = builder.compile()


def main():
    return graph.invoke({"x": 3})
