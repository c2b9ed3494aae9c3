"""A dataclass state: nodes get an instance; invoke returns a dict of the keys with values."""

import operator
from dataclasses import dataclass, field
from typing import Annotated

from langgraph.graph import START, StateGraph


@dataclass
class State:
    name: str
    greeting: str = ""
    log: Annotated[list[str], operator.add] = field(default_factory=list)


def greet(state: State):
    return {"greeting": f"hello {state.name}", "log": [type(state).__name__]}


def shout(state: State):
    return {"greeting": state.greeting.upper(), "log": ["shout"]}


builder = StateGraph(State)
builder.add_node("greet", greet)
builder.add_node("shout", shout)
builder.add_edge(START, "greet")
builder.add_edge("greet", "shout")
graph = builder.compile()


async def main():
    return await graph.ainvoke({"name": "ada"})
