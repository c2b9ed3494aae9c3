"""graph.with_config(recursion_limit=...) sets the default a run's config overrides."""

from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: int


builder = StateGraph(State)
builder.add_node("tick", lambda state: {"n": state["n"] + 1})
builder.add_edge(START, "tick")
builder.add_conditional_edges("tick", lambda state: END if state["n"] >= 4 else "tick")
graph = builder.compile().with_config(recursion_limit=3)


async def main():
    out = []
    try:
        await graph.ainvoke({"n": 0})
    except GraphRecursionError:
        out.append("limited")
    out.append(await graph.ainvoke({"n": 0}, {"recursion_limit": 10}))
    return out
