"""A node's exception reaches the caller of invoke unchanged."""

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    n: int


class Boom(Exception):
    pass


def explode(state: State):
    raise Boom(f"n was {state['n']}")


builder = StateGraph(State)
builder.add_node("explode", explode)
builder.add_edge(START, "explode")
graph = builder.compile()


async def main():
    try:
        await graph.ainvoke({"n": 3})
    except Boom as exc:
        return "Boom", str(exc)
    return "no error"
