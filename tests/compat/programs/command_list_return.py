"""A node may return a list of Commands (and dict updates): every update is applied in order,
every goto followed; the updates stream shows the writes (LangGraph's shape)."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    last: str


def plan(state: State):
    return [
        Command(update={"log": ["plan:1"]}),
        {"log": ["plan:2"]},
        Command(update={"last": "plan"}, goto="act"),
    ]


def act(state: State):
    return [Command(update={"log": ["act"], "last": "act"})]


builder = StateGraph(State)
builder.add_node("plan", plan)
builder.add_node("act", act)
builder.add_edge(START, "plan")
graph = builder.compile()


async def main():
    chunks = [c async for c in graph.astream({"log": []}, stream_mode="updates")]
    return chunks, await graph.ainvoke({"log": []})
