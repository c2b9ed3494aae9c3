"""timeout= as a timedelta or a TimeoutPolicy(run_timeout=...), and the NodeTimeoutError
fields a program reads."""

import asyncio
from datetime import timedelta

from langgraph.errors import NodeTimeoutError
from langgraph.graph import START, StateGraph
from langgraph.types import TimeoutPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


async def slow(state: State):
    await asyncio.sleep(5)
    return {"x": 1}


async def quick(state: State):
    return {"x": state["x"] + 1}


async def main():
    out = []
    for limit in (timedelta(milliseconds=50), TimeoutPolicy(run_timeout=0.05)):
        builder = StateGraph(State)
        builder.add_node("slow", slow, timeout=limit)
        builder.add_edge(START, "slow")
        try:
            await builder.compile().ainvoke({"x": 0})
        except NodeTimeoutError as exc:
            out.append((exc.node, exc.run_timeout))
    builder = StateGraph(State)
    builder.add_node("quick", quick, timeout=TimeoutPolicy(run_timeout=5))
    builder.add_edge(START, "quick")
    out.append(await builder.compile().ainvoke({"x": 1}))
    return out
