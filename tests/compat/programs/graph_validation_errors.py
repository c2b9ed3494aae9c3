"""From LangGraph's test_pregel.py (test_graph_validation, test_invalid_checkpointer_type,
test_graph_validation_with_command): what a user sees when a graph is built wrong: an edge
from an unknown node fails compile() with ValueError, a reducer taking one argument fails
StateGraph() with ValueError ("Invalid reducer"), an object that is no checkpointer fails
compile() with TypeError, and two nodes of one step writing a plain key fail the run with
InvalidUpdateError; nodes routing only with Command(goto=...) need no edges."""

from typing import Annotated

from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    hello: str


def bad_reducer(a): ...


class BadReducerState(TypedDict):
    hello: Annotated[str, bad_reducer]


def node_b(state: State) -> State:
    return {"hello": "world"}


class NotACheckpointer:
    pass


class FooBar(TypedDict):
    foo: str
    bar: str


def node_a(state: FooBar):
    return Command(goto="b", update={"foo": "bar"})


def node_end(state: FooBar):
    return Command(goto=END, update={"bar": "baz"})


def main():
    out = []
    graph = StateGraph(State)
    graph.add_node("start", lambda x: x)
    graph.add_edge("__start__", "start")
    graph.add_edge("unknown", "start")
    graph.add_edge("start", "__end__")
    try:
        graph.compile()
    except ValueError as exc:
        out.append(("ValueError", "Found edge starting at unknown node " in str(exc)))
    try:
        StateGraph(BadReducerState)
    except ValueError as exc:
        out.append(("ValueError", "Invalid reducer" in str(exc)))
    builder = StateGraph(State)
    builder.add_node("start", lambda state: state)
    builder.set_entry_point("start")
    builder.set_finish_point("start")
    try:
        builder.compile(checkpointer=NotACheckpointer())
    except TypeError as exc:
        out.append(("TypeError", "Invalid checkpointer provided" in str(exc)))
    builder = StateGraph(State)
    builder.add_node("a", node_b)
    builder.add_node("b", node_b)
    builder.add_node("c", node_b)
    builder.set_entry_point("a")
    builder.add_edge("a", "b")
    builder.add_edge("a", "c")
    try:
        builder.compile().invoke({"hello": "there"})
    except InvalidUpdateError as exc:
        out.append(("InvalidUpdateError", "At key 'hello'" in str(exc)))
    builder = StateGraph(FooBar)
    builder.add_node("a", node_a)
    builder.add_node("b", node_end)
    builder.add_edge(START, "a")
    out.append(builder.compile().invoke({"foo": ""}))
    return out
