"""From LangGraph's test_pregel.py (test_overwrite_sequential, test_overwrite_parallel,
test_overwrite_parallel_error, each with Overwrite(...) and with its JSON form
{"__overwrite__": ...}): a node's Overwrite replaces a reducer key's value instead of
folding into it; in a step where a sibling appends, the Overwrite wins and the next step
appends after it; two Overwrites of one key in one step fail the run with InvalidUpdateError
("Can receive only one Overwrite value per super-step.")."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, StateGraph
from langgraph.types import Overwrite
from typing_extensions import TypedDict


class State(TypedDict):
    messages: Annotated[list, operator.add]


def overwrite(value, as_json):
    return {"__overwrite__": value} if as_json else Overwrite(value)


def build(as_json, shape):
    builder = StateGraph(State)
    builder.add_node("node_a", lambda state: {"messages": ["a"]})
    builder.add_node("node_b", lambda state: {"messages": overwrite(["b"], as_json)})
    builder.add_edge(START, "node_a")
    builder.add_edge("node_a", "node_b")
    if shape == "parallel":
        builder.add_node("node_c", lambda state: {"messages": ["c"]})
        builder.add_node("node_d", lambda state: {"messages": ["d"]})
        builder.add_edge("node_a", "node_c")
        builder.add_edge("node_b", "node_d")
        builder.add_edge("node_c", "node_d")
    elif shape == "two overwrites":
        builder.add_node("node_c", lambda state: {"messages": overwrite(["c"], as_json)})
        builder.add_edge("node_a", "node_c")
        builder.add_edge("node_b", END)
        builder.add_edge("node_c", END)
    return builder.compile(checkpointer=InMemorySaver())


def main():
    out = []
    for as_json in (False, True):
        for shape in ("sequential", "parallel", "two overwrites"):
            config = {"configurable": {"thread_id": "1"}}
            try:
                out.append(build(as_json, shape).invoke({"messages": ["START"]}, config))
            except InvalidUpdateError as exc:
                words = "Can receive only one Overwrite value per super-step"
                out.append(("InvalidUpdateError", str(exc).startswith(words)))
    return out
