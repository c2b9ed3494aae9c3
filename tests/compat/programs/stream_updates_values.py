"""stream_mode "updates", "values" and a list of both."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


builder = StateGraph(State)
builder.add_node("a", lambda state: {"log": ["a"]})
builder.add_node("b", lambda state: {"topic": state["topic"] + "!", "log": ["b"]})
builder.add_edge(START, "a")
builder.add_edge("a", "b")
graph = builder.compile()


async def main():
    inp = {"topic": "t"}
    updates = [c async for c in graph.astream(inp, stream_mode="updates")]
    values = [c async for c in graph.astream(inp, stream_mode="values")]
    both = [c async for c in graph.astream(inp, stream_mode=["updates", "values"])]
    return updates, values, both
