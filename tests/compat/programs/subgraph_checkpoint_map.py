"""A subgraph's checkpoints carry LangGraph's checkpoint_map in their config (every
enclosing graph's checkpoint and their own, by namespace) and metadata["parents"] (the
enclosing graphs' checkpoints), two levels deep; the thread's own checkpoints carry
neither. Ids are compared by their order of first appearance."""

import operator
import re
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class State(TypedDict):
    log: Annotated[list, operator.add]


def i1(state):
    return {"log": ["i1"]}


def i2(state):
    return {"log": [f"i2={interrupt('go on?')}"]}


inner = StateGraph(State)
inner.add_node("i1", i1)
inner.add_node("i2", i2)
inner.add_edge(START, "i1")
inner.add_edge("i1", "i2")


def m1(state):
    return {"log": ["m1"]}


mid = StateGraph(State)
mid.add_node("m1", m1)
mid.add_node("inner", inner.compile())
mid.add_edge(START, "m1")
mid.add_edge("m1", "inner")


def t1(state):
    return {"log": ["t1"]}


top = StateGraph(State)
top.add_node("t1", t1)
top.add_node("mid", mid.compile())
top.add_edge(START, "t1")
top.add_edge("t1", "mid")
graph = top.compile(checkpointer=InMemorySaver())


def normalised(value, names):
    """``value`` with every UUID replaced by its order of first appearance."""
    if isinstance(value, dict):
        return {normalised(k, names): normalised(v, names) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalised(v, names) for v in value]
    if isinstance(value, str):
        return _UUID.sub(lambda m: names.setdefault(m.group(), f"id{len(names)}"), value)
    return value


def levels(snap):
    out = []
    while snap is not None:
        out.append((snap.config, snap.metadata, snap.parent_config))
        nested = [t.state for t in snap.tasks if hasattr(t.state, "config")]
        snap = nested[0] if nested else None
    return out


def main():
    config = {"configurable": {"thread_id": "1"}}
    graph.invoke({"log": []}, config)
    names = {}
    paused = normalised(levels(graph.get_state(config, subgraphs=True)), names)
    done = graph.invoke(Command(resume="yes"), config)
    history = [
        (s.metadata["step"], s.metadata["parents"], "checkpoint_map" in s.config["configurable"])
        for s in graph.get_state_history(config)
    ]
    return [paused, done, normalised(history, names)]
