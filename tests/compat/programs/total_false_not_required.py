"""total=False and NotRequired keys: a node sees only the keys that have a value."""

from typing import NotRequired, Required

from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict, total=False):
    question: Required[str]
    answer: NotRequired[str]
    seen: list


def look(state: State):
    return {"seen": sorted(state)}


def answer(state: State):
    return {"answer": state["question"].upper()}


builder = StateGraph(State)
builder.add_node("look", look)
builder.add_node("answer", answer)
builder.add_edge(START, "look")
builder.add_edge("look", "answer")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"question": "why"})
