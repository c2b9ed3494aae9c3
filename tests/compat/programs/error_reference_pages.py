"""LangGraph's error reference pages: GRAPH_RECURSION_LIMIT (a -> b -> a forever; raise the
limit or it fails), INVALID_CONCURRENT_GRAPH_UPDATE (two nodes of one step write a plain key;
the page's fix: an operator.add reducer), INVALID_GRAPH_NODE_RETURN_VALUE (a node returns a
list). Each error's class, message and troubleshooting link as a program catching it sees
them. graphstage's InvalidUpdateError messages begin with LangGraph's words and go on to name
the node(s) that wrote; the links are LangGraph's."""

import operator
from typing import Annotated

from langgraph.errors import GraphRecursionError, InvalidUpdateError
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    some_key: str


def looping():
    builder = StateGraph(State)
    builder.add_node("a", lambda state: {"some_key": state["some_key"] + "a"})
    builder.add_node("b", lambda state: {"some_key": state["some_key"] + "b"})
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "a")
    return builder.compile()


def node(state: State):
    return {"some_key": "some_string_value"}


def other_node(state: State):
    return {"some_key": "some_string_value"}


def concurrent(state_schema):
    builder = StateGraph(state_schema)
    builder.add_node(node)
    builder.add_node(other_node)
    builder.add_edge(START, "node")
    builder.add_edge(START, "other_node")
    return builder.compile()


class FixedState(TypedDict):
    # The operator.add reducer fn makes this append-only
    some_key: Annotated[list, operator.add]


def list_node(state: FixedState):
    return {"some_key": ["from node"]}


def other_list_node(state: FixedState):
    return {"some_key": ["from other_node"]}


def bad_node(state: State):
    # Should return a dict with a value for "some_key", not a list
    return ["whoops"]


def caught(call):
    try:
        return ("returned", call())
    except (GraphRecursionError, InvalidUpdateError) as exc:
        return (type(exc).__name__, str(exc).splitlines(), getattr(exc, "lc_error_code", None))


DIFFERS = "InvalidUpdateError messages name the node(s) after LangGraph's first words"


def check_difference(langgraph_result, graphstage_result):
    recursion, concurrent, fixed, bad_return = langgraph_result
    assert graphstage_result[0] == recursion and graphstage_result[2] == fixed
    for lg, gs in ((concurrent, graphstage_result[1]), (bad_return, graphstage_result[3])):
        assert gs[0] == lg[0] == "InvalidUpdateError"
        assert gs[1][1:] == lg[1][1:]  # the troubleshooting link
        first = lg[1][0].split(". Use")[0].rstrip(".")
        assert gs[1][0].startswith(first) and gs[1][0] != lg[1][0]
    assert "from 'node' and one from 'other_node'" in graphstage_result[1][1][0]
    assert "node 'bad_node' returned list" in graphstage_result[3][1][0]


def main():
    out = [caught(lambda: looping().invoke({"some_key": ""}, {"recursion_limit": 6}))]
    out.append(caught(lambda: concurrent(State).invoke({"some_key": "someval"})))
    fixed = StateGraph(FixedState)
    fixed.add_node("node", list_node)
    fixed.add_node("other_node", other_list_node)
    fixed.add_edge(START, "node")
    fixed.add_edge(START, "other_node")
    out.append(caught(lambda: fixed.compile().invoke({"some_key": []})))
    builder = StateGraph(State)
    builder.add_node(bad_node)
    builder.add_edge(START, "bad_node")
    out.append(caught(lambda: builder.compile().invoke({"some_key": "someval"})))
    return out
