"""From LangGraph's test_parent_command.py (test_parent_command_from_nested_subgraph): a
node invokes two compiled children itself (child.invoke inside the node); when a child's
node returns Command(graph=Command.PARENT, goto="parent_second"), the parent's node stops
right there (the code after that invoke never runs) and the parent goes to parent_second."""

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class ParentState(TypedDict):
    jump_from_idx: int


class ChildState(TypedDict):
    jump: bool


visited = []


def child_node(state: ChildState):
    if state["jump"]:
        return Command(graph=Command.PARENT, goto="parent_second")
    return state


child_builder = StateGraph(ChildState)
child_builder.add_node("node", child_node)
child_builder.add_edge(START, "node")
child_0 = child_builder.compile()
child_1 = child_builder.compile()


def parent_first(state: ParentState):
    visited.append(("parent_first", state["jump_from_idx"]))
    child_0.invoke({"jump": state["jump_from_idx"] == 1})
    visited.append(("after child_0", state["jump_from_idx"]))
    child_1.invoke({"jump": state["jump_from_idx"] == 2})
    visited.append(("after child_1", state["jump_from_idx"]))
    return state


def parent_second(state: ParentState):
    visited.append(("parent_second", state["jump_from_idx"]))
    return state


parent_builder = StateGraph(ParentState)
parent_builder.add_node("parent_first", parent_first)
parent_builder.add_node("parent_second", parent_second)
parent_builder.add_edge(START, "parent_first")
parent_builder.add_edge("parent_second", END)
graph = parent_builder.compile()


def main():
    out = [graph.invoke({"jump_from_idx": i}) for i in (0, 1, 2)]
    out.append(list(graph.stream({"jump_from_idx": 2})))
    out.append(visited)
    return out
