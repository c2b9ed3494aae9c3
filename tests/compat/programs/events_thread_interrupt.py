"""astream_events on a thread (the human-in-the-loop page's ``interrupt()``, resumed with
``Command(resume=...)``): the first stream ends with the graph's ``__interrupt__`` chunk
and its output, the resumed one runs the waiting node again; both carry the thread id in
every event's metadata."""

import operator
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict):
    draft: str
    log: Annotated[list, operator.add]


def write(state: State):
    return {"draft": "first draft", "log": ["write"]}


def human_review(state: State):
    answer = interrupt({"draft": state["draft"]})
    return {"draft": answer, "log": ["review"]}


builder = StateGraph(State)
builder.add_node("write", write)
builder.add_node("human_review", human_review)
builder.add_edge(START, "write")
builder.add_edge("write", "human_review")
builder.add_edge("human_review", END)
graph = builder.compile(checkpointer=InMemorySaver())


def shape(e):
    data = e["data"]
    chunk = data.get("chunk")
    if isinstance(chunk, dict) and "__interrupt__" in chunk:
        data = {"chunk": {"__interrupt__": [i.value for i in chunk["__interrupt__"]]}}
    meta = e["metadata"]
    return (e["event"], e["name"], meta.get("thread_id"), meta.get("langgraph_step"), data)


async def main():
    config = {"configurable": {"thread_id": "t1"}}
    first = [shape(e) async for e in graph.astream_events({"log": []}, config, version="v2")]
    resumed = graph.astream_events(Command(resume="final draft"), config, version="v2")
    second = [shape(e) async for e in resumed]
    return first, second, graph.get_state(config).values
