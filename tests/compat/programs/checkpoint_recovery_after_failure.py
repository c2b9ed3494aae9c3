"""From LangGraph's test_pregel.py (test_checkpoint_recovery, under each durability): a node
fails on its first attempt; the thread keeps the input and the failed task (its error in
get_state's task, the node still next); a new input on the thread runs from START with the
attempt counter changed and succeeds; the history's length under each durability, the
failed checkpoint's error kept in the history, and delete_thread empties the thread."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    steps: Annotated[list[str], operator.add]
    attempt: int


def failing_node(state: State):
    if state["attempt"] == 1:
        raise RuntimeError("Simulated failure")
    return {"steps": ["node1"]}


def second_node(state: State):
    return {"steps": ["node2"]}


builder = StateGraph(State)
builder.add_node("node1", failing_node)
builder.add_node("node2", second_node)
builder.add_edge(START, "node1")
builder.add_edge("node1", "node2")


def main():
    out = []
    for durability in ("sync", "async", "exit"):
        graph = builder.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "1"}}
        try:
            graph.invoke({"steps": ["start"], "attempt": 1}, config, durability=durability)
        except RuntimeError as exc:
            out.append(("RuntimeError", str(exc)))
        state = graph.get_state(config)
        out.append((state.values, state.next, [t.error for t in state.tasks]))
        result = graph.invoke({"steps": [], "attempt": 2}, config, durability=durability)
        out.append(result)
        history = list(graph.get_state_history(config))
        out.append([(s.metadata["source"], s.next, [t.error for t in s.tasks]) for s in history])
        graph.checkpointer.delete_thread(config["configurable"]["thread_id"])
        out.append((graph.checkpointer.get_tuple(config), list(graph.get_state_history(config))))
    return out
