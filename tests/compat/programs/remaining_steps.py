"""RemainingSteps counts down; a node stops the loop before the recursion limit."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.managed import RemainingSteps
from typing_extensions import TypedDict


class State(TypedDict):
    remaining_steps: RemainingSteps
    seen: Annotated[list[int], operator.add]


def agent(state: State):
    return {"seen": [state["remaining_steps"]]}


def route(state: State):
    return END if state["remaining_steps"] <= 3 else "agent"


builder = StateGraph(State)
builder.add_node("agent", agent)
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", route, ["agent", END])
graph = builder.compile()


async def main():
    return await graph.ainvoke({}, {"recursion_limit": 10})
