"""astream_events of a map-reduce (the graph API page's ``Send`` example): each Send's
node run carries LangGraph's push metadata (``langgraph_triggers`` ``__pregel_push``, its
index in ``langgraph_path``) and its own input; the path function that made the Sends is
a run inside the node before it. Sends run concurrently, so their events are compared as
a set per kind."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class OverallState(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]


def continue_to_jokes(state: OverallState):
    return [Send("generate_joke", {"subject": s}) for s in state["subjects"]]


def generate_joke(state: dict):
    return {"jokes": [f"Joke about {state['subject']}"]}


def plan(state: OverallState):
    return {"subjects": ["lions", "tigers"]}


builder = StateGraph(OverallState)
builder.add_node("plan", plan)
builder.add_node("generate_joke", generate_joke)
builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", continue_to_jokes, ["generate_joke"])
builder.add_edge("generate_joke", END)
graph = builder.compile()


async def main():
    ordered, sends, chunks = [], set(), []
    async for e in graph.astream_events({"subjects": [], "jokes": []}, version="v2"):
        meta = e["metadata"]
        if e["name"] == "generate_joke":
            data = repr(sorted(e["data"].items()))
            path = meta["langgraph_path"]
            sends.add((e["event"], meta["langgraph_triggers"], path, e["tags"][0], data))
        elif e["event"] == "on_chain_stream" and "generate_joke" in e["data"]["chunk"]:
            # the graph's chunk of each Send's update: in the order the branches finished
            # (they run in worker threads at once), so compared as a set
            chunks.append(str(e["data"]["chunk"]))
            ordered.append((e["event"], e["name"], e["tags"], "a Send's update"))
        else:
            ordered.append((e["event"], e["name"], e["tags"], str(e["data"])[:60]))
    return ordered, sorted(sends), sorted(chunks)
