"""What astream_events does with a failing node and with its ``version`` argument: the
events up to the failure then the node's exception; ``version="v1"`` (deprecated in
langchain-core, still served) gives its own event shapes; an unknown version is refused
with langchain-core's message."""

import warnings
from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    x: int


def ok(state: State):
    return {"x": state["x"] + 1}


def boom(state: State):
    raise ValueError(f"boom at {state['x']}")


graph = StateGraph(State).add_node(ok).add_edge(START, "ok").compile()
failing = (
    StateGraph(State).add_node(ok).add_node(boom).add_edge(START, "ok").add_edge("ok", "boom")
).compile()


async def main():
    out = {}
    seen = []
    try:
        async for e in failing.astream_events({"x": 1}, version="v2"):
            seen.append((e["event"], e["name"]))
    except ValueError as exc:
        seen.append(("raised", str(exc)))
    out["failing"] = seen
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["v1"] = [
            (e["event"], e["name"], sorted(e["data"]))
            async for e in graph.astream_events({"x": 1}, version="v1")
        ]
    try:
        async for _ in graph.astream_events({"x": 1}, version="v9"):
            pass
    except NotImplementedError as exc:
        out["v9"] = str(exc)
    return out
