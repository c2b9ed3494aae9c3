"""The default retry_on retries a ConnectionError and a custom error, not a ValueError."""

from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from typing_extensions import TypedDict


class State(TypedDict):
    kind: str


class Flaky(Exception):
    pass


async def main():
    out = []
    for kind, error in (("value", ValueError), ("conn", ConnectionError), ("custom", Flaky)):
        calls = []

        def node(state: State, error=error, calls=calls):
            calls.append(1)
            raise error(state["kind"])

        builder = StateGraph(State)
        policy = RetryPolicy(initial_interval=0.001, max_interval=0.002, jitter=False)
        builder.add_node("node", node, retry_policy=policy)
        builder.add_edge(START, "node")
        try:
            await builder.compile().ainvoke({"kind": kind})
        except Exception as exc:
            out.append((kind, type(exc).__name__, len(calls)))
    return out
