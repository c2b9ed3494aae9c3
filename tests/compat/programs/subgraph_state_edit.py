"""A subgraph's own state: a breakpoint inside it (interrupt_before at its compile) pauses
the parent in that node; get_state_history and update_state on the config in
tasks[i].state read and edit the subgraph's checkpoints; invoke(None) goes on from the
edit (LangGraph's "view and update state in subgraphs" how-to)."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    log: Annotated[list, operator.add]
    city: str


def weather(state):
    return {"log": [f"weather in {state['city']}"]}


child = StateGraph(State)
child.add_node("route", lambda state: {"log": ["routed"], "city": state["city"].title()})
child.add_node("weather", weather)
child.add_edge(START, "route")
child.add_edge("route", "weather")

parent = StateGraph(State)
parent.add_node("agent", child.compile(interrupt_before=["weather"]))
parent.add_node("reply", lambda state: {"log": ["replied"]})
parent.add_edge(START, "agent")
parent.add_edge("agent", "reply")
graph = parent.compile(checkpointer=InMemorySaver())


def ask(state):
    return {"log": [f"answer {interrupt('which city?')}"]}


asking = StateGraph(State)
asking.add_node("ask", ask)
asking.add_node("after", lambda state: {"log": ["after"]})
asking.add_edge(START, "ask")
asking.add_edge("ask", "after")
outer = StateGraph(State)
outer.add_node("sub", asking.compile())
outer.add_edge(START, "sub")
edited = outer.compile(checkpointer=InMemorySaver())


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    out.append(graph.invoke({"log": [], "city": "paris"}, config))
    state = graph.get_state(config, subgraphs=True)
    out.append((state.next, state.interrupts, state.tasks[0].name))
    sub = state.tasks[0].state
    out.append((sub.values, sub.next))
    out.append(
        [
            (h.values, h.next, h.metadata["source"], h.metadata["step"])
            for h in graph.get_state_history(sub.config)
        ]
    )
    graph.update_state(sub.config, {"city": "Lyon"})
    sub = graph.get_state(config, subgraphs=True).tasks[0].state
    out.append((sub.values, sub.next, sub.metadata["source"]))
    out.append(graph.get_state(config).next)
    out.append(graph.invoke(None, config))
    out.append(graph.get_state(config).next)

    config = {"configurable": {"thread_id": "2"}}
    edited.invoke({"log": [], "city": "x"}, config)
    sub_config = edited.get_state(config).tasks[0].state
    edited.update_state(sub_config, {"log": ["as ask"]}, as_node="ask")
    sub = edited.get_state(config, subgraphs=True).tasks[0].state
    out.append((sub.values, sub.next))
    out.append(edited.invoke(None, config))
    return out
