"""From LangGraph's test_time_travel.py (test_sequential_interrupts_fork_from_middle,
test_multiple_interrupts_in_one_node): two nodes that each interrupt(), answered in turn;
a fork (update_state) from the checkpoint between them asks only the second question again
and keeps the first answer; a replay from before the first asks the first again and does not
reach the second. A node asking two questions is resumed through the paused checkpoint's
own config (get_state(config).config), and a replay from before it asks the first again."""

import operator
from typing import Annotated

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    value: Annotated[list[str], operator.add]


called = []


def node_a(state: State):
    called.append("node_a")
    return {"value": ["a"]}


def interrupt_1(state: State):
    called.append("interrupt_1")
    answer = interrupt("First question?")
    return {"value": [f"i1:{answer}"]}


def interrupt_2(state: State):
    called.append("interrupt_2")
    answer = interrupt("Second question?")
    return {"value": [f"i2:{answer}"]}


def node_b(state: State):
    called.append("node_b")
    return {"value": ["b"]}


graph = (
    StateGraph(State)
    .add_node("node_a", node_a)
    .add_node("interrupt_1", interrupt_1)
    .add_node("interrupt_2", interrupt_2)
    .add_node("node_b", node_b)
    .add_edge(START, "node_a")
    .add_edge("node_a", "interrupt_1")
    .add_edge("interrupt_1", "interrupt_2")
    .add_edge("interrupt_2", "node_b")
    .compile(checkpointer=InMemorySaver())
)


def multi_interrupt_node(state: State):
    answer1 = interrupt("First question?")
    answer2 = interrupt("Second question?")
    return {"value": [f"a1:{answer1}", f"a2:{answer2}"]}


def after(state: State):
    return {"value": ["done"]}


two_questions = (
    StateGraph(State)
    .add_node("ask", multi_interrupt_node)
    .add_node("after", after)
    .add_edge(START, "ask")
    .add_edge("ask", "after")
    .compile(checkpointer=InMemorySaver())
)


def questions(result):
    return [i.value for i in result.get("__interrupt__", [])]


def main():
    out = []
    config = {"configurable": {"thread_id": "1"}}
    out.append(questions(graph.invoke({"value": []}, config)))
    out.append(questions(graph.invoke(Command(resume="ans1"), config)))
    out.append(graph.invoke(Command(resume="ans2"), config))
    history = list(graph.get_state_history(config))
    between = [s for s in history if s.next == ("interrupt_2",)][-1]
    called.clear()
    fork_config = graph.update_state(between.config, {"value": ["mid_fork"]})
    fork = graph.invoke(None, fork_config)
    out.append((fork["value"], questions(fork), list(called)))
    called.clear()
    out.append((graph.invoke(Command(resume="new_b"), fork_config), list(called)))
    before_i1 = [s for s in history if s.next == ("interrupt_1",)][-1]
    called.clear()
    replay = graph.invoke(None, before_i1.config)
    out.append((replay["value"], questions(replay), list(called)))
    out.append([(s.metadata["source"], s.next) for s in graph.get_state_history(config)])

    config = {"configurable": {"thread_id": "2"}}
    out.append(questions(two_questions.invoke({"value": []}, config)))
    paused = two_questions.get_state(config)
    out.append(questions(two_questions.invoke(Command(resume="ans1"), paused.config)))
    paused = two_questions.get_state(config)
    out.append(two_questions.invoke(Command(resume="ans2"), paused.config))
    history = list(two_questions.get_state_history(config))
    before_ask = [s for s in history if s.next == ("ask",)][-1]
    out.append(questions(two_questions.invoke(None, before_ask.config)))
    return out
