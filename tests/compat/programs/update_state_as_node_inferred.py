"""update_state without as_node acts as the node that ran last (LangGraph infers it from
the versions each node saw): the next step is recomputed from that node's edges, its
conditional edge read on the updated state; an update does not count as a run; two nodes
in the last step make it ambiguous; on a new thread it acts as START."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    route: str


def a(state):
    return {"log": ["a"]}


def b(state):
    return {"log": ["b"]}


def c(state):
    return {"log": ["c"]}


def pick(state):
    return state.get("route") or "b"


def routed():
    builder = StateGraph(State)
    builder.add_node("a", a)
    builder.add_node("b", b)
    builder.add_node("c", c)
    builder.add_edge(START, "a")
    builder.add_conditional_edges("a", pick, ["b", "c"])
    return builder.compile(checkpointer=InMemorySaver())


def fan():
    builder = StateGraph(State)
    builder.add_node("a", a)
    builder.add_node("b", b)
    builder.add_node("c", c)
    builder.add_edge(START, "a")
    builder.add_edge(START, "b")
    builder.add_edge(["a", "b"], "c")
    return builder.compile(checkpointer=InMemorySaver())


def show(graph, config):
    snap = graph.get_state(config)
    return snap.values, snap.next, snap.metadata["source"], snap.metadata["step"]


def main():
    out = []
    # paused before the routed node: the update re-routes a's conditional edge
    graph, config = routed(), {"configurable": {"thread_id": "routed"}}
    graph.invoke({"log": [], "route": ""}, config, interrupt_before=["b", "c"])
    out.append(show(graph, config))
    graph.update_state(config, {"route": "c"})
    out.append(show(graph, config))
    out.append(graph.invoke(None, config))
    # a finished thread: the last node leads to END, nothing is next; twice in a row
    graph, config = routed(), {"configurable": {"thread_id": "done"}}
    graph.invoke({"log": [], "route": ""}, config)
    graph.update_state(config, {"log": ["x"]})
    out.append(show(graph, config))
    graph.update_state(config, {"log": ["y"]})
    out.append(show(graph, config))
    # an update as another node does not count as that node running
    graph, config = routed(), {"configurable": {"thread_id": "as-c"}}
    graph.invoke({"log": [], "route": ""}, config, interrupt_before=["b"])
    graph.update_state(config, {"log": ["u1"]}, as_node="c")
    out.append(show(graph, config))
    graph.update_state(config, {"log": ["u2"]})
    out.append(show(graph, config))
    # two nodes ran in the last step: ambiguous
    graph, config = fan(), {"configurable": {"thread_id": "fan"}}
    graph.invoke({"log": []}, config, interrupt_before=["c"])
    try:
        graph.update_state(config, {"log": ["x"]})
    except InvalidUpdateError:
        out.append("ambiguous")
    out.append(show(graph, config))
    out.append(graph.invoke(None, config))
    # a new thread: as START
    graph, config = routed(), {"configurable": {"thread_id": "new"}}
    graph.update_state(config, {"log": ["e"], "route": "c"})
    out.append(show(graph, config))
    out.append(graph.invoke(None, config))
    return out
