"""A compiled graph as a node (shared keys), two levels down, and Command.PARENT."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    topic: str


def research(state: State):
    return {"log": [f"research {state['topic']}"]}


def check(state: State):
    if "stop" in state["topic"]:
        return Command(graph=Command.PARENT, goto="abort", update={"log": ["handed back"]})
    return {"log": ["checked"]}


inner = StateGraph(State)
inner.add_node("research", research)
inner.add_node("check", check)
inner.add_edge(START, "research")
inner.add_edge("research", "check")

middle = StateGraph(State)
middle.add_node("inner", inner.compile())
middle.add_node("summarise", lambda state: {"log": ["summarised"]})
middle.add_edge(START, "inner")
middle.add_edge("inner", "summarise")

outer = StateGraph(State)
outer.add_node("middle", middle.compile())
outer.add_node("abort", lambda state: {"log": ["aborted"]})
outer.add_node("publish", lambda state: {"log": ["published"]})
outer.add_edge(START, "middle")
outer.add_edge("middle", "publish")
outer.add_edge("publish", END)
graph = outer.compile()


def main():
    return graph.invoke({"log": [], "topic": "owls"})
