"""A graph for the CLI's SIGKILL test: fan -> (fast, slow) -> join [fast, slow] -> tail.

Each node appends its name to the file named by the state's ``trace`` field when it starts
(so the test counts executions across processes). ``slow`` then waits until the file named
by ``gate`` exists: the test kills the process while it waits, with ``fast`` finished.
"""

import asyncio
import operator
import os
from typing import Annotated, TypedDict

from graphstage import START, StateGraph


class State(TypedDict, total=False):
    trace: str
    gate: str
    log: Annotated[list, operator.add]


def _mark(state: State, name: str) -> None:
    with open(state["trace"], "a", encoding="utf-8") as f:
        f.write(name + "\n")


async def fan(state: State) -> dict:
    _mark(state, "fan")
    return {"log": ["fan"]}


async def fast(state: State) -> dict:
    _mark(state, "fast")
    return {"log": ["fast"]}


async def slow(state: State) -> dict:
    _mark(state, "slow")
    while not os.path.exists(state["gate"]):  # noqa: ASYNC110, ASYNC240 - another process makes it
        await asyncio.sleep(0.02)
    return {"log": ["slow"]}


async def tail(state: State) -> dict:
    _mark(state, "tail")
    return {"log": ["tail"]}


builder = StateGraph(State)
for name, fn in [("fan", fan), ("fast", fast), ("slow", slow), ("tail", tail)]:
    builder.add_node(name, fn)
builder.add_edge(START, "fan")
builder.add_edge("fan", "fast")
builder.add_edge("fan", "slow")
builder.add_edge(["fast", "slow"], "tail")
graph = builder.compile()
