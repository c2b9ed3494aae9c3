"""The parent's stream when a subgraph pauses: an interrupt() inside one shows its question
under "__interrupt__", a breakpoint inside another (interrupt_after at its compile) an
empty "__interrupt__"; answering and then continuing with None finish both subgraphs
(LangGraph's streaming and breakpoints how-tos)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


asking = StateGraph(State)
asking.add_node("ask", lambda state: {"log": [interrupt("q")]})
asking.add_edge(START, "ask")

stepping = StateGraph(State)
stepping.add_node("x", lambda state: {"log": ["x"]})
stepping.add_node("y", lambda state: {"log": ["y"]})
stepping.add_edge(START, "x")
stepping.add_edge("x", "y")

parent = StateGraph(State)
parent.add_node("first", lambda state: {"log": ["f"]})
parent.add_node("sub", asking.compile())
parent.add_node("sub2", stepping.compile(interrupt_after=["x"]))
parent.add_edge(START, "first")
parent.add_edge("first", "sub")
parent.add_edge("sub", "sub2")
graph = parent.compile(checkpointer=InMemorySaver())


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def main():
    out = []
    for thread, mode in (("1", "updates"), ("2", ["updates", "values"])):
        config = {"configurable": {"thread_id": thread}}
        out.append(list(graph.stream({"log": []}, config, stream_mode=mode)))
        out.append(list(graph.stream(Command(resume="A"), config, stream_mode=mode)))
        state = graph.get_state(config)
        out.append((state.next, state.interrupts))
        out.append(list(graph.stream(None, config, stream_mode=mode)))
    return plain(out)
