"""add_sequence with functions and (name, function) pairs."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    value_1: str
    value_2: int
    log: Annotated[list[str], operator.add]


def step_1(state: State):
    return {"value_1": "a", "log": ["step_1"]}


def step_2(state: State):
    current = state["value_1"]
    return {"value_1": f"{current} b", "log": ["step_2"]}


def step_3(state: State):
    return {"value_2": 10, "log": ["step_3"]}


builder = StateGraph(State).add_sequence([step_1, ("second", step_2), step_3])
builder.add_edge(START, "step_1")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"value_1": "c"}), [
        c async for c in graph.astream({"value_1": "c"}, stream_mode="updates")
    ]
