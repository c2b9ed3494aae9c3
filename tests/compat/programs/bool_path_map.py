"""A path_map keyed by booleans, END among its values, an async path function."""

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: int
    trail: str


async def big_enough(state: State) -> bool:
    return state["n"] >= 10


builder = StateGraph(State)
builder.add_node("grow", lambda state: {"n": state["n"] * 3, "trail": state["trail"] + "g"})
builder.add_edge(START, "grow")
builder.add_conditional_edges("grow", big_enough, {True: END, False: "grow"})
graph = builder.compile()


async def main():
    return [await graph.ainvoke({"n": n, "trail": ""}) for n in (1, 4, 20)]
