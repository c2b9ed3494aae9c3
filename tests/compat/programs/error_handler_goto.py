"""An error handler returning Command(goto=...) routes the run, in the same step as the
failure; a parallel branch goes on as usual."""

import operator
from typing import Annotated

from langgraph.errors import NodeError
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


def start(state: State):
    return {"log": ["start"]}


def risky(state: State):
    raise ValueError("bad input")


def steady(state: State):
    return {"log": ["steady"]}


def recover(state: State, error: NodeError):
    return Command(goto="retry_later", update={"log": [f"recovered {error.node}"]})


def retry_later(state: State):
    return {"log": ["retry_later"]}


builder = StateGraph(State)
builder.add_node("start", start)
builder.add_node("risky", risky, error_handler=recover)
builder.add_node("steady", steady)
builder.add_node("retry_later", retry_later)
builder.add_edge(START, "start")
builder.add_edge("start", "risky")
builder.add_edge("start", "steady")
builder.add_edge("risky", END)
builder.add_edge("retry_later", END)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"log": []})
