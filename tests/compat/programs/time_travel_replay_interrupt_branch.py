"""From LangGraph's test_time_travel.py (test_replay_from_before_interrupt_then_resume,
test_replay_interrupt_stable_across_replays): replaying a finished thread from the checkpoint
before a node that calls interrupt() runs that node again (not the one before it) and pauses
on the same question; the replay branches the thread, and resuming finishes the new branch
while the old checkpoints stay in the history (sources, next, values, parent links)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    value: Annotated[list[str], operator.add]


called = []


def node_a(state: State):
    called.append("node_a")
    return {"value": ["a"]}


def ask_human(state: State):
    called.append("ask_human")
    answer = interrupt("What is your input?")
    return {"value": [f"human:{answer}"]}


def node_b(state: State):
    called.append("node_b")
    return {"value": ["b"]}


graph = (
    StateGraph(State)
    .add_node("node_a", node_a)
    .add_node("ask_human", ask_human)
    .add_node("node_b", node_b)
    .add_edge(START, "node_a")
    .add_edge("node_a", "ask_human")
    .add_edge("ask_human", "node_b")
    .compile(checkpointer=InMemorySaver())
)


def summary(history):
    return [
        (
            s.config["configurable"]["checkpoint_id"],
            s.parent_config["configurable"]["checkpoint_id"] if s.parent_config else None,
            s.metadata.get("source"),
            s.metadata.get("step"),
            s.next,
            s.values,
        )
        for s in history
    ]


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"value": []}, config)]
    out.append(graph.invoke(Command(resume="old_answer"), config))
    original = list(graph.get_state_history(config))
    out.append(summary(original))
    before_ask = next(s for s in original if s.next == ("ask_human",))
    called.clear()
    replay = graph.invoke(None, before_ask.config)
    out.append((replay["value"], [i.value for i in replay["__interrupt__"]], list(called)))
    out.append(summary(graph.get_state_history(config)))
    out.append(graph.get_state(config).next)
    called.clear()
    out.append(graph.invoke(Command(resume="new_answer"), config))
    out.append(list(called))
    out.append(summary(graph.get_state_history(config)))
    # the same checkpoint replayed again pauses on the same question each time
    again = [graph.invoke(None, before_ask.config) for _ in range(2)]
    out.append([(r["value"], r["__interrupt__"][0].value) for r in again])
    return out
