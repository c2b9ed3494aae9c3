"""From LangGraph's test_time_travel.py (test_subgraph_replay_from_before,
test_subgraph_fork_from_before, test_subgraph_interrupt_replay_from_parent): replaying the
parent from its checkpoint before a subgraph node runs the subgraph and what follows again,
not the node before it; a fork there (update_state) runs the subgraph on the forked state; a
subgraph compiled with checkpointer=True that asks a question is run from its start on a
replay of the parent, and pauses again before its last node."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    value: Annotated[list[str], operator.add]


called = []


def record(name, write):
    def node(state: State):
        called.append(name)
        return {"value": [write]}

    return node


def ask_human(state: State):
    called.append("ask_human")
    answer = interrupt("Provide input:")
    return {"value": [f"human:{answer}"]}


def build(with_question):
    sub = StateGraph(State).add_node("step_a", record("step_a", "sub_a"))
    sub.add_node("step_b", record("step_b", "sub_b")).add_edge(START, "step_a")
    if with_question:
        sub.add_node("ask_human", ask_human)
        sub.add_edge("step_a", "ask_human").add_edge("ask_human", "step_b")
        subgraph = sub.compile(checkpointer=True)
    else:
        sub.add_edge("step_a", "step_b")
        subgraph = sub.compile()
    return (
        StateGraph(State)
        .add_node("parent_node", record("parent_node", "parent"))
        .add_node("subgraph", subgraph)
        .add_node("post_process", record("post_process", "post"))
        .add_edge(START, "parent_node")
        .add_edge("parent_node", "subgraph")
        .add_edge("subgraph", "post_process")
        .compile(checkpointer=InMemorySaver())
    )


def main():
    out = []
    graph = build(False)
    config = {"configurable": {"thread_id": "1"}}
    out.append(graph.invoke({"value": []}, config))
    history = list(graph.get_state_history(config))
    before_sub = next(s for s in history if s.next == ("subgraph",))
    called.clear()
    out.append((graph.invoke(None, before_sub.config), list(called)))
    called.clear()
    fork_config = graph.update_state(before_sub.config, {"value": ["forked"]})
    out.append((graph.invoke(None, fork_config), list(called)))
    out.append([(s.metadata["source"], s.next, s.values) for s in graph.get_state_history(config)])

    graph = build(True)
    config = {"configurable": {"thread_id": "2"}}
    paused = graph.invoke({"value": []}, config)
    out.append((paused["value"], [i.value for i in paused["__interrupt__"]]))
    out.append(graph.invoke(Command(resume="answer"), config))
    history = list(graph.get_state_history(config))
    before_sub = [s for s in history if s.next == ("subgraph",)][-1]
    called.clear()
    replay = graph.invoke(None, before_sub.config)
    out.append((replay["value"], [i.value for i in replay["__interrupt__"]], list(called)))
    called.clear()
    out.append((graph.invoke(Command(resume="again"), config), list(called)))
    return out
