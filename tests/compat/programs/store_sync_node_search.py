"""A sync node searching the store with a nested filter, limit and offset; list_namespaces
with a prefix and max_depth."""

from langgraph.graph import START, StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore
from typing_extensions import TypedDict


class State(TypedDict):
    found: list


def seed(state: State, store: BaseStore):
    for i in range(6):
        kind = "book" if i % 2 else "film"
        store.put(("library", kind), f"item{i}", {"meta": {"kind": kind}, "year": 2000 + i})
    return {}


def find(state: State, store: BaseStore):
    books = store.search(("library",), filter={"meta": {"kind": "book"}}, limit=2, offset=1)
    recent = store.search(("library",), filter={"year": {"$gt": 2002}})
    return {
        "found": [
            [b.key for b in books],
            [r.key for r in recent],
            store.list_namespaces(prefix=("library",), max_depth=1),
            store.get(("library", "film"), "item2").value,
        ]
    }


builder = StateGraph(State)
builder.add_node("seed", seed)
builder.add_node("find", find)
builder.add_edge(START, "seed")
builder.add_edge("seed", "find")
graph = builder.compile(store=InMemoryStore())


def main():
    return graph.invoke({"found": []})
