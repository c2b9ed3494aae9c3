"""The loops how-to's shape: a loop through a fan-out and a wait-for-all join, ended by its
condition, and the same loop cut short by recursion_limit=4."""

import operator
from typing import Annotated, Literal

from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    aggregate: Annotated[list, operator.add]


def make(name):
    def node(state: State):
        return {"aggregate": [name]}

    return node


def route(state: State) -> Literal["b", END]:
    return "b" if len(state["aggregate"]) < 7 else END


builder = StateGraph(State)
for name in ("a", "b", "c", "d"):
    builder.add_node(name, make(name.upper()))
builder.add_edge(START, "a")
builder.add_conditional_edges("a", route)
builder.add_edge("b", "c")
builder.add_edge("b", "d")
builder.add_edge(["c", "d"], "a")
graph = builder.compile()


async def main():
    out = [await graph.ainvoke({"aggregate": []})]
    try:
        await graph.ainvoke({"aggregate": []}, {"recursion_limit": 4})
    except GraphRecursionError:
        out.append("GraphRecursionError")
    return out
