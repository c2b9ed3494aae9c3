"""A typing_extensions TypedDict state with an operator.add reducer and a three-node chain
(the quickstart's shape)."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    topic: str
    steps: Annotated[list[str], operator.add]


def plan(state: State):
    return {"steps": [f"plan {state['topic']}"]}


def write(state: State):
    return {"steps": ["write"]}


def review(state: State):
    return {"steps": [f"review {len(state['steps'])}"]}


builder = StateGraph(State)
builder.add_node("plan", plan)
builder.add_node("write", write)
builder.add_node("review", review)
builder.add_edge(START, "plan")
builder.add_edge("plan", "write")
builder.add_edge("write", "review")
builder.add_edge("review", END)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"topic": "cats"})
