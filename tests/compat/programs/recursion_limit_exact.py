"""A loop that would end at step 7 under recursion_limit=7: LangGraph raises, at 8 it ends."""

from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: int


builder = StateGraph(State)
builder.add_node("tick", lambda state: {"n": state["n"] + 1})
builder.add_edge(START, "tick")
builder.add_conditional_edges("tick", lambda state: END if state["n"] >= 7 else "tick")
graph = builder.compile()


async def main():
    out = []
    for limit in (6, 7, 8):
        try:
            out.append(await graph.ainvoke({"n": 0}, {"recursion_limit": limit}))
        except GraphRecursionError as exc:
            out.append(("GraphRecursionError", str(exc).splitlines()[0]))
    return out
