"""The streaming how-to's values mode on a step that pauses (the human-in-the-loop page's
parallel nodes, one asking with interrupt()): the values stream of the paused run, and of
the continuation that answers (the finished sibling is not run again), in "values" mode and
with ["values", "updates"]; invoke's result of the paused run; the tasks stream's result of
the asking task (no result, its question), shown with the pause."""

import operator
import time
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list[str], operator.add]


calls = []


def a(state: State):
    calls.append("a")
    return {"log": ["a"]}


def b(state: State):
    calls.append("b")
    time.sleep(0.05)  # asks after a's update (the two run at once in worker threads)
    return {"log": [interrupt("q")]}


graph = (
    StateGraph(State)
    .add_node("a", a)
    .add_node("b", b)
    .add_edge(START, "a")
    .add_edge(START, "b")
    .compile(checkpointer=InMemorySaver())
)


def shown(chunk):
    if isinstance(chunk, tuple):
        return (chunk[0], shown(chunk[1]))
    if isinstance(chunk, dict) and "__interrupt__" in chunk:
        return {**chunk, "__interrupt__": [i.value for i in chunk["__interrupt__"]]}
    return chunk


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    out.append([shown(c) for c in graph.stream({"log": []}, config, stream_mode="values")])
    out.append([shown(c) for c in graph.stream(Command(resume="B"), config, stream_mode="values")])
    config = {"configurable": {"thread_id": "2"}}
    modes = ["values", "updates"]
    out.append([shown(c) for c in graph.stream({"log": []}, config, stream_mode=modes)])
    out.append([shown(c) for c in graph.stream(Command(resume="B"), config, stream_mode=modes)])
    config = {"configurable": {"thread_id": "3"}}
    out.append(shown(graph.invoke({"log": []}, config)))
    out.append(sorted(calls))
    out.append(tasks_of_pause())
    config = {"configurable": {"thread_id": "5"}}
    modes = ["values", "updates", "tasks"]
    out.append(
        [
            (mode, {k: v for k, v in shown(chunk).items() if k not in ("id", "interrupts")})
            for mode, chunk in graph.stream({"log": []}, config, stream_mode=modes)
        ]
    )
    return out


def tasks_of_pause():
    config = {"configurable": {"thread_id": "4"}}
    chunks = graph.stream({"log": []}, config, stream_mode="tasks")
    return [
        (c["name"], c.get("result"), [i["value"] for i in c.get("interrupts", [])])
        for c in chunks
        if "result" in c or "interrupts" in c
    ]
