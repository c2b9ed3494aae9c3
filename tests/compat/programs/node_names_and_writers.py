"""From LangGraph's test_pregel.py (test_enum_node_names, test_get_stream_writer,
test_graph_validation_with_command): a node named by a str Enum member (add_node,
add_edge from START and to END with the member); get_stream_writer() in a node that returns
its state unchanged, streamed in "custom", "values" and ["custom", "updates"] modes."""

import enum

from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class NodeName(str, enum.Enum):  # noqa: UP042 - as LangGraph's test writes it
    BAZ = "baz"


class State(TypedDict):
    foo: str
    bar: str


def baz(state: State):
    return {"bar": state["foo"] + "!"}


class Foo(TypedDict):
    foo: str


def my_node(state):
    writer = get_stream_writer()
    writer("custom!")
    return state


def main():
    graph = StateGraph(State)
    graph.add_node(NodeName.BAZ, baz)
    graph.add_edge(START, NodeName.BAZ)
    graph.add_edge(NodeName.BAZ, END)
    graph = graph.compile()
    out = [graph.invoke({"foo": "hello"}), list(graph.stream({"foo": "hi"}))]
    out.append(sorted(graph.get_graph().nodes))
    writer = StateGraph(Foo).add_node(my_node).add_edge(START, "my_node").compile()
    out.append(list(writer.stream({"foo": "bar"}, stream_mode="custom")))
    out.append(list(writer.stream({"foo": "bar"}, stream_mode="values")))
    out.append(list(writer.stream({"foo": "bar"}, stream_mode=["custom", "updates"])))
    return out
