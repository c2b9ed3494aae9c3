"""IsLastStep becomes true on the last step the recursion limit allows."""

import operator
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.managed import IsLastStep
from typing_extensions import TypedDict


class State(TypedDict):
    is_last_step: IsLastStep
    seen: Annotated[list[bool], operator.add]


def agent(state: State):
    return {"seen": [state["is_last_step"]]}


builder = StateGraph(State)
builder.add_node("agent", agent)
builder.add_edge(START, "agent")
builder.add_conditional_edges("agent", lambda s: END if s["is_last_step"] else "agent")
graph = builder.compile()


async def main():
    return await graph.ainvoke({}, {"recursion_limit": 4})
