"""From LangGraph's test_time_travel.py (test_stateful_subgraph_retains_state_on_parent_replay,
test_stateful_subgraph_retains_state_on_parent_fork,
test_stateful_subgraph_loads_state_across_ticks): a subgraph compiled with checkpointer=True
keeps its state from one invocation of the parent's thread to the next; when the parent is
replayed (or forked with update_state) from a checkpoint of its second invocation, the
subgraph starts from the state it had at that point (the end of the first invocation), not
from its latest; the same when it runs only some steps after the replayed checkpoint."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class SubState(TypedDict):
    value: Annotated[list[str], operator.add]


class ParentState(TypedDict):
    results: Annotated[list[str], operator.add]


started = []


def parent_node(state: ParentState):
    return {"results": ["p"]}


def step_a(state: SubState):
    started.append(("step_a", dict(state)))
    answer = interrupt("question_a")
    return {"value": [f"a:{answer}"]}


def step_b(state: SubState):
    started.append(("step_b", dict(state)))
    answer = interrupt("question_b")
    return {"value": [f"b:{answer}"]}


sub = (
    StateGraph(SubState)
    .add_node("step_a", step_a)
    .add_node("step_b", step_b)
    .add_edge(START, "step_a")
    .add_edge("step_a", "step_b")
    .compile(checkpointer=True)
)

graph = (
    StateGraph(ParentState)
    .add_node("parent_node", parent_node)
    .add_node("sub_node", sub)
    .add_edge(START, "parent_node")
    .add_edge("parent_node", "sub_node")
    .compile(checkpointer=InMemorySaver())
)


def sub_step(state: SubState):
    started.append(("sub_step", dict(state)))
    return {"value": ["s"]}


ticks = (
    StateGraph(ParentState)
    .add_node("node_a", lambda state: {"results": ["a"]})
    .add_node("node_b", lambda state: {"results": ["b"]})
    .add_node(
        "sub_node",
        StateGraph(SubState)
        .add_node("sub_step", sub_step)
        .add_edge(START, "sub_step")
        .compile(checkpointer=True),
    )
    .add_edge(START, "node_a")
    .add_edge("node_a", "node_b")
    .add_edge("node_b", "sub_node")
    .compile(checkpointer=InMemorySaver())
)


def two_invocations(config, a, b):
    graph.invoke({"results": []}, config)
    graph.invoke(Command(resume=a), config)
    return graph.invoke(Command(resume=b), config)


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    out.append(two_invocations(config, "a1", "b1"))
    out.append(two_invocations(config, "a2", "b2"))
    out.append(list(started))
    out.append(graph.get_state(config, subgraphs=True).values)
    before_sub_2nd = next(s for s in graph.get_state_history(config) if s.next == ("sub_node",))
    started.clear()
    replay = graph.invoke(None, before_sub_2nd.config)
    out.append((replay, list(started)))
    started.clear()
    out.append((graph.invoke(Command(resume="a3"), config), list(started)))

    config = {"configurable": {"thread_id": "2"}}
    out.append(two_invocations(config, "a1", "b1"))
    out.append(two_invocations(config, "a2", "b2"))
    before_sub_2nd = next(s for s in graph.get_state_history(config) if s.next == ("sub_node",))
    fork_config = graph.update_state(before_sub_2nd.config, {"results": ["forked"]})
    started.clear()
    fork = graph.invoke(None, fork_config)
    out.append((fork, list(started)))

    config = {"configurable": {"thread_id": "3"}}
    started.clear()
    out.append(ticks.invoke({"results": []}, config))
    out.append(ticks.invoke({"results": []}, config))
    before_a_2nd = next(s for s in ticks.get_state_history(config) if s.next == ("node_a",))
    out.append(ticks.invoke(None, before_a_2nd.config))
    out.append(list(started))
    return out
