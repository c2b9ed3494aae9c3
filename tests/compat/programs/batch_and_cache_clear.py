"""graph.batch / abatch (one run per input, results in order, per-input configs,
return_exceptions) and clear_cache forgetting a cached node's results."""

from langgraph.cache.memory import InMemoryCache
from langgraph.graph import START, StateGraph
from langgraph.types import CachePolicy
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


CALLS = []


def double(state: State):
    CALLS.append(state["x"])
    if state["x"] < 0:
        raise ValueError("negative")
    return {"x": state["x"] * 2}


builder = StateGraph(State)
builder.add_node("double", double, cache_policy=CachePolicy())
builder.add_edge(START, "double")
graph = builder.compile(cache=InMemoryCache())


async def main():
    CALLS.clear()
    out = [await graph.abatch([{"x": 1}, {"x": 2}, {"x": 3}])]
    out.append(await graph.abatch([{"x": 1}, {"x": -1}], return_exceptions=True))
    graph.clear_cache()
    out.append(await graph.abatch([{"x": 1}], [{"max_concurrency": 1}]))
    await graph.aclear_cache(["double"])
    out.append(sorted(CALLS))
    return out
