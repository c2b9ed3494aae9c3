"""A subgraph compiled with checkpointer=True keeps its state from one run of the parent's
thread to the next (one namespace per node, "sub"); checkpointer=False keeps none: an
interrupt() inside it pauses the parent and, answered, the subgraph runs again from its
start; checkpointer=True on a root graph is refused (LangGraph's subgraph persistence
docs)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

RAN = []


class State(TypedDict):
    log: Annotated[list, operator.add]


counting = StateGraph(State)
counting.add_node("count", lambda state: {"log": [f"seen {len(state['log'])}"]})
counting.add_edge(START, "count")


def before(state):
    RAN.append("before")
    return {"log": ["before"]}


asking = StateGraph(State)
asking.add_node("before", before)
asking.add_node("ask", lambda state: {"log": [f"answer {interrupt('q')}"]})
asking.add_edge(START, "before")
asking.add_edge("before", "ask")


def parent(child, saver=None):
    builder = StateGraph(State)
    builder.add_node("sub", child)
    builder.add_edge(START, "sub")
    return builder.compile(checkpointer=saver or InMemorySaver())


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
    out = []
    for mode in (True, False):
        graph = parent(counting.compile(checkpointer=mode))
        config = {"configurable": {"thread_id": "1"}}
        out.append([graph.invoke({"log": []}, config) for _ in range(3)])
        out.append(graph.get_state(config).values)
    for mode in (True, False, None):
        graph = parent(asking.compile(checkpointer=mode))
        config = {"configurable": {"thread_id": "2"}}
        RAN.clear()
        out.append(graph.invoke({"log": []}, config))
        state = graph.get_state(config, subgraphs=True)
        inner = state.tasks[0].state
        ns = inner is None or inner.config["configurable"]["checkpoint_ns"].split(":")[0]
        out.append((state.next, ns))
        out.append(graph.invoke(Command(resume="yes"), config))
        out.append(list(RAN))
        out.append(sorted(graph.get_graph(xray=True).nodes))
    try:
        counting.compile(checkpointer=True).invoke({"log": []})
    except RuntimeError as exc:
        out.append(str(exc))
    return plain(out)
