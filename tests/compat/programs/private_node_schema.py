"""A node whose parameter is annotated with a private schema reads only its keys."""

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    a: str
    out: str


class Private(TypedDict):
    secret: str


def first(state: State) -> Private:
    return {"secret": state["a"] * 2}


def second(state: Private) -> State:
    return {"out": f"{sorted(state)}:{state['secret']}"}


builder = StateGraph(State)
builder.add_node("first", first)
builder.add_node("second", second)
builder.add_edge(START, "first")
builder.add_edge("first", "second")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"a": "x"})
