"""A node returns a pydantic model instance: the fields set or with a non-None default update."""

from langgraph.graph import START, StateGraph
from pydantic import BaseModel


class State(BaseModel):
    a: int = 1
    b: str | None = None
    c: int = 3


def node(state: State):
    return State(a=state.a + 10)


builder = StateGraph(State)
builder.add_node("node", node)
builder.add_edge(START, "node")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"a": 2})
