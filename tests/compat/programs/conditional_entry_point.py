"""set_conditional_entry_point picks the first node from the input."""

from langgraph.graph import END, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    kind: str
    out: str


builder = StateGraph(State)
builder.add_node("text", lambda state: {"out": "text path"})
builder.add_node("image", lambda state: {"out": "image path"})
builder.set_conditional_entry_point(lambda state: state["kind"], {"t": "text", "i": "image"})
builder.add_edge("text", END)
builder.add_edge("image", END)
graph = builder.compile()


async def main():
    return [await graph.ainvoke({"kind": k}) for k in ("t", "i")]
