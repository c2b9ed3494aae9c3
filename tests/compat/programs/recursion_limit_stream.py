"""An endless loop streams exactly recursion_limit updates, then GraphRecursionError."""

from langgraph.errors import GraphRecursionError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: int


builder = StateGraph(State)
builder.add_node("a", lambda state: {"n": state["n"] + 1})
builder.add_node("b", lambda state: {"n": state["n"] * 2})
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "a")
graph = builder.compile()


async def main():
    chunks = []
    try:
        async for chunk in graph.astream({"n": 0}, {"recursion_limit": 5}):
            chunks.append(chunk)
    except GraphRecursionError:
        chunks.append("GraphRecursionError")
    return chunks
