"""get_graph().nodes is a dict of node id -> node (id, name, data, metadata), as LangGraph's
Graph holds them; with xray a subgraph's nodes are keyed ``node:inner`` and named ``inner``."""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    x: int


def inner(state):
    return {"x": state["x"] + 1}


def work(state):
    return {"x": state["x"] * 2}


sub = StateGraph(State)
sub.add_node("i1", inner)
sub.add_node("i2", inner)
sub.add_edge(START, "i1")
sub.add_edge("i1", "i2")

top = StateGraph(State)
top.add_node("work", work, metadata={"owner": "ops"})
top.add_node("mid", sub.compile())
top.add_edge(START, "work")
top.add_edge("work", "mid")
top.add_edge("mid", END)
graph = top.compile()


def described(drawn):
    return [
        (key, node.id, node.name, node.metadata, node.data is None)
        for key, node in drawn.nodes.items()
        if key in ("work", "mid", "__end__", "mid:i1", "mid:i2")
    ]


def main():
    plain = graph.get_graph()
    return [
        type(plain.nodes).__name__,
        described(plain),
        sorted(plain.nodes),
        described(graph.get_graph(xray=True)),
        plain.nodes["work"].data is not None,
        [(e.source, e.target) for e in plain.edges],
    ]
