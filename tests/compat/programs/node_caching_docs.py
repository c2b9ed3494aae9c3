"""The graph API concepts page, node caching: a node with CachePolicy(ttl=3) compiled with
InMemoryCache; invoke(..., stream_mode="updates") returns the updates, the second run's
marked {"__metadata__": {"cached": True}} without running the node (the page's
time.sleep(2) left out, the calls counted instead)."""

from langgraph.cache.memory import InMemoryCache
from langgraph.graph import StateGraph
from langgraph.types import CachePolicy
from typing_extensions import TypedDict

CALLS = []


class State(TypedDict):
    x: int
    result: int


builder = StateGraph(State)


def expensive_node(state: State) -> dict[str, int]:
    # expensive computation
    CALLS.append(state["x"])
    return {"result": state["x"] * 2}


builder.add_node("expensive_node", expensive_node, cache_policy=CachePolicy(ttl=3))
builder.set_entry_point("expensive_node")
builder.set_finish_point("expensive_node")

graph = builder.compile(cache=InMemoryCache())


def main():
    out = [graph.invoke({"x": 5}, stream_mode="updates")]
    out.append(graph.invoke({"x": 5}, stream_mode="updates"))
    out.append(graph.invoke({"x": 6}))
    out.append(list(graph.stream({"x": 6}, stream_mode=["updates", "values"])))
    out.append(CALLS)
    return out
