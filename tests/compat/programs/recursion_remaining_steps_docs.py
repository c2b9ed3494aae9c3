"""The graph API how-to, impose a recursion limit: a loop a -> b -> a whose route reads
remaining_steps (RemainingSteps, imported from langgraph.managed.is_last_step) and ends
before recursion_limit=4 instead of raising; without it the same loop raises
GraphRecursionError."""

import operator
from typing import Annotated, Literal

from langgraph.errors import GraphRecursionError
from langgraph.graph import END, START, StateGraph
from langgraph.managed.is_last_step import RemainingSteps
from typing_extensions import TypedDict

SEEN = []


class State(TypedDict):
    aggregate: Annotated[list, operator.add]
    remaining_steps: RemainingSteps


def a(state: State):
    SEEN.append(f"Node A sees {state['aggregate']}")
    return {"aggregate": ["A"]}


def b(state: State):
    SEEN.append(f"Node B sees {state['aggregate']}")
    return {"aggregate": ["B"]}


# Define nodes
builder = StateGraph(State)
builder.add_node(a)
builder.add_node(b)


# Define edges
def route(state: State) -> Literal["b", END]:
    if state["remaining_steps"] <= 2:
        return END
    else:
        return "b"


builder.add_edge(START, "a")
builder.add_conditional_edges("a", route)
builder.add_edge("b", "a")
graph = builder.compile()


def endless(state: State) -> Literal["b"]:
    return "b"


looping = StateGraph(State)
looping.add_node(a)
looping.add_node(b)
looping.add_edge(START, "a")
looping.add_conditional_edges("a", endless)
looping.add_edge("b", "a")
loop_graph = looping.compile()


def main():
    # Test it out
    out = [graph.invoke({"aggregate": []}, {"recursion_limit": 4}), list(SEEN)]
    try:
        loop_graph.invoke({"aggregate": []}, {"recursion_limit": 4})
    except GraphRecursionError:
        out.append("Recursion Error")
    out.append(SEEN)
    return out
