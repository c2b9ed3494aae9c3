"""A dataclass state with a RemainingSteps field and a node returning the dataclass itself."""

import operator
from dataclasses import dataclass, field
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.managed import RemainingSteps


@dataclass
class State:
    topic: str
    remaining_steps: RemainingSteps = 25
    notes: Annotated[list[str], operator.add] = field(default_factory=list)


def research(state: State):
    return {"notes": [f"{state.topic}:{state.remaining_steps}"]}


def route(state: State):
    return END if state.remaining_steps < 7 else "research"


builder = StateGraph(State)
builder.add_node(research)
builder.add_edge(START, "research")
builder.add_conditional_edges("research", route)
graph = builder.compile()


async def main():
    return await graph.ainvoke({"topic": "owls"}, {"recursion_limit": 9})
