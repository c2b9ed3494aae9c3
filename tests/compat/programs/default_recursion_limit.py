"""Without a recursion_limit, a 40-step loop completes (LangGraph 1.2's default is 10007,
not the 25 of older versions); with recursion_limit=25 it fails at step 25."""

import operator
from typing import Annotated

from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: Annotated[int, operator.add]


builder = StateGraph(State)
builder.add_node("spin", lambda state: {"n": 1})
builder.add_edge(START, "spin")
builder.add_conditional_edges("spin", lambda state: END if state["n"] >= 40 else "spin")
graph = builder.compile()


async def main():
    out = [await graph.ainvoke({"n": 0})]
    chunks = []
    try:
        async for chunk in graph.astream({"n": 0}, {"recursion_limit": 25}, stream_mode="values"):
            chunks.append(chunk["n"])
    except GraphRecursionError as exc:
        out.append((chunks[-1], str(exc).splitlines()[0]))
    return out
