"""A graph for the CLI tests: fan -> (flaky, steady) -> join [flaky, steady] -> tail.

Each node appends its name to the file named by the state's ``trace`` field. ``flaky``
fails until the file named by ``fix`` exists, and only once ``steady`` has finished, so the
step always ends with steady's write kept.
"""

import asyncio
import operator
import os
from typing import Annotated, TypedDict

from graphstage import START, StateGraph

STEADY_DONE = asyncio.Event()  # one run per process: bound to its loop on first use


class State(TypedDict, total=False):
    trace: str
    fix: str
    log: Annotated[list, operator.add]


def _mark(state: State, name: str) -> None:
    with open(state["trace"], "a", encoding="utf-8") as f:
        f.write(name + "\n")


async def fan(state: State) -> dict:
    _mark(state, "fan")
    return {"log": ["fan"]}


async def flaky(state: State) -> dict:
    _mark(state, "flaky")
    if not os.path.exists(state["fix"]):  # noqa: ASYNC240  (a file another process makes)
        await STEADY_DONE.wait()
        raise RuntimeError("flaky is not fixed yet")
    return {"log": ["flaky"]}


async def steady(state: State) -> dict:
    _mark(state, "steady")
    STEADY_DONE.set()
    return {"log": ["steady"]}


async def tail(state: State) -> dict:
    _mark(state, "tail")
    return {"log": ["tail"]}


builder = StateGraph(State)
for name, fn in [("fan", fan), ("flaky", flaky), ("steady", steady), ("tail", tail)]:
    builder.add_node(name, fn)
builder.add_edge(START, "fan")
builder.add_edge("fan", "flaky")
builder.add_edge("fan", "steady")
builder.add_edge(["flaky", "steady"], "tail")
graph = builder.compile()
