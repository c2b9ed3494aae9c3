"""Interrupts inside Send branches (the human-in-the-loop page's "resume multiple interrupts
with one invocation", with the map-reduce how-to's Send): a conditional edge sends one
review task per draft; each branch calls interrupt(); the run pauses with every question
(LangGraph's result lists them as the branches finish: compared as a set), get_state lists
them by task in the Sends' order, and one Command(resume={id: answer, ...}) answers them
all; a partial map answers only some, the rest ask again."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    drafts: list[str]
    reviews: Annotated[list[str], operator.add]


class Draft(TypedDict):
    draft: str


def fan_out(state: State):
    return [Send("review", {"draft": d}) for d in state["drafts"]]


def review(state: Draft):
    verdict = interrupt(f"approve {state['draft']}?")
    return {"reviews": [f"{state['draft']}:{verdict}"]}


def publish(state: State):
    return {"reviews": [f"published {len(state['reviews'])}"]}


builder = StateGraph(State)
builder.add_node("review", review)
builder.add_node("publish", publish)
builder.add_conditional_edges(START, fan_out, ["review"])
builder.add_edge("review", "publish")
builder.add_edge("publish", END)
graph = builder.compile(checkpointer=InMemorySaver())


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    first = graph.invoke({"drafts": ["a", "b", "c"], "reviews": []}, config)
    questions = first["__interrupt__"]
    out.append(sorted(q.value for q in questions))  # LangGraph: in the order they finish
    state = graph.get_state(config)
    out.append((state.next, [(t.name, [i.value for i in t.interrupts]) for t in state.tasks]))
    out.append(sorted(i.value for i in state.interrupts))
    by_value = {q.value: q.id for q in questions}
    partial = graph.invoke(Command(resume={by_value["approve b?"]: "yes"}), config)
    out.append((partial["reviews"], sorted(q.value for q in partial["__interrupt__"])))
    rest = {q.id: f"ok-{q.value[-2]}" for q in partial["__interrupt__"]}
    out.append(graph.invoke(Command(resume=rest), config))
    out.append(graph.get_state(config).next)
    return out
