"""The error handler hears the last error, after the retry policy's attempts (and a node
timeout counts as a failure it answers)."""

import asyncio
import operator
from typing import Annotated

from langgraph.errors import NodeError
from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


ATTEMPTS = []


def flaky(state: State):
    ATTEMPTS.append(1)
    raise ConnectionError(f"attempt {len(ATTEMPTS)}")


async def slow(state: State):
    await asyncio.sleep(5)
    return {"log": ["slow"]}


def handler(state: State, error: NodeError):
    attempts = len(ATTEMPTS) if error.node == "flaky" else "-"  # slow's may come first
    return {"log": [f"{error.node}: {type(error.error).__name__}: {attempts}"]}


policy = RetryPolicy(max_attempts=3, initial_interval=0.001, jitter=False)
builder = StateGraph(State)
builder.add_node("flaky", flaky, retry_policy=policy, error_handler=handler)
builder.add_node("slow", slow, timeout=0.05, error_handler=handler)
builder.add_edge(START, "flaky")
builder.add_edge(START, "slow")
graph = builder.compile()


async def main():
    ATTEMPTS.clear()
    result = await graph.ainvoke({"log": []})
    return sorted(result["log"]), len(ATTEMPTS)
