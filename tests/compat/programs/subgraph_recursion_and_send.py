"""Subgraphs with Send and recursion limits (the graph API page's Send and recursion-limit
sections, with a compiled subgraph as the Send's target, as the subgraphs page adds one):
Send("worker", {...}) to a compiled subgraph with its own input schema runs one subgraph per
item, and their outputs fold into the parent's reducer key; a subgraph that loops forever
fails the whole run with GraphRecursionError under the parent's recursion_limit, and a
subgraph reading RemainingSteps stops its loop in time."""

import operator
from typing import Annotated

from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph
from langgraph.managed import RemainingSteps
from langgraph.types import Send
from typing_extensions import TypedDict


class WorkerState(TypedDict):
    item: str
    results: Annotated[list[str], operator.add]


def work(state: WorkerState):
    return {"results": [state["item"].upper()]}


def check(state: WorkerState):
    return {"results": [f"checked {state['item']}"]}


worker = (
    StateGraph(WorkerState)
    .add_node("work", work)
    .add_node("check", check)
    .add_edge(START, "work")
    .add_edge("work", "check")
    .compile()
)


class Parent(TypedDict):
    items: list[str]
    results: Annotated[list[str], operator.add]


def fan_out(state: Parent):
    return [Send("worker", {"item": item}) for item in state["items"]]


def summary(state: Parent):
    return {"results": [f"{len(state['results'])} results"]}


parent = (
    StateGraph(Parent)
    .add_node("worker", worker)
    .add_node("summary", summary)
    .add_conditional_edges(START, fan_out, ["worker"])
    .add_edge("worker", "summary")
    .add_edge("summary", END)
    .compile()
)


class Loop(TypedDict):
    count: Annotated[int, operator.add]
    remaining_steps: RemainingSteps


def tick(state: Loop):
    return {"count": 1}


def forever(state: Loop):
    return "tick"


def until_close(state: Loop):
    return END if state["remaining_steps"] <= 2 else "tick"


def looping(route):
    sub = StateGraph(Loop).add_node("tick", tick).add_edge(START, "tick")
    sub.add_conditional_edges("tick", route, ["tick", END])
    return (
        StateGraph(Loop)
        .add_node("sub", sub.compile())
        .add_node("after", lambda state: {"count": 100})
        .add_edge(START, "sub")
        .add_edge("sub", "after")
        .compile()
    )


def main():
    out = [parent.invoke({"items": ["a", "b", "c"], "results": []})]
    try:
        looping(forever).invoke({"count": 0}, {"recursion_limit": 6})
    except GraphRecursionError as exc:
        out.append(("GraphRecursionError", str(exc).split(".")[0]))
    out.append(looping(until_close).invoke({"count": 0}, {"recursion_limit": 6}))
    out.append(looping(until_close).invoke({"count": 0}, {"recursion_limit": 10}))
    return out
