"""stream_mode="debug" with subgraphs=True shows the checkpoints of every level of nested
subgraphs, with the task ids get_state_history gives: the consumer may take a subgraph's
first event after that subgraph's run has ended (its thread is found when the event is
published, not when it is taken)."""

from __future__ import annotations

import operator
from typing import Annotated

import pytest
from typing_extensions import TypedDict

from graphstage import START, StateGraph
from graphstage.checkpoint.memory import InMemorySaver


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def two(first: str, second: str, inner: object = None) -> StateGraph:
    builder = StateGraph(State).add_node(first, lambda s: {"log": [first]})
    builder.add_node(second, inner or (lambda s: {"log": [second]}))
    return builder.add_edge(START, first).add_edge(first, second)


@pytest.mark.timeout(60)
def test_every_level_shows_its_checkpoints() -> None:
    for attempt in range(8):  # the consumer's lag varied: one in three runs lost a level
        child = two("c_one", "c_two").compile()
        parent = two("p_one", "p_two", child).compile()
        graph = two("gp_one", "gp_two", parent).compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": str(attempt)}}
        shown: dict[tuple[str, ...], list[list[str]]] = {}
        for ns, chunk in graph.stream({"log": []}, config, stream_mode="debug", subgraphs=True):
            if chunk["type"] == "checkpoint":
                shown.setdefault(ns, []).append([t["id"] for t in chunk["payload"]["tasks"]])
        assert [len(ns) for ns in shown] == [0, 1, 2]
        for ns, tasks in shown.items():
            where = {"configurable": {"thread_id": str(attempt), "checkpoint_ns": "|".join(ns)}}
            history = list(graph.get_state_history(where))[::-1]
            assert tasks == [[t.id for t in s.tasks] for s in history]
