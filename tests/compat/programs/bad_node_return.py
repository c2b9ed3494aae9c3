"""A node returning something that is not an update (a string) fails with InvalidUpdateError."""

from langgraph.errors import InvalidUpdateError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


builder = StateGraph(State)
builder.add_node("oops", lambda state: "not a dict")
builder.add_edge(START, "oops")
graph = builder.compile()


async def main():
    try:
        await graph.ainvoke({"x": 1})
    except InvalidUpdateError:
        return "InvalidUpdateError"
    return "no error"
