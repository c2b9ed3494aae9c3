"""From LangGraph's test_state.py (test_input_schema_conditional_edge,
test_private_input_schema_conditional_edge): a node writes a private key (in no schema but a
later node's input schema), the next node reads it through its own TypedDict input; a
conditional edge's path function sees the graph's state (without the private key), or, when
annotated with a private schema, only that schema's keys. (LangGraph's test also writes a key
in no schema at all, which LangGraph drops and graphstage refuses on purpose:
unknown_key_update.)"""

import operator
from typing import Annotated

from langgraph.graph import StateGraph
from typing_extensions import TypedDict


class OverallState(TypedDict):
    foo: Annotated[int, operator.add]
    bar: str


class PrivateState(TypedDict):
    baz: str


class Node2State(TypedDict):
    foo: Annotated[int, operator.add]
    baz: str


seen = []


def node_1(state: OverallState):
    return {"foo": 1, "baz": "bar"}


def node_2(state: PrivateState):
    seen.append(("node_2", dict(state)))
    return {"foo": 1, "bar": state["baz"]}


def node_3(state: OverallState):
    return {"foo": 1}


def router(state: OverallState):
    seen.append(("router", dict(state)))
    return "node_3" if state["foo"] == 2 else "__end__"


def first_graph():
    builder = StateGraph(OverallState)
    builder.add_node(node_1)
    builder.add_node(node_2)
    builder.add_node(node_3)
    builder.add_conditional_edges("node_2", router)
    builder.add_edge("__start__", "node_1")
    builder.add_edge("node_1", "node_2")
    return builder.compile()


def node_1b(state: OverallState):
    return {"foo": 1, "baz": "meow"}


def node_2b(state: Node2State):
    seen.append(("node_2b", dict(state)))
    return {"foo": 1, "bar": state["baz"]}


def private_router(state: PrivateState):
    seen.append(("private_router", dict(state)))
    return "node_2b" if state["baz"] == "meow" else "__end__"


def second_graph():
    builder = StateGraph(OverallState)
    builder.add_node(node_1b)
    builder.add_node(node_2b)
    builder.add_conditional_edges("node_1b", private_router)
    builder.add_edge("__start__", "node_1b")
    return builder.compile()


def main():
    out = [first_graph().invoke({"foo": 0})]
    out.append(second_graph().invoke({"foo": 0}))
    out.append(list(second_graph().stream({"foo": 0})))
    out.append(seen)
    return out
