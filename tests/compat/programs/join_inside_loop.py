"""A wait-for-all join (add_edge([a, b], c)) inside a loop fires once per pass."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    passes: int


def a(state: State):
    return {"log": ["a"]}


def b(state: State):
    return {"log": ["b"]}


def b2(state: State):
    return {"log": ["b2"]}


def c(state: State):
    return {"log": ["c"], "passes": state["passes"] + 1}


def again(state: State):
    return "again" if state["passes"] < 3 else "done"


builder = StateGraph(State)
for name, fn in (("a", a), ("b", b), ("b2", b2), ("c", c)):
    builder.add_node(name, fn)
builder.add_edge(START, "a")
builder.add_edge(START, "b")
builder.add_edge("b", "b2")
builder.add_edge(["a", "b2"], "c")
builder.add_conditional_edges("c", again, {"again": "a", "done": END})
builder.add_edge("c", "b")
graph = builder.compile()


def main():
    return graph.invoke({"log": [], "passes": 0})
