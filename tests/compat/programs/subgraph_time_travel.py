"""Time travel on a thread paused inside a subgraph: answering through the paused
checkpoint's own config resumes the subgraph where it waits; running again from the
checkpoint before the subgraph node starts the subgraph afresh (its first node runs again,
its question is asked again) (LangGraph's time-travel how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

RAN = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def prep(state):
    RAN.append("prep")
    return {"log": ["prep"]}


def ask(state):
    RAN.append("ask")
    return {"log": [f"answer {interrupt('q')}"]}


child = StateGraph(State)
child.add_node("prep", prep)
child.add_node("ask", ask)
child.add_edge(START, "prep")
child.add_edge("prep", "ask")
parent = StateGraph(State)
parent.add_node("first", lambda state: {"log": ["first"]})
parent.add_node("sub", child.compile())
parent.add_edge(START, "first")
parent.add_edge("first", "sub")
graph = parent.compile(checkpointer=InMemorySaver())


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"log": []}, config), list(RAN)]
    history = list(graph.get_state_history(config))
    out.append([h.next for h in history])
    RAN.clear()
    out.append(graph.invoke(Command(resume="through the paused checkpoint"), history[0].config))
    out.append(list(RAN))
    RAN.clear()
    out.append(graph.invoke(None, history[1].config))
    out.append(list(RAN))
    RAN.clear()
    out.append(graph.invoke(Command(resume="again"), config))
    out.append(list(RAN))
    return plain(out)
