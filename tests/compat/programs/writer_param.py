"""A node taking writer streams custom chunks between updates."""

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    items: list[str]


async def produce(state: State, writer):
    for item in state["items"]:
        writer(f"item {item}")
    return {"items": state["items"] + ["done"]}


builder = StateGraph(State)
builder.add_node("produce", produce)
builder.add_edge(START, "produce")
graph = builder.compile()


async def main():
    return [c async for c in graph.astream({"items": ["a", "b"]}, stream_mode=["custom", "values"])]
