"""Time travel: replay from a past checkpoint (only what follows it runs again), and
update_state on a past checkpoint forks the thread (LangGraph's how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict

CALLS = []


class State(TypedDict):
    log: Annotated[list, operator.add]
    count: int


def first(state):
    CALLS.append("first")
    return {"log": ["first"]}


def second(state):
    CALLS.append("second")
    return {"log": [f"second({state['count']})"]}


builder = StateGraph(State)
builder.add_node("first", first)
builder.add_node("second", second)
builder.add_edge(START, "first")
builder.add_edge("first", "second")
graph = builder.compile(checkpointer=InMemorySaver())


def main():
    config = {"configurable": {"thread_id": "tt"}}
    out = [graph.invoke({"log": [], "count": 1}, config)]
    history = list(graph.get_state_history(config))
    before_second = next(s for s in history if s.next == ("second",))
    out.append((before_second.values, before_second.metadata["step"]))
    out.append(graph.invoke(None, before_second.config))
    forked = graph.update_state(before_second.config, {"count": 5})
    out.append(graph.get_state(forked).next)
    out.append(graph.invoke(None, forked))
    out.append(CALLS)
    out.append(graph.get_state(config).values)
    out.append([s.metadata["source"] for s in graph.get_state_history(config)])
    return out
