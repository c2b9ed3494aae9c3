"""The streaming how-to, stream subgraph outputs: a compiled subgraph as a node (a shared key
and one of its own); stream(subgraphs=True) yields (namespace, chunk) pairs, the subgraph's
under ("node_2:<task id>",); without subgraphs=True only the parent's updates."""

from typing import TypedDict

from langgraph.graph import START, StateGraph


# Define subgraph
class SubgraphState(TypedDict):
    foo: str  # note that this key is shared with the parent graph state
    bar: str


def subgraph_node_1(state: SubgraphState):
    return {"bar": "bar"}


def subgraph_node_2(state: SubgraphState):
    return {"foo": state["foo"] + state["bar"]}


subgraph_builder = StateGraph(SubgraphState)
subgraph_builder.add_node(subgraph_node_1)
subgraph_builder.add_node(subgraph_node_2)
subgraph_builder.add_edge(START, "subgraph_node_1")
subgraph_builder.add_edge("subgraph_node_1", "subgraph_node_2")
subgraph = subgraph_builder.compile()


# Define parent graph
class ParentState(TypedDict):
    foo: str


def node_1(state: ParentState):
    return {"foo": "hi! " + state["foo"]}


builder = StateGraph(ParentState)
builder.add_node("node_1", node_1)
builder.add_node("node_2", subgraph)
builder.add_edge(START, "node_1")
builder.add_edge("node_1", "node_2")
graph = builder.compile()


def main():
    out = []
    for namespace, chunk in graph.stream(
        {"foo": "foo"},
        stream_mode="updates",
        subgraphs=True,
    ):
        # the task id after ":" is random on both sides: keep the node's name
        out.append(([part.split(":")[0] for part in namespace], chunk))
    out.append(list(graph.stream({"foo": "foo"}, stream_mode="updates")))
    out.append(
        [
            (len(ns), mode, chunk)
            for ns, mode, chunk in graph.stream(
                {"foo": "foo"}, stream_mode=["values", "updates"], subgraphs=True
            )
        ]
    )
    return out
