"""A list of Commands writing one plain key twice is an InvalidUpdateError, as two nodes
writing it in one step are."""

from langgraph.errors import InvalidUpdateError
from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    x: int


def node(state: State):
    return [Command(update={"x": 1}), Command(update={"x": 2})]


builder = StateGraph(State)
builder.add_node("node", node)
builder.add_edge(START, "node")
graph = builder.compile()


async def main():
    try:
        await graph.ainvoke({"x": 0})
    except InvalidUpdateError as exc:
        return "InvalidUpdateError", str(exc).split(":")[0]
    return "no error"
