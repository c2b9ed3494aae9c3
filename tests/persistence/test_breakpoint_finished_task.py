"""interrupt_before a node that already finished in the step being continued does not pause
the continuation again (LangGraph's versions_seen): here the node finished beside a
subgraph node that paused at its own breakpoint."""

from __future__ import annotations

import operator
from typing import Annotated

from typing_extensions import TypedDict

from graphstage import START, StateGraph
from graphstage.checkpoint.memory import InMemorySaver


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def test_a_finished_task_does_not_pause_before_itself_again() -> None:
    calls: list[str] = []

    def record(name: str):  # type: ignore[no-untyped-def]
        def node(state: State) -> State:
            calls.append(name)
            return {"log": [name]}

        return node

    inner = StateGraph(State).add_node("i1", record("i1")).add_node("i2", record("i2"))
    inner = inner.add_edge(START, "i1").add_edge("i1", "i2")
    builder = StateGraph(State).add_node("sub", inner.compile(interrupt_before=["i2"]))
    builder.add_node("side", record("side")).add_edge(START, "sub").add_edge(START, "side")
    graph = builder.compile(checkpointer=InMemorySaver(), interrupt_before=["side"])
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"log": []}, config)  # paused before the first step
    graph.invoke(None, config)  # side runs; sub pauses at its own breakpoint
    assert graph.get_state(config).next == ("sub",)
    done = graph.invoke(None, config)  # goes on: side is not a reason to pause again
    assert sorted(done["log"]) == ["i1", "i2", "side"]
    assert sorted(calls) == ["i1", "i2", "side"]
