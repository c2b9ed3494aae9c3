"""A pydantic state with a private TypedDict channel and a pydantic output_schema."""

from langgraph.graph import START, StateGraph
from pydantic import BaseModel
from typing_extensions import TypedDict


class State(BaseModel):
    a: str
    out: str = ""


class Private(TypedDict):
    secret: str


class Out(BaseModel):
    out: str


def first(state: State) -> Private:
    return {"secret": state.a * 2}


def second(state: Private):
    return {"out": f"{type(state).__name__}:{state['secret']}"}


def third(state: State):
    return {"out": state.out + f"|{isinstance(state, State)}"}


builder = StateGraph(State, output_schema=Out)
builder.add_node(first)
builder.add_node(second)
builder.add_node(third)
builder.add_edge(START, "first")
builder.add_edge("first", "second")
builder.add_edge("second", "third")
graph = builder.compile()


async def main():
    values = [c async for c in graph.astream({"a": "y"}, stream_mode="values")]
    return await graph.ainvoke({"a": "x"}), values
