"""update_state(as_node="__input__") makes the values a new input of the thread: an input
checkpoint whose next is START, the values shown unchanged until invoke(None) runs it from
START (reducers fold it in), on a new thread and on one that has run."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    topic: str


def a(state):
    return {"log": [f"a({state.get('topic', '')})"]}


def b(state):
    return {"log": ["b"]}


builder = StateGraph(State)
builder.add_node("a", a)
builder.add_node("b", b)
builder.add_edge(START, "a")
builder.add_edge("a", "b")
graph = builder.compile(checkpointer=InMemorySaver())


def show(config):
    snap = graph.get_state(config)
    return (
        snap.next,
        snap.metadata["source"],
        snap.metadata["step"],
        [t.name for t in snap.tasks],
        snap.values.get("topic"),
    )


def main():
    out = []
    fresh = {"configurable": {"thread_id": "fresh"}}
    graph.update_state(fresh, {"log": ["in"], "topic": "x"}, as_node="__input__")
    out.append(show(fresh))
    out.append(graph.invoke(None, fresh))
    ran = {"configurable": {"thread_id": "ran"}}
    graph.invoke({"log": [], "topic": "first"}, ran)
    graph.update_state(ran, {"log": ["again"], "topic": "second"}, as_node="__input__")
    out.append(show(ran))
    out.append(graph.get_state(ran).values)
    out.append(graph.invoke(None, ran))
    out.append([(s.metadata["source"], s.metadata["step"]) for s in graph.get_state_history(ran)])
    return out
