"""A path function annotated -> Literal[...] (no path_map) loops until done."""

from typing import Literal

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    count: int


def should_continue(state: State) -> Literal["increment", "__end__"]:
    return "increment" if state["count"] < 3 else END


builder = StateGraph(State)
builder.add_node("increment", lambda state: {"count": state["count"] + 1})
builder.add_edge(START, "increment")
builder.add_conditional_edges("increment", should_continue)
graph = builder.compile()


async def main():
    return [c async for c in graph.astream({"count": 0})]
