"""A node that keeps failing is tried max_attempts times, then its error reaches the caller;
retry_on as a tuple of exception classes."""

from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


class Flaky(Exception):
    pass


ATTEMPTS = []


async def always_fails(state: State):
    ATTEMPTS.append(1)
    raise Flaky("still down")


builder = StateGraph(State)
builder.add_node(
    "always_fails",
    always_fails,
    retry_policy=RetryPolicy(
        max_attempts=4, initial_interval=0.001, jitter=False, retry_on=(Flaky, KeyError)
    ),
)
builder.add_edge(START, "always_fails")
graph = builder.compile()


async def main():
    try:
        await graph.ainvoke({"x": 1})
    except Flaky as exc:
        return "Flaky", str(exc), len(ATTEMPTS)
    return "no error"
