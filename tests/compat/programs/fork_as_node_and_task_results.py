"""From LangGraph's test_pregel.py (test_fork_does_not_apply_pending_writes,
test_supersteps_populate_task_results): update_state on the checkpoint before node_a, as
node_a, forks the thread: invoke(None, fork) runs node_b only, on the forked value, not on
what node_a wrote in the original run; the history's tasks carry each node's result
(__start__'s is the input), the same whether the thread ran or was written with
bulk_update_state supersteps."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import StateUpdate
from typing_extensions import TypedDict


class State(TypedDict):
    value: Annotated[int, operator.add]


graph = (
    StateGraph(State)
    .add_node("node_a", lambda state: {"value": 10})
    .add_node("node_b", lambda state: {"value": 100})
    .add_edge(START, "node_a")
    .add_edge("node_a", "node_b")
    .compile(checkpointer=InMemorySaver())
)


class Num(TypedDict):
    num: int
    text: str


def double(state: Num) -> Num:
    return {"num": state["num"] * 2, "text": state["text"] * 2}


doubler = (
    StateGraph(Num)
    .add_node("double", double)
    .add_edge(START, "double")
    .add_edge("double", END)
    .compile(checkpointer=InMemorySaver())
)


def results(history):
    return [[(t.name, t.result) for t in s.tasks] for s in history]


def main():
    out = []
    thread = {"configurable": {"thread_id": "1"}}
    out.append(graph.invoke({"value": 1}, thread))
    before_a = next(s for s in graph.get_state_history(thread) if s.next == ("node_a",))
    fork = graph.update_state(before_a.config, {"value": 20}, as_node="node_a")
    out.append(graph.get_state(fork).next)
    out.append(graph.invoke(None, fork))
    out.append(results(graph.get_state_history(thread)))
    ref = {"configurable": {"thread_id": "ref"}}
    doubler.invoke({"num": 1, "text": "one"}, ref)
    out.append(results(doubler.get_state_history(ref)))
    bulk = {"configurable": {"thread_id": "bulk"}}
    doubler.bulk_update_state(
        bulk,
        [
            [StateUpdate(values={}, as_node="__input__")],
            [StateUpdate(values={"num": 1, "text": "one"}, as_node="__start__")],
            [StateUpdate(values={"num": 2, "text": "oneone"}, as_node="double")],
        ],
    )
    out.append(results(doubler.get_state_history(bulk)))
    return out
