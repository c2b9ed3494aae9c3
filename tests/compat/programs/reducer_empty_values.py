"""Reducer fields of several types start at their type's empty value: the reducer never
sees None, and the input goes through the reducer too."""

import operator
from typing import Annotated

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


def merge(left: dict, right: dict) -> dict:
    assert left is not None
    return {**left, **right}


class State(TypedDict):
    items: Annotated[list, operator.add]
    total: Annotated[int, operator.add]
    text: Annotated[str, operator.add]
    tags: Annotated[set, operator.or_]
    meta: Annotated[dict, merge]


def node(state: State):
    return {"items": [2], "total": 5, "text": "b", "tags": {"y"}, "meta": {"k": 2}}


builder = StateGraph(State)
builder.add_node("node", node)
builder.add_edge(START, "node")
graph = builder.compile()


async def main():
    empty = await graph.ainvoke({})
    full = await graph.ainvoke(
        {"items": [1], "total": 1, "text": "a", "tags": {"x"}, "meta": {"j": 1}}
    )
    return empty, {k: sorted(v) if isinstance(v, set) else v for k, v in full.items()}
