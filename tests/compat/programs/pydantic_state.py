"""A pydantic state: nodes get a model instance; invoke returns a dict (unset defaults absent)."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from pydantic import BaseModel


class State(BaseModel):
    query: str
    mood: str = "calm"
    answer: str | None = None
    notes: Annotated[list[str], operator.add] = []


def respond(state: State):
    return {"answer": f"{state.query}? {state.mood}", "notes": [type(state).__name__]}


builder = StateGraph(State)
builder.add_node("respond", respond)
builder.add_edge(START, "respond")
graph = builder.compile()


async def main():
    values = [chunk async for chunk in graph.astream({"query": "q"}, stream_mode="values")]
    return await graph.ainvoke({"query": "why"}), values
