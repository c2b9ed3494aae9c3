"""Two parallel nodes write the same plain key: InvalidUpdateError."""

from langgraph.errors import InvalidUpdateError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    value: str


builder = StateGraph(State)
builder.add_node("a", lambda state: {"value": "a"})
builder.add_node("b", lambda state: {"value": "b"})
builder.add_edge(START, "a")
builder.add_edge(START, "b")
graph = builder.compile()


async def main():
    try:
        await graph.ainvoke({"value": ""})
    except InvalidUpdateError as exc:
        return "InvalidUpdateError", str(exc).split(":")[0]
    return "no error"
