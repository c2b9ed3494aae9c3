"""From LangGraph's test_pregel.py (test_multiple_writes_same_channel_from_same_node): a node
returning Command(update=[("foo", "one.0"), ("foo", "one.1")]) writes one key twice, folded
in order by a custom reducer; the stream in ["updates", "tasks"] mode shows both writes
(the task's result as {"foo": {"$writes": [...]}}), and the history's tasks carry the same
results."""

from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    foo: Annotated[str, lambda a, b: ", ".join([x for x in [a, b] if x])]


def one(_: State) -> Command:
    return Command(update=[("foo", "one.0"), ("foo", "one.1")])


def two(_: State) -> State:
    return {"foo": "two"}


graph = (
    StateGraph(State)
    .add_node("one", one)
    .add_node("two", two)
    .add_edge(START, "one")
    .add_edge("one", "two")
    .add_edge("two", END)
    .compile(checkpointer=InMemorySaver())
)


def main():
    config = {"configurable": {"thread_id": "1"}}
    events = [
        (mode, {k: v for k, v in chunk.items() if k != "id"} if mode == "tasks" else chunk)
        for mode, chunk in graph.stream({"foo": "input"}, config, stream_mode=["updates", "tasks"])
    ]
    history = [
        {"tasks": [{"name": t.name, "result": t.result} for t in s.tasks], "values": s.values}
        for s in graph.get_state_history(config)
    ]
    return [events, history]
