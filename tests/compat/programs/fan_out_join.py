"""Fan out to two nodes, join with add_edge([...], ...), parallel updates merge."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    topic: str
    facts: Annotated[list[str], operator.add]
    summary: str


builder = StateGraph(State)
builder.add_node("search_web", lambda state: {"facts": [f"web:{state['topic']}"]})
builder.add_node("search_papers", lambda state: {"facts": [f"paper:{state['topic']}"]})
builder.add_node("summarise", lambda state: {"summary": " | ".join(state["facts"])})
builder.add_edge(START, "search_web")
builder.add_edge(START, "search_papers")
builder.add_edge(["search_web", "search_papers"], "summarise")
builder.add_edge("summarise", END)
graph = builder.compile()


async def main():
    # parallel nodes' updates stream in completion order (on LangGraph too): compare sets;
    # the merged state shows the (deterministic) order their writes were applied in
    chunks = [c async for c in graph.astream({"topic": "bees"}, stream_mode="updates")]
    return await graph.ainvoke({"topic": "bees"}), sorted(map(str, chunks))
