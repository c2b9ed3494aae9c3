"""A custom reducer merges the updates of three parallel nodes in one step."""

from typing import Annotated

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


def keep_sorted(left: list[str], right: list[str]) -> list[str]:
    return sorted(left + right)


class State(TypedDict):
    results: Annotated[list[str], keep_sorted]


def make(name):
    def node(state: State):
        return {"results": [name]}

    return node


builder = StateGraph(State)
for name in ("c", "a", "b"):
    builder.add_node(name, make(name))
    builder.add_edge(START, name)
    builder.add_edge(name, "join")
builder.add_node("join", lambda state: {"results": ["z"]})
builder.add_edge("join", END)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"results": []})
