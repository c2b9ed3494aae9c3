"""A path_map dict from the path function's keys to nodes, with an async path function."""

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    draft: str
    revisions: int


async def grade(state: State):
    return "revise" if state["revisions"] < 2 else "publish"


builder = StateGraph(State)
builder.add_node("write", lambda state: {"draft": state["draft"] + "+"})
builder.add_node(
    "edit", lambda state: {"revisions": state["revisions"] + 1, "draft": state["draft"] + "e"}
)
builder.add_node("publish", lambda state: {"draft": state["draft"].upper()})
builder.add_edge(START, "write")
builder.add_edge("write", "edit")
builder.add_conditional_edges("edit", grade, {"revise": "write", "publish": "publish"})
builder.add_edge("publish", END)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"draft": "d", "revisions": 0}), [
        c async for c in graph.astream({"draft": "d", "revisions": 0}, stream_mode="updates")
    ]
