"""Command(goto=[...]) runs two nodes in the next step; their reducer writes merge."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    hits: Annotated[list[str], operator.add]


def dispatch(state: State):
    return Command(update={"hits": ["dispatch"]}, goto=["worker_b", "worker_a"])


builder = StateGraph(State)
builder.add_node("dispatch", dispatch)
builder.add_node("worker_a", lambda state: {"hits": ["a"]})
builder.add_node("worker_b", lambda state: {"hits": ["b"]})
builder.add_edge(START, "dispatch")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"hits": []})
