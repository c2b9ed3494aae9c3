"""A node returning None changes nothing; a Command without update only routes."""

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


def observe(state: State):
    return None


def jump(state: State):
    return Command(goto="finish")


builder = StateGraph(State)
builder.add_node("observe", observe)
builder.add_node("jump", jump)
builder.add_node("finish", lambda state: {"x": state["x"] + 1})
builder.add_edge(START, "observe")
builder.add_edge("observe", "jump")
builder.add_edge("finish", END)
graph = builder.compile()


async def main():
    return [c async for c in graph.astream({"x": 1}, stream_mode=["updates", "values"])]
