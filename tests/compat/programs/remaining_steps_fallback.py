"""The recursion-limit how-to's RemainingSteps pattern: a loop that routes to a fallback
node before the limit instead of raising."""

import operator
from typing import Annotated, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.managed import RemainingSteps
from typing_extensions import TypedDict


class State(TypedDict):
    aggregate: Annotated[list, operator.add]
    remaining_steps: RemainingSteps


def a(state: State):
    return {"aggregate": ["A"]}


def b(state: State):
    return {"aggregate": ["B"]}


def fallback(state: State):
    return {"aggregate": [f"fallback at {state['remaining_steps']}"]}


def route(state: State) -> Literal["b", "fallback"]:
    return "fallback" if state["remaining_steps"] <= 2 else "b"


builder = StateGraph(State)
builder.add_node(a)
builder.add_node(b)
builder.add_node(fallback)
builder.add_edge(START, "a")
builder.add_conditional_edges("a", route)
builder.add_edge("b", "a")
builder.add_edge("fallback", END)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"aggregate": []}, {"recursion_limit": 8})
