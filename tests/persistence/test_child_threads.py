"""A graph with a saver of its own, invoked inside another graph's node with a thread_id of
its own, keeps its checkpoints on that thread under namespace "" (as LangGraph), even when
the node passes on its own config (which carries the node's checkpoint_ns)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.runnables import RunnableConfig
from typing_extensions import TypedDict

from graphstage import START, StateGraph
from graphstage.checkpoint.memory import InMemorySaver


class Count(TypedDict, total=False):
    count: int


def bump(state: Count) -> Count:
    return {"count": state.get("count", 0) + 1}


@pytest.mark.parametrize("parent_keeps_a_thread", [True, False])
def test_child_thread_is_its_own(parent_keeps_a_thread: bool) -> None:
    saver = InMemorySaver()
    child = StateGraph(Count).add_node("bump", bump).add_edge(START, "bump")
    child_graph = child.compile(checkpointer=saver)
    seen: list[str] = []

    def call_child(state: Count, config: RunnableConfig) -> Count:
        seen.append(config["configurable"]["checkpoint_ns"].split(":")[0])
        conf: dict[str, Any] = {**config["configurable"], "thread_id": "child"}
        child_graph.invoke({}, {**config, "configurable": conf})
        return {}

    parent = StateGraph(Count).add_node("call", call_child).add_edge(START, "call")
    if parent_keeps_a_thread:
        graph = parent.compile(checkpointer=saver)
        config: dict[str, Any] = {"configurable": {"thread_id": "parent"}}
    else:
        graph = parent.compile()
        config = {}
    graph.invoke({"count": 0}, config)
    graph.invoke({"count": 0}, config)
    state = child_graph.get_state({"configurable": {"thread_id": "child"}})
    assert seen == ["call", "call"]  # the node's config names its own namespace
    assert state.values == {"count": 2}
    assert state.config["configurable"]["checkpoint_ns"] == ""
