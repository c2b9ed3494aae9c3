"""bulk_update_state: several updates in one superstep become one checkpoint whose next
step routes from every node named; supersteps follow each other; empty or unnamed updates
are refused as LangGraph refuses them."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    n: int


def make(name):
    return lambda state: {"log": [name]}


builder = StateGraph(State)
for name in "abcd":
    builder.add_node(name, make(name))
builder.add_edge(START, "a")
builder.add_edge(START, "b")
builder.add_edge("a", "c")
builder.add_edge("b", "d")
graph = builder.compile(checkpointer=InMemorySaver())


def show(config):
    snap = graph.get_state(config)
    return snap.values, snap.next, snap.metadata["source"], snap.metadata["step"]


def refused(config, supersteps):
    try:
        graph.bulk_update_state(config, supersteps)
    except (ValueError, InvalidUpdateError) as exc:
        return type(exc).__name__
    return "accepted"


def main():
    out = []
    one = {"configurable": {"thread_id": "one"}}
    graph.bulk_update_state(
        one, [[({"log": ["x"], "n": 1}, "a", None), ({"log": ["y"]}, "b", None)]]
    )
    out.append(show(one))
    out.append(graph.invoke(None, one))
    two = {"configurable": {"thread_id": "two"}}
    graph.bulk_update_state(two, [[({"log": ["x"]}, "a", None)], [({"log": ["z"]}, "c", None)]])
    out.append(show(two))
    out.append(
        [(s.metadata["source"], s.metadata["step"], s.next) for s in graph.get_state_history(two)]
    )
    out.append(refused(two, []))
    out.append(refused(two, [[]]))
    out.append(refused(two, [[({"log": ["q"]}, None, None), ({"log": ["r"]}, "a", None)]]))
    out.append(refused(two, [[({"log": ["q"]}, "nope", None), ({"log": ["r"]}, "a", None)]]))
    return out
