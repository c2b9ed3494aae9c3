"""add_node(..., timeout=...): an async node running past it fails with NodeTimeoutError,
each retry attempt gets the full timeout, and a graph with a sync node that has one does
not compile (ValueError)."""

import asyncio

from langgraph.errors import NodeTimeoutError
from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


ATTEMPTS = []


async def slow(state: State):
    ATTEMPTS.append(len(ATTEMPTS))
    await asyncio.sleep(0 if len(ATTEMPTS) == 3 else 5)
    return {"x": len(ATTEMPTS)}


async def main():
    out = []
    builder = StateGraph(State)
    builder.add_node("slow", slow, timeout=0.05)
    builder.add_edge(START, "slow")
    try:
        await builder.compile().ainvoke({"x": 0})
    except NodeTimeoutError as exc:
        out.append(("NodeTimeoutError", str(exc).split(" (elapsed")[0]))
    policy = RetryPolicy(initial_interval=0.001, jitter=False, max_attempts=3)
    builder = StateGraph(State)
    builder.add_node("slow", slow, timeout=0.05, retry_policy=policy)
    builder.add_edge(START, "slow")
    ATTEMPTS.clear()
    out.append(await builder.compile().ainvoke({"x": 0}))
    try:
        StateGraph(State).add_node("sync", lambda state: None, timeout=1.0).set_entry_point(
            "sync"
        ).compile()
    except ValueError as exc:
        out.append(("ValueError", str(exc)))
    return out
