"""``compile(store=...)``: long-term memory shared across runs and threads, as LangGraph's
store: a node's ``store`` parameter (also keyword-only) and ``runtime.store``."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest

from graphstage import END, START, GraphError, InMemorySaver, Runtime, StateGraph
from graphstage.store import BaseStore
from graphstage.store.memory import InMemoryStore

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    user: str
    memories: list[str]


def remember(state: State, *, store: BaseStore) -> dict[str, Any]:
    namespace = ("memories", state["user"])
    count = len(store.search(namespace))
    store.put(namespace, f"m{count}", {"text": f"visit {count + 1}"})
    return {}


async def recall(state: State, runtime: Runtime[Any]) -> dict[str, Any]:
    items = await runtime.store.asearch(("memories", state["user"]))
    return {"memories": [item.value["text"] for item in items]}


def graph(store: Any) -> Any:
    b = StateGraph(State)
    b.add_node("remember", remember).add_node("recall", recall)
    b.add_edge(START, "remember").add_edge("remember", "recall").add_edge("recall", END)
    return b.compile(store=store, checkpointer=InMemorySaver())


async def test_the_store_outlives_runs_and_threads() -> None:
    store = InMemoryStore()
    g = graph(store)
    first = await g.ainvoke({"user": "ann"}, {"configurable": {"thread_id": "1"}})
    second = await g.ainvoke({"user": "ann"}, {"configurable": {"thread_id": "2"}})
    other = await g.ainvoke({"user": "bob"}, {"configurable": {"thread_id": "3"}})
    assert first["memories"] == ["visit 1"]
    assert second["memories"] == ["visit 1", "visit 2"]
    assert other["memories"] == ["visit 1"]
    assert store.list_namespaces() == [("memories", "ann"), ("memories", "bob")]
    assert g.store is store


async def test_without_a_store_nodes_get_none() -> None:
    seen = []

    def node(state: State, store: Any, runtime: Runtime[Any]) -> dict[str, Any]:
        seen.append((store, runtime.store))
        return {}

    b = StateGraph(State).add_node("n", node).add_edge(START, "n")
    await b.compile().ainvoke({"user": "x"})
    assert seen == [(None, None)]


def store_session(store: Any) -> list[Any]:
    """The same calls on any store; what they return, as plain values."""
    for i in range(5):
        store.put(("docs", "a" if i % 2 else "b"), f"k{i}", {"n": i, "tag": {"kind": "x"}})
    store.put(("docs", "b"), "k0", {"n": 10, "tag": {"kind": "y"}})  # replaced in place
    out: list[Any] = [
        [i.key for i in store.search(("docs",), filter={"n": {"$gte": 3}})],
        [i.key for i in store.search(("docs",), filter={"tag": {"kind": "x"}}, limit=2)],
        [i.key for i in store.search(("docs", "a"), offset=1)],
        [(i.key, i.score) for i in store.search(("docs",), filter={"n": {"$ne": 10}})],
        store.list_namespaces(prefix=("docs",), max_depth=1),
        store.list_namespaces(suffix=("a",)),
        store.get(("docs", "b"), "k0").value,
    ]
    store.delete(("docs", "a"), "k1")
    out.append(store.get(("docs", "a"), "k1"))
    try:
        store.put(("a.b",), "k", {})
    except Exception as exc:
        out.append((type(exc).__name__, str(exc)))
    return out


def test_the_store_answers_as_langgraphs_in_memory_store() -> None:
    got = store_session(InMemoryStore())
    assert got[0] == ["k0", "k4", "k3"]  # namespaces in the order they were made
    lg = pytest.importorskip("langgraph.store.memory", reason="pip install -e '.[bench]'")
    assert got == store_session(lg.InMemoryStore())


def test_a_store_that_is_not_one_is_refused_by_compile() -> None:
    b = StateGraph(State).add_node("n", lambda s: {}).add_edge(START, "n")
    with pytest.raises(GraphError, match="store=42 is not a store"):
        b.compile(store=42)
