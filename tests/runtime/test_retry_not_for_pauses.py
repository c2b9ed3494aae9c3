"""A retry policy never retries a pause (interrupt()) or a hand-off to the parent graph
(Command(graph=Command.PARENT) from a subgraph), even when it retries every Exception, as
LangGraph's: they are not failures, and a retried interrupt() would ask under another id."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from graphstage import START, Command, RetryPolicy, StateGraph
from graphstage.checkpoint.memory import InMemorySaver
from graphstage.types import interrupt


class State(TypedDict, total=False):
    answer: str
    log: str


EVERYTHING = RetryPolicy(initial_interval=0, jitter=False, retry_on=Exception)


def test_an_interrupt_is_asked_once_and_answered() -> None:
    calls: list[str] = []

    def ask(state: State) -> dict[str, Any]:
        calls.append("ask")
        return {"answer": interrupt("sure?")}

    builder = StateGraph(State).add_node("ask", ask, retry_policy=EVERYTHING)
    graph = builder.add_edge(START, "ask").compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    asked = graph.invoke({}, config)
    assert [i.value for i in asked["__interrupt__"]] == ["sure?"]
    assert calls == ["ask"]
    assert graph.invoke(Command(resume="yes"), config) == {"answer": "yes"}
    assert calls == ["ask", "ask"]


def test_a_hand_off_to_the_parent_is_not_retried() -> None:
    calls: list[str] = []

    def hand_off(state: State) -> Command:
        calls.append("hand_off")
        return Command(graph=Command.PARENT, goto="done", update={"log": "from child"})

    child = StateGraph(State).add_node("hand_off", hand_off, retry_policy=EVERYTHING)
    child = child.add_edge(START, "hand_off")
    parent = StateGraph(State).add_node("child", child.compile(), retry_policy=EVERYTHING)
    parent.add_node("done", lambda s: {"log": s["log"] + ", done"})
    graph = parent.add_edge(START, "child").compile()
    assert graph.invoke({}) == {"log": "from child, done"}
    assert calls == ["hand_off"]
