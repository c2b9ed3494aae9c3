"""stream_mode "tasks" and "debug": each node's start (its input) and result; "checkpoints"
yields nothing without a checkpointer."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    x: int
    log: Annotated[list, operator.add]


builder = StateGraph(State)
builder.add_node("a", lambda state: {"x": state["x"] + 1, "log": ["a"]})
builder.add_node("b", lambda state: None)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
graph = builder.compile()


async def main():
    tasks = [c async for c in graph.astream({"x": 1}, stream_mode="tasks")]
    debug = [c async for c in graph.astream({"x": 1}, stream_mode="debug")]
    for chunk in debug:
        chunk.pop("timestamp")
    checkpoints = [c async for c in graph.astream({"x": 1}, stream_mode="checkpoints")]
    return tasks, debug, checkpoints
