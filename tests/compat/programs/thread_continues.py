"""Threads: a second invoke on a thread starts from its state (reducers fold the new
input in), another thread starts afresh; invoke(None) at the end runs nothing."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    messages: Annotated[list, operator.add]
    turns: int


def reply(state):
    return {"messages": [f"echo:{state['messages'][-1]}"], "turns": state.get("turns", 0) + 1}


builder = StateGraph(State)
builder.add_node("reply", reply)
builder.add_edge(START, "reply")
graph = builder.compile(checkpointer=InMemorySaver())


async def main():
    one = {"configurable": {"thread_id": "one"}}
    two = {"configurable": {"thread_id": "two"}}
    out = [await graph.ainvoke({"messages": ["hi"]}, one)]
    out.append(await graph.ainvoke({"messages": ["again"]}, one))
    out.append(await graph.ainvoke({"messages": ["other"]}, two))
    out.append(await graph.ainvoke(None, one))
    history = [s async for s in graph.aget_state_history(one)]
    out.append([(s.metadata["step"], s.metadata["source"], s.next) for s in history])
    return out
