"""Command(update=[(key, value), ...]): a list of pairs, a reducer key written twice folds
both, in order."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    name: str


def node(state: State):
    return Command(update=[("log", ["one"]), ("name", "n"), ("log", ["two"])])


builder = StateGraph(State)
builder.add_node("node", node)
builder.add_edge(START, "node")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"log": []})
