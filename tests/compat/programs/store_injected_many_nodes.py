"""From LangGraph's test_pregel.py (test_store_injected): a callable class node taking
(inputs, config, store), added 51 times, all started from START; each writes one document
to the store (its namespace chosen from the thread id in its config); graph.batch on a
thread, then invoke on the same thread and on another: the counter folds the 51 writes each
turn, and the shared document is overwritten, never duplicated."""

import operator
import uuid
from typing import Annotated

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph
from langgraph.store.base import BaseStore
from langgraph.store.memory import InMemoryStore
from typing_extensions import TypedDict


class State(TypedDict):
    count: Annotated[int, operator.add]


doc_id = "doc"
doc = {"some-key": "this-is-a-val"}
namespace = ("foo-shared", "bar")
thread_1 = "thread-1"
thread_2 = "thread-2"


class Node:
    def __init__(self, i: int | None = None):
        self.i = i

    def __call__(self, inputs: State, config: RunnableConfig, store: BaseStore):
        assert isinstance(store, BaseStore)
        thread = config["configurable"]["thread_id"]
        where = namespace if self.i is not None and thread in (thread_1, thread_2) else None
        store.put(
            where or (f"foo_{self.i}", "bar"),
            doc_id,
            {**doc, "from_thread": thread, "some_val": inputs["count"]},
        )
        return {"count": 1}


def main():
    store = InMemoryStore()
    builder = StateGraph(State)
    builder.add_node("node", Node())
    builder.add_edge("__start__", "node")
    for i in range(50):
        builder.add_node(f"node_{i}", Node(i))
        builder.add_edge("__start__", f"node_{i}")
    graph = builder.compile(store=store, checkpointer=InMemorySaver())
    out = [graph.batch([{"count": 0}], [{"configurable": {"thread_id": thread_1}}])]
    out.append((store.get(namespace, doc_id).value, len(store.search(namespace))))
    out.append(graph.invoke({"count": 0}, {"configurable": {"thread_id": thread_1}}))
    out.append((store.get(namespace, doc_id).value, len(store.search(namespace))))
    out.append(graph.invoke({"count": 0}, {"configurable": {"thread_id": thread_2}}))
    out.append((store.get(namespace, doc_id).value, len(store.search(namespace))))
    out.append(sorted(ns for ns in store.list_namespaces()))
    other = str(uuid.uuid4())
    out.append(graph.invoke({"count": 0}, {"configurable": {"thread_id": other}}))
    out.append(store.get(("foo_None", "bar"), doc_id).value["from_thread"] == other)
    return out
