"""A graph for the CLI tests: draft -> approve (asks, via interrupt()) -> publish.

Each node appends its name to the file named by the state's ``trace`` field, so a test can
count side effects across processes. ``approve`` answers a stop with ``Command(goto=
"cleanup")``. ``slow`` waits for the file named by ``gate`` to exist.
"""

import asyncio
import operator
from pathlib import Path
from typing import Annotated, TypedDict

from graphstage import END, START, Command, StateGraph, interrupt


class State(TypedDict, total=False):
    trace: str
    gate: str
    log: Annotated[list, operator.add]


def _mark(state: State, name: str) -> None:
    with open(state["trace"], "a", encoding="utf-8") as f:
        f.write(name + "\n")


async def draft(state: State) -> dict:
    _mark(state, "draft")
    return {"log": ["drafted"]}


async def slow(state: State) -> dict:
    _mark(state, "slow")
    # the gate is a file another process creates: polling it is the point
    while state.get("gate") and not Path(state["gate"]).exists():  # noqa: ASYNC110, ASYNC240
        await asyncio.sleep(0.02)
    return {"log": ["slow done"]}


async def approve(state: State) -> dict | Command:
    _mark(state, "approve")
    try:
        answer = interrupt({"question": "publish?", "log": state["log"]})
    except asyncio.CancelledError:
        return Command(goto="cleanup")
    return {"log": [f"approved={answer}"]}


async def publish(state: State) -> dict:
    _mark(state, "publish")
    return {"log": ["published"]}


async def cleanup(state: State) -> dict:
    _mark(state, "cleanup")
    return {"log": ["cleaned up"]}


builder = StateGraph(State)
for name, fn in [("draft", draft), ("slow", slow), ("approve", approve), ("publish", publish)]:
    builder.add_node(name, fn)
builder.add_node("cleanup", cleanup)
builder.add_edge(START, "draft")
builder.add_edge("draft", "slow")
builder.add_edge("slow", "approve")
builder.add_edge("approve", "publish")
builder.add_edge("publish", END)
graph = builder.compile()
