"""Nodes returning a pydantic model or a dataclass instance: the updates stream shows the
fields LangGraph takes from them."""

from dataclasses import dataclass

from langgraph.graph import START, StateGraph
from pydantic import BaseModel


class Model(BaseModel):
    a: int = 1
    b: str | None = None
    c: int = 3


@dataclass
class Data:
    x: int
    y: str = "y"


def model_graph():
    builder = StateGraph(Model)
    builder.add_node("n", lambda state: Model(a=state.a + 10))
    builder.add_edge(START, "n")
    return builder.compile()


def data_graph():
    builder = StateGraph(Data)
    builder.add_node("n", lambda state: Data(x=state.x + 1))
    builder.add_edge(START, "n")
    return builder.compile()


async def main():
    model = [c async for c in model_graph().astream({"a": 2}, stream_mode="updates")]
    modes = ["updates", "values", "tasks"]
    data = [c async for c in data_graph().astream({"x": 2}, stream_mode=modes)]
    return model, data
