"""From LangGraph's test_retry.py: a conditional edge picks one of two failing nodes; each
has its own error handler, which hears its own node's error."""

import operator
from typing import Annotated

from langgraph.errors import NodeError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    route: str
    foo: Annotated[list[str], operator.add]


def route_node(state: State):
    return {"foo": []}


def choose_node(state: State) -> str:
    return state["route"]


def fail_a(state: State):
    raise ValueError("a failed")


def fail_b(state: State):
    raise RuntimeError("b failed")


def handler_a(state: State, error: NodeError):
    return {"foo": [f"handled_a: {error.node}: {error.error}"]}


def handler_b(state: State, error: NodeError):
    return {"foo": [f"handled_b: {error.node}: {error.error}"]}


graph = (
    StateGraph(State)
    .add_node("route_node", route_node)
    .add_node("fail_a", fail_a, error_handler=handler_a)
    .add_node("fail_b", fail_b, error_handler=handler_b)
    .add_edge(START, "route_node")
    .add_conditional_edges("route_node", choose_node, path_map=["fail_a", "fail_b"])
    .compile()
)


def main():
    return graph.invoke({"route": "fail_a", "foo": []}), graph.invoke(
        {"route": "fail_b", "foo": []}
    )
