"""add_node(fn) named after the function, chained with set_entry_point / set_finish_point
(the Runtime docs' shape)."""

from langgraph.graph import StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    text: str


def shout(state: State):
    return {"text": state["text"].upper()}


def exclaim(state: State):
    return {"text": state["text"] + "!"}


graph = (
    StateGraph(State)
    .add_node(shout)
    .add_node(exclaim)
    .add_edge("shout", "exclaim")
    .set_entry_point("shout")
    .set_finish_point("exclaim")
    .compile()
)


async def main():
    return await graph.ainvoke({"text": "hi"})
