"""Overwrite bypasses a reducer."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Overwrite
from typing_extensions import TypedDict


class State(TypedDict):
    items: Annotated[list[int], operator.add]


builder = StateGraph(State)
builder.add_node("grow", lambda state: {"items": [3]})
builder.add_node("reset", lambda state: {"items": Overwrite([len(state["items"])])})
builder.add_edge(START, "grow")
builder.add_edge("grow", "reset")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"items": [1, 2]})
