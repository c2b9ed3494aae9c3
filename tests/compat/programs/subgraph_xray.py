"""get_graph(xray=...) draws subgraphs' nodes in place of their nodes, named
"parent:child", three levels deep: a subgraph whose START fans out keeps its START and END
("mid:__start__"), one with a single first and last node is entered and left through them;
xray=1 expands one level (LangGraph's graph-visualisation how-to)."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


def work(state):
    return {}


def route(state):
    return "again" if len(state["log"]) < 2 else "done"


inner = StateGraph(State)
inner.add_node("i1", work)
inner.add_node("i2", work)
inner.add_edge(START, "i1")
inner.add_edge("i1", "i2")

mid = StateGraph(State)
mid.add_node("m1", work)
mid.add_node("inner", inner.compile())
mid.add_node("m2", work)
mid.add_edge(START, "m1")
mid.add_edge(START, "m2")
mid.add_edge("m1", "inner")
mid.add_edge("m2", "inner")
mid.add_conditional_edges("inner", route, {"done": END, "again": "m1"})

called = StateGraph(State)
called.add_node("c1", work)
called.add_edge(START, "c1")
called_graph = called.compile()


def caller(state):
    return called_graph.invoke(state)


top = StateGraph(State)
top.add_node("t1", work)
top.add_node("mid", mid.compile())
top.add_node("caller", caller)
top.add_edge(START, "t1")
top.add_edge("t1", "mid")
top.add_edge("mid", "caller")
graph = top.compile()


def drawn(xray):
    g = graph.get_graph(xray=xray)
    return sorted(g.nodes), sorted((e.source, e.target, e.conditional) for e in g.edges)


def main():
    return [drawn(True), drawn(1), drawn(2)]
