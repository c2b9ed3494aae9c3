"""Human in the loop: two interrupt() calls in one node, answered in order by
Command(resume=...); the node re-runs from its start each time (LangGraph's how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

RUNS = []


class State(TypedDict):
    log: Annotated[list, operator.add]
    count: int


def a(state):
    return {"log": ["a"]}


def b(state):
    RUNS.append("b")
    name = interrupt({"question": "name?"})
    age = interrupt("age?")
    return {"log": [f"{name}:{age}"]}


def c(state):
    return {"log": ["c"], "count": state.get("count", 0) + 1}


builder = StateGraph(State)
builder.add_node("a", a)
builder.add_node("b", b)
builder.add_node("c", c)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
builder.add_edge("b", "c")
graph = builder.compile(checkpointer=InMemorySaver())


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
    config = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"log": [], "count": 0}, config)]
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, snap.metadata, snap.interrupts))
    out.append([t.name for t in snap.tasks])
    out.append(graph.invoke(Command(resume="ada"), config))
    out.append(graph.invoke(Command(resume=36), config))
    out.append(graph.invoke(None, config))  # at the end: nothing left to run
    history = graph.get_state_history(config)
    out.append([(s.metadata["step"], s.metadata["source"], s.next) for s in history])
    out.append(graph.invoke({"log": ["again"]}, config))  # a second input on the thread
    out.append(RUNS)
    return plain(out)
