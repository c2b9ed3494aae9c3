"""An Annotated[int, operator.add] counter folds the input and every loop pass; a dict
reducer merges keys."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


def merge(left: dict, right: dict) -> dict:
    return {**left, **right}


class State(TypedDict):
    count: Annotated[int, operator.add]
    seen: Annotated[dict, merge]


def tick(state: State):
    return {"count": 1, "seen": {f"pass{state['count']}": state["count"]}}


builder = StateGraph(State)
builder.add_node(tick)
builder.add_edge(START, "tick")
builder.add_conditional_edges("tick", lambda s: "tick" if s["count"] < 8 else END)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"count": 5, "seen": {"start": True}})
