"""From LangGraph's test_time_travel.py (Key concepts: "Replay (invoke with checkpoint_id):
re-executes nodes after the checkpoint. Interrupts re-fire on replay"), at the thread's own
latest checkpoint: a step paused with one branch finished and the other waiting in its second
interrupt(); invoke(None, get_state(config).config) is a replay, not a continuation: a
"fork" checkpoint starts a branch, both nodes run again and the first question is asked
again (the answer given before is not reused); Command(resume=...) at that checkpoint id
answers it as usual."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    value: Annotated[list[str], operator.add]


called = []


def a(state: State):
    called.append("a")
    return {"value": ["a"]}


def b(state: State):
    called.append("b")
    first = interrupt("q1")
    second = interrupt("q2")
    return {"value": [f"b:{first}{second}"]}


graph = (
    StateGraph(State)
    .add_node("a", a)
    .add_node("b", b)
    .add_edge(START, "a")
    .add_edge(START, "b")
    .compile(checkpointer=InMemorySaver())
)


def questions(result):
    return [i.value for i in result.get("__interrupt__", [])]


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    out.append(questions(graph.invoke({"value": []}, config)))
    paused = graph.invoke(Command(resume="x"), config)
    out.append((questions(paused), paused["value"], sorted(called)))
    head = graph.get_state(config)
    called.clear()
    replay = graph.invoke(None, head.config)
    out.append((questions(replay), replay["value"], sorted(called)))
    out.append([(s.metadata["source"], s.next, s.values) for s in graph.get_state_history(config)])
    latest = graph.get_state(config)
    called.clear()
    answered = graph.invoke(Command(resume="y"), latest.config)
    out.append((questions(answered), answered["value"], sorted(called)))
    called.clear()
    out.append((graph.invoke(Command(resume="z"), config), sorted(called)))
    return out
