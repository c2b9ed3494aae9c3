"""astream_events passes its other keyword arguments to astream, as langchain-core does:
``stream_mode="values"`` makes the graph's ``on_chain_stream`` chunks the whole state;
``context=`` reaches the nodes' ``runtime.context`` (the runtime context how-to)."""

from dataclasses import dataclass
from typing import TypedDict

from langgraph.graph import START, StateGraph
from langgraph.runtime import Runtime


@dataclass
class Context:
    user: str


class State(TypedDict):
    greeting: str
    count: int


def greet(state: State, runtime: Runtime[Context]):
    return {"greeting": f"hi {runtime.context.user}", "count": state["count"] + 1}


def again(state: State):
    return {"count": state["count"] + 1}


graph = (
    StateGraph(State, context_schema=Context)
    .add_node(greet)
    .add_node(again)
    .add_edge(START, "greet")
    .add_edge("greet", "again")
    .compile()
)


async def main():
    events = graph.astream_events(
        {"greeting": "", "count": 0},
        version="v2",
        stream_mode="values",
        context=Context(user="ada"),
    )
    return [
        (e["event"], e["name"], e["data"].get("chunk"))
        async for e in events
        if e["event"] in ("on_chain_stream", "on_chain_end")
    ]
