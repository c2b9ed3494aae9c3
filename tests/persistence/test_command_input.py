"""A Command as a run's input on a thread, beyond resume=: goto= adds nodes to the pending
step, update= is kept with a step that pauses again until it completes, an empty Command
and a goto to no node are refused before anything runs."""

from __future__ import annotations

import operator
from typing import Annotated

import pytest
from typing_extensions import TypedDict

from graphstage import START, StateGraph
from graphstage.checkpoint.memory import InMemorySaver
from graphstage.errors import EmptyInputError, ParentCommand, ResumeError
from graphstage.types import Command, interrupt


class State(TypedDict):
    log: Annotated[list[str], operator.add]


def ask(state: State) -> dict[str, list[str]]:
    first = interrupt("first?")
    second = interrupt("second?")
    return {"log": [f"{first}{second}"]}


CALLS: list[str] = []


def extra(state: State) -> dict[str, list[str]]:
    CALLS.append("extra")
    return {"log": ["x"]}


def graph():  # type: ignore[no-untyped-def]
    builder = StateGraph(State).add_node("ask", ask).add_node("extra", extra)
    return builder.add_edge(START, "ask").compile(checkpointer=InMemorySaver())


def test_refused_commands_run_nothing() -> None:
    g = graph()
    config = {"configurable": {"thread_id": "t"}}
    g.invoke({"log": []}, config)
    before = list(g.get_state_history(config))
    with pytest.raises(EmptyInputError, match="Received empty Command input"):
        g.invoke(Command(), config)
    with pytest.raises(ResumeError, match="has no node 'ghost'"):
        g.invoke(Command(goto="ghost"), config)
    assert list(g.get_state_history(config)) == before


def test_goto_and_updates_are_kept_until_the_step_completes() -> None:
    g = graph()
    config = {"configurable": {"thread_id": "t"}}
    g.invoke({"log": []}, config)
    CALLS.clear()
    paused = g.invoke(Command(resume="a", update={"log": ["u1"]}, goto="extra"), config)
    assert paused["log"] == ["u1", "x"]
    assert [i.value for i in paused["__interrupt__"]] == ["second?"]
    pending = g.checkpointer.get_tuple(config).pending_writes  # type: ignore[union-attr]
    assert ("00000000-0000-0000-0000-000000000000", "log", ["u1"]) in pending
    # as LangGraph: the goto's task finished in the paused step is not run again, its
    # write is applied when the step completes, in task order
    assert g.get_state(config).next == ("ask",)
    assert g.invoke(Command(resume="b"), config) == {"log": ["u1", "ab", "x"]}
    assert CALLS == ["extra"]


def test_parent_command_carries_the_command() -> None:
    builder = StateGraph(State).add_node("n", lambda s: Command(graph=Command.PARENT, goto="x"))
    with pytest.raises(ParentCommand) as caught:
        builder.add_edge(START, "n").compile().invoke({"log": []})
    assert caught.value.args[0].goto == "x"
    assert "addresses the parent graph" in str(caught.value)
