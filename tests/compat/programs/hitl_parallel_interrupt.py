"""An interrupt beside a parallel node: the sibling's write is kept while the thread waits
(get_state shows it applied), so only the interrupted node runs again on resume."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

CALLS = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def ask(state):
    CALLS.append("ask")
    return {"log": [f"asked:{interrupt('ok?')}"]}


def work(state):
    CALLS.append("work")
    return {"log": ["worked"]}


builder = StateGraph(State)
builder.add_node("ask", ask)
builder.add_node("work", work)
builder.add_node("join", lambda state: {"log": ["joined"]})
builder.add_edge(START, "ask")
builder.add_edge(START, "work")
builder.add_edge(["ask", "work"], "join")
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
    config = {"configurable": {"thread_id": "p"}}
    out = [graph.invoke({"log": []}, config)]
    snap = graph.get_state(config)
    out.append((snap.values, snap.next, sorted((t.name, str(t.result)) for t in snap.tasks)))
    out.append(graph.invoke(Command(resume="yes"), config))
    out.append(sorted(CALLS))  # work ran once: its write was kept while ask waited
    return plain(out)
