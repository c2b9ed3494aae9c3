"""Durable execution (docs: oss/durable-execution, "Using tasks in nodes"): a graph node
calls a @task for each URL; the node then waits at an interrupt(), and when it is resumed
the requests already made are not made again (their results are in the checkpoint).
A fake request stands in for requests.get."""

import uuid
from typing import NotRequired

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import task
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

made = []


class State(TypedDict):
    urls: list[str]
    result: NotRequired[list[str]]


@task
def _make_request(url: str):
    """Make a request."""
    made.append(url)
    return f"<html>{url}</html>"[:100]


def call_api(state: State):
    """Example node that makes an API request."""
    requests = [_make_request(url) for url in state["urls"]]
    results = [request.result() for request in requests]
    approved = interrupt("save these pages?")
    return {"result": results if approved else []}


# Create a StateGraph
builder = StateGraph(State)
builder.add_node("call_api", call_api)
builder.add_edge(START, "call_api")
builder.add_edge("call_api", END)

# Specify a checkpointer
checkpointer = InMemorySaver()

# Compile the graph with the checkpointer
graph = builder.compile(checkpointer=checkpointer)


def main():
    thread_id = uuid.uuid4()
    config = {"configurable": {"thread_id": thread_id}}
    paused = graph.invoke({"urls": ["https://www.example.com"]}, config)
    done = graph.invoke(Command(resume=True), config)
    return [i.value for i in paused["__interrupt__"]], done, made
