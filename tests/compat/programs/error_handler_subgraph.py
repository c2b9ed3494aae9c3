"""From LangGraph's test_retry.py: a compiled subgraph added as a node with an error handler;
a failure inside the subgraph is answered by the parent's handler, which hears the
subgraph node's name."""

from langgraph.errors import NodeError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class SubState(TypedDict):
    foo: str


class ParentState(TypedDict):
    foo: str


def sub_fail_node(state: SubState):
    raise ValueError("subgraph boom")


def parent_handler(state: ParentState, error: NodeError):
    return {"foo": f"handled_by_parent: {error.node}: {error.error}"}


subgraph = (
    StateGraph(SubState).add_node("sub_fail_node", sub_fail_node).add_edge(START, "sub_fail_node")
).compile()

parent_graph = (
    StateGraph(ParentState)
    .add_node("subgraph_node", subgraph, error_handler=parent_handler)
    .add_edge(START, "subgraph_node")
    .compile()
)


def main():
    return parent_graph.invoke({"foo": ""})
