"""Command(resume=..., update=...) on a node that asks three questions (the human-in-the-loop
page's "resume with an update", as LangGraph's test_interrupt_multiple gives it with update=):
each update is kept with the paused step until it completes (LangGraph's null writes), so
get_state shows every update given so far, the next continuation applies them again, and the
history shows them on the checkpoint the step started from."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    k: Annotated[str, operator.add]
    note: str


def node(state: State):
    a = interrupt("first?")
    b = interrupt("second?")
    c = interrupt("third?")
    return {"k": f"{a}{b}{c}"}


graph = (
    StateGraph(State)
    .add_node("node", node)
    .add_edge(START, "node")
    .compile(checkpointer=InMemorySaver())
)


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [graph.invoke({"k": "x"}, config)]
    out.append(graph.invoke(Command(resume="a", update={"k": "U", "note": "n1"}), config))
    state = graph.get_state(config)
    out.append((state.values, state.next, len(list(graph.get_state_history(config)))))
    out.append(graph.invoke(Command(resume="b", update={"k": "V"}), config))
    out.append(graph.get_state(config).values)
    out.append(graph.invoke(Command(resume="c"), config))
    out.append([(h.metadata["source"], h.values) for h in graph.get_state_history(config)])
    return out
