"""add_conditional_edges with a list of destinations; the path returns a node name."""

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: int
    route: str


def classify(state: State):
    return {"route": "even" if state["n"] % 2 == 0 else "odd"}


builder = StateGraph(State)
builder.add_node("classify", classify)
builder.add_node("even", lambda state: {"n": state["n"] // 2})
builder.add_node("odd", lambda state: {"n": state["n"] * 3 + 1})
builder.add_edge(START, "classify")
builder.add_conditional_edges("classify", lambda state: state["route"], ["even", "odd"])
builder.add_edge("even", END)
builder.add_edge("odd", END)
graph = builder.compile()


async def main():
    return [await graph.ainvoke({"n": n}) for n in (6, 7)]
