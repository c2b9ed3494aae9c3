"""LangGraph's map-reduce how-to: a conditional edge from START returns one Send per
subject; each Send runs generate_joke on its own input; the reduce step picks the best."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict


class OverallState(TypedDict):
    topic: str
    subjects: list[str]
    jokes: Annotated[list, operator.add]
    best_selected_joke: str


class JokeState(TypedDict):
    subject: str


def generate_topics(state: OverallState):
    return {"subjects": [f"{state['topic']} {n}" for n in ("lions", "mammals", "cats")]}


def generate_joke(state: JokeState):
    return {"jokes": [f"a joke about {state['subject']}"]}


def continue_to_jokes(state: OverallState):
    return [Send("generate_joke", {"subject": s}) for s in state["subjects"]]


def best_joke(state: OverallState):
    return {"best_selected_joke": sorted(state["jokes"], key=len)[-1]}


graph = StateGraph(OverallState)
graph.add_node("generate_topics", generate_topics)
graph.add_node("generate_joke", generate_joke)
graph.add_node("best_joke", best_joke)
graph.add_edge(START, "generate_topics")
graph.add_conditional_edges("generate_topics", continue_to_jokes, ["generate_joke"])
graph.add_edge("generate_joke", "best_joke")
graph.add_edge("best_joke", END)
app = graph.compile()


async def main():
    chunks = [c async for c in app.astream({"topic": "animals"}, stream_mode="values")]
    return chunks[-1], len(chunks)
