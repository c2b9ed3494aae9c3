"""A node with a CachePolicy runs once per distinct input when compiled with a cache."""

from langgraph.cache.memory import InMemoryCache
from langgraph.graph import START, StateGraph
from langgraph.types import CachePolicy
from typing_extensions import TypedDict


class State(TypedDict):
    x: int
    result: int


CALLS = []


def expensive(state: State):
    CALLS.append(state["x"])
    return {"result": state["x"] * 10}


builder = StateGraph(State)
builder.add_node("expensive", expensive, cache_policy=CachePolicy(ttl=60))
builder.add_edge(START, "expensive")
graph = builder.compile(cache=InMemoryCache())


async def main():
    results = [(await graph.ainvoke({"x": x}))["result"] for x in (1, 2, 1, 1)]
    return results, CALLS
