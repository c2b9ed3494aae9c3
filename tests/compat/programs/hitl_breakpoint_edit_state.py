"""Breakpoints: interrupt_before at compile time, update_state while paused, then
invoke(None) goes on; interrupt_after per call (LangGraph's how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    count: int


builder = StateGraph(State)
builder.add_node("step_1", lambda state: {"log": ["1"]})
builder.add_node("step_2", lambda state: {"log": ["2"]})
builder.add_node("step_3", lambda state: {"log": ["3"], "count": state["count"] * 10})
builder.add_edge(START, "step_1")
builder.add_edge("step_1", "step_2")
builder.add_edge("step_2", "step_3")
graph = builder.compile(checkpointer=InMemorySaver(), interrupt_before=["step_3"])


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design (each engine hashes
    its own namespace)."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def main():
    config = {"configurable": {"thread_id": "t"}}
    out = [list(graph.stream({"log": [], "count": 1}, config, stream_mode="values"))]
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, snap.metadata))
    graph.update_state(config, {"count": 7})
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, snap.metadata))
    out.append(list(graph.stream(None, config, stream_mode=["updates", "values"])))
    config = {"configurable": {"thread_id": "after"}}
    out.append(graph.invoke({"log": [], "count": 2}, config, interrupt_after=["step_1"]))
    out.append(graph.get_state(config).next)
    out.append(graph.invoke(None, config))
    return plain(out)
