"""A node that fails twice with a retried error succeeds on its third attempt."""

from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    attempts: int


CALLS = []


def flaky(state: State):
    CALLS.append(len(CALLS))
    if len(CALLS) < 3:
        raise ConnectionError("try again")
    return {"attempts": len(CALLS)}


builder = StateGraph(State)
builder.add_node(
    "flaky", flaky, retry_policy=RetryPolicy(initial_interval=0.01, jitter=False, max_attempts=3)
)
builder.add_edge(START, "flaky")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"attempts": 0}), CALLS
