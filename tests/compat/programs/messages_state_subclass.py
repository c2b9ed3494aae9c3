"""A MessagesState subclass with an extra key and a counter reducer across a loop."""

import operator
from typing import Annotated

from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph


class State(MessagesState):
    turns: Annotated[int, operator.add]
    summary: str


def talk(state: State):
    return {"messages": [AIMessage(f"turn {state['turns']}")], "turns": 1}


def summarise(state: State):
    return {"summary": " / ".join(m.content for m in state["messages"])}


builder = StateGraph(State)
builder.add_node("talk", talk)
builder.add_node("summarise", summarise)
builder.add_edge(START, "talk")
builder.add_conditional_edges("talk", lambda s: "talk" if s["turns"] < 3 else "summarise")
builder.add_edge("summarise", END)
graph = builder.compile()


async def main():
    out = await graph.ainvoke({"messages": [("user", "start")]})
    return out["turns"], out["summary"], len(out["messages"])
