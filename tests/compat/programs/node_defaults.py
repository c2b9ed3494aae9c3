"""StateGraph.set_node_defaults (LangGraph 1.2): a default retry policy and error handler for
every node that sets none of its own; a node's own policies win."""

import operator
from typing import Annotated

from langgraph.errors import NodeError
from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


CALLS = []


def flaky(state: State):
    CALLS.append("flaky")
    raise ConnectionError("down")


def strict(state: State):
    CALLS.append("strict")
    raise ValueError("bad")


def fallback(state: State, error: NodeError):
    return {"log": [f"fallback for {error.node}"]}


def own_handler(state: State, error: NodeError):
    return {"log": [f"own handler for {error.node}"]}


builder = StateGraph(State).set_node_defaults(
    retry_policy=RetryPolicy(max_attempts=2, initial_interval=0.001, jitter=False),
    error_handler=fallback,
)
builder.add_node("flaky", flaky)
builder.add_node("strict", strict, error_handler=own_handler)
builder.add_edge(START, "flaky")
builder.add_edge(START, "strict")
graph = builder.compile()


async def main():
    CALLS.clear()
    result = await graph.ainvoke({"log": []})
    return sorted(result["log"]), sorted(CALLS)
