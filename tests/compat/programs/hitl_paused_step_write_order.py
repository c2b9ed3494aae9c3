"""A step that pauses at an interrupt() while its other nodes finish: invoke's result and
get_state show the finished nodes' writes applied in LangGraph's task order (the nodes by
name: cmd, ok, zeta), not in the order the edges name them or the nodes finished; the
resumed step applies every write in that order too."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]


def node(name):
    def run(state):
        return {"log": [name]}

    return run


def asks(state):
    return {"log": [interrupt("approve?")]}


builder = StateGraph(State)
builder.add_node("fan", node("fan"))
builder.add_edge(START, "fan")
for name in ("zeta", "ok", "asks", "cmd"):
    builder.add_node(name, asks if name == "asks" else node(name))
    builder.add_edge("fan", name)
graph = builder.compile(checkpointer=InMemorySaver())


def main():
    config = {"configurable": {"thread_id": "1"}}
    paused = graph.invoke({"log": []}, config)["log"]
    state = graph.get_state(config)
    resumed = graph.invoke(Command(resume="yes"), config)["log"]
    return paused, state.values, state.next, [t.name for t in state.tasks], resumed
