"""From LangGraph's test_pregel.py (test_parent_command_goto,
test_parent_command_goto_deeply_nested, test_timeout_with_parent_command): a subgraph node
returns Command(graph=Command.PARENT, goto=..., update=...): the parent applies the update and
goes to that node (with the subgraph compiled with checkpointer=True or False, on a thread);
three levels down, Command.PARENT reaches the immediate parent only; at the top level it
raises ParentCommand carrying the Command."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import ParentCommand
from langgraph.graph import START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    dialog_state: Annotated[list[str], operator.add]


def node_a_child(state):
    return {"dialog_state": ["a_child_state"]}


def node_b_child(state):
    return Command(
        graph=Command.PARENT, goto="node_b_parent", update={"dialog_state": ["b_child_state"]}
    )


def node_b_parent(state):
    return {"dialog_state": ["node_b_parent"]}


def two_levels(persist):
    sub = StateGraph(State)
    sub.add_node(node_a_child)
    sub.add_node(node_b_child)
    sub.add_edge(START, "node_a_child")
    sub.add_edge("node_a_child", "node_b_child")
    main = StateGraph(State)
    main.add_node(node_b_parent)
    main.add_edge(START, "subgraph_node")
    main.add_node(
        "subgraph_node", sub.compile(checkpointer=persist), destinations=("node_b_parent",)
    )
    return main.compile(InMemorySaver(), name="parent")


def sub_sub_child_node(state):
    return Command(
        graph=Command.PARENT, goto="sub_child_3", update={"dialog_state": ["sub_sub_child"]}
    )


def three_levels(persist):
    sub_sub = StateGraph(State)
    sub_sub.add_node("sub_sub_child", sub_sub_child_node)
    sub_sub.add_edge(START, "sub_sub_child")
    sub = StateGraph(State)
    sub.add_node("sub_child_1", lambda state: {"dialog_state": ["sub_child_1"]})
    sub.add_node(
        "sub_child_2",
        sub_sub.compile(name="sub_sub_graph", checkpointer=persist),
        destinations=("sub_child_3",),
    )
    sub.add_node("sub_child_3", lambda state: {"dialog_state": ["sub_child_3"]})
    sub.add_edge(START, "sub_child_1")
    sub.add_edge("sub_child_1", "sub_child_2")
    builder = StateGraph(State)
    builder.add_node("child_1", lambda state: {"dialog_state": ["child_1"]})
    builder.add_node("child_2", sub.compile(name="sub_graph", checkpointer=persist))
    builder.add_edge(START, "child_1")
    builder.add_edge("child_1", "child_2")
    return builder.compile(name="main_graph", checkpointer=InMemorySaver())


class Value(TypedDict):
    value: str


def parent_command_node(state: Value):
    return Command(graph=Command.PARENT, goto="test_cmd", update={"key": "value"})


def main():
    out = []
    for persist in (True, False):
        config = {"configurable": {"thread_id": 1}}
        graph = two_levels(persist)
        out.append(graph.invoke(input={"dialog_state": ["init_state"]}, config=config))
        out.append([s.next for s in graph.get_state_history(config)])
        out.append(three_levels(persist).invoke({"dialog_state": ["init"]}, config))
    builder = StateGraph(Value)
    builder.add_node("parent_cmd", parent_command_node)
    builder.set_entry_point("parent_cmd")
    top = builder.compile(checkpointer=InMemorySaver())
    try:
        top.invoke({"value": "start"}, {"configurable": {"thread_id": "1"}})
    except ParentCommand as exc:
        out.append(("ParentCommand", exc.args[0].goto, exc.args[0].update))
    return out
