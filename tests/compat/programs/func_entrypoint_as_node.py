"""An entrypoint used as a node of a graph (docs: oss/functional-api, "Functional API vs.
Graph API": both APIs share the same runtime and can be used together): the node's state
is the entrypoint's input and its return value the node's update."""

from typing import TypedDict

from langgraph.func import entrypoint, task
from langgraph.graph import END, START, StateGraph


class State(TypedDict, total=False):
    x: int
    y: int


@task
def double(v: int) -> int:
    return v * 2


@entrypoint()
def doubler(state: dict) -> dict:
    return {"y": double(state["x"]).result()}


builder = StateGraph(State)
builder.add_node("doubler", doubler)
builder.add_edge(START, "doubler")
builder.add_edge("doubler", END)
graph = builder.compile()


def main():
    return graph.invoke({"x": 3}), list(graph.stream({"x": 4}))
