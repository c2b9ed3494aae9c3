"""interrupt() inside a graph that a node invokes itself pauses the whole run; on
Command(resume=...) the node runs again from its first line, and the graph it invokes
continues from its own checkpoint (its finished nodes are not run again). A node that
invokes two graphs, then asks a question of its own, is answered in that order
(LangGraph's subgraphs and human-in-the-loop how-tos)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

RAN = []


class State(TypedDict):
    log: Annotated[list, operator.add]


def make_child(name):
    def prepare(state):
        RAN.append(f"{name}.prepare")
        return {"log": [f"{name} prepared"]}

    def ask(state):
        RAN.append(f"{name}.ask")
        return {"log": [f"{name} answer {interrupt(f'{name}?')}"]}

    child = StateGraph(State)
    child.add_node("prepare", prepare)
    child.add_node("ask", ask)
    child.add_edge(START, "prepare")
    child.add_edge("prepare", "ask")
    return child.compile()


first_child = make_child("one")
second_child = make_child("two")


def outer(state):
    RAN.append("outer starts")
    one = first_child.invoke({"log": []})
    two = second_child.invoke({"log": []})
    confirm = interrupt("confirm?")
    RAN.append("outer ends")
    return {"log": one["log"] + two["log"] + [f"confirm {confirm}"]}


async def aouter(state):
    RAN.append("aouter starts")
    one = await first_child.ainvoke({"log": ["from aouter"]})
    return {"log": one["log"]}


builder = StateGraph(State)
builder.add_node("outer", outer)
builder.add_node("aouter", aouter)
builder.add_edge(START, "outer")
builder.add_edge("outer", "aouter")
graph = builder.compile(checkpointer=InMemorySaver())


def plain(value):
    """Interrupts as ("interrupt", value): their ids differ by design."""
    if type(value).__name__ == "Interrupt":
        return ("interrupt", plain(value.value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


async def main():
    config = {"configurable": {"thread_id": "1"}}
    out = [await graph.ainvoke({"log": []}, config), list(RAN)]
    for answer in ("a", "b", "c", "d"):
        RAN.clear()
        out.append(await graph.ainvoke(Command(resume=answer), config))
        state = await graph.aget_state(config)
        out.append((list(RAN), state.next, [t.name for t in state.tasks]))
        out.append([t.state is not None for t in state.tasks])
    return plain(out)
