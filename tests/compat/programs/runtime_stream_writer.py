"""runtime.stream_writer and get_stream_writer() both feed stream_mode="custom"."""

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict


class State(TypedDict):
    n: int


async def work(state: State, runtime: Runtime):
    runtime.stream_writer({"progress": 50})
    get_stream_writer()({"progress": 100})
    return {"n": state["n"] + 1}


builder = StateGraph(State)
builder.add_node("work", work)
builder.add_edge(START, "work")
graph = builder.compile()


async def main():
    return [c async for c in graph.astream({"n": 0}, stream_mode=["custom", "updates"])]
