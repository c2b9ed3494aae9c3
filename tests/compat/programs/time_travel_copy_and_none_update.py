"""From LangGraph's test_time_travel.py (test_copy_fork_retriggers_interrupt,
test_copy_fork_creates_sibling_checkpoint, test_update_state_with_none_values): a fork made
with update_state(config, None, as_node="__copy__") from the checkpoint before an interrupting
node asks the question again and is answered anew; a __copy__ checkpoint's source is "fork",
a regular update's is "update", and update_state(config, None) (no values, no as_node) is a
regular update that asks again too."""

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


def ask_human(state: State):
    called.append("ask_human")
    answer = interrupt("What is your input?")
    return {"value": [f"human:{answer}"]}


def node_b(state: State):
    called.append("node_b")
    return {"value": ["b"]}


def build(with_question):
    builder = StateGraph(State).add_node("node_a", node_a).add_node("node_b", node_b)
    builder.add_edge(START, "node_a")
    if with_question:
        builder.add_node("ask_human", ask_human)
        builder.add_edge("node_a", "ask_human").add_edge("ask_human", "node_b")
    else:
        builder.add_edge("node_a", "node_b")
    return builder.compile(checkpointer=InMemorySaver())


def main():
    out = []
    graph = build(True)
    config = {"configurable": {"thread_id": "1"}}
    graph.invoke({"value": []}, config)
    out.append(graph.invoke(Command(resume="hello"), config))
    history = list(graph.get_state_history(config))
    before_ask = [s for s in history if s.next == ("ask_human",)][-1]
    called.clear()
    fork_config = graph.update_state(before_ask.config, None, as_node="__copy__")
    copied = graph.get_state(fork_config)
    out.append((copied.metadata["source"], copied.metadata["step"], copied.next, copied.values))
    out.append(copied.parent_config == before_ask.parent_config)
    fork = graph.invoke(None, fork_config)
    out.append((fork["value"], [i.value for i in fork["__interrupt__"]], list(called)))
    out.append(graph.invoke(Command(resume="new_answer"), fork_config))

    none_config = graph.update_state(before_ask.config, None)
    updated = graph.get_state(none_config)
    out.append((updated.metadata["source"], updated.next, updated.values))
    again = graph.invoke(None, none_config)
    out.append([i.value for i in again["__interrupt__"]])

    plain = build(False)
    config = {"configurable": {"thread_id": "2"}}
    plain.invoke({"value": []}, config)
    before_b = next(s for s in plain.get_state_history(config) if s.next == ("node_b",))
    copy_state = plain.get_state(plain.update_state(before_b.config, None, as_node="__copy__"))
    regular = plain.get_state(plain.update_state(before_b.config, {"value": ["x"]}))
    out.append((copy_state.metadata["source"], copy_state.next, copy_state.values))
    out.append((regular.metadata["source"], regular.next, regular.values))
    out.append([(s.metadata["source"], s.next) for s in plain.get_state_history(config)])
    return out
