"""add_node(..., destinations=...) with a Command-returning node and an update."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def router(state: State):
    goto = "left" if len(state["log"]) % 2 else "right"
    return Command(update={"log": [f"to {goto}"]}, goto=goto)


builder = StateGraph(State)
builder.add_node("router", router, destinations=("left", "right"))
builder.add_node("left", lambda state: {"log": ["left"]})
builder.add_node("right", lambda state: {"log": ["right"]})
builder.add_edge(START, "router")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"log": []}), await graph.ainvoke({"log": ["x"]})
