"""A deferred node waits until branches of different lengths are done (the docs' example)."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    aggregate: Annotated[list, operator.add]


def make(name):
    def node(state: State):
        return {"aggregate": [name]}

    return node


builder = StateGraph(State)
builder.add_node("a", make("A"))
builder.add_node("b", make("B"))
builder.add_node("b_2", make("B_2"))
builder.add_node("c", make("C"))
builder.add_node("d", make("D"), defer=True)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("a", "c")
builder.add_edge("b", "b_2")
builder.add_edge("b_2", "d")
builder.add_edge("c", "d")
builder.add_edge("d", END)
graph = builder.compile()


async def main():
    # the order of the updates of nodes running in parallel is their completion order, on
    # LangGraph as here: only which nodes ran, and the final state, are compared
    chunks = [c async for c in graph.astream({"aggregate": []}, stream_mode="updates")]
    return await graph.ainvoke({"aggregate": []}), sorted(map(str, chunks))
