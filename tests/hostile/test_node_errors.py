"""Exceptions that fight back: an exception whose ``str()`` and ``repr()`` raise, raised by
a node, a reducer or a path function, still fails the run once, naming the node, with the
node's own exception as the run's error and every event (and checkpoint) written.

LangGraph 1.2 raises ``RuntimeError: repr broke`` from its own code for the node case
(the node's exception is lost there); graphstage keeps it."""

from __future__ import annotations

import asyncio
import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, Journal, NodeFailed, SqliteSaver, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class Stubborn(Exception):
    """An exception whose text cannot be had: both ``str()`` and ``repr()`` raise."""

    def __str__(self) -> str:
        raise RuntimeError("str broke")

    def __repr__(self) -> str:
        raise RuntimeError("repr broke")


class StubbornExit(BaseException):
    def __repr__(self) -> str:
        raise RuntimeError("repr broke")


def refuse(old: list[int], new: list[int]) -> list[int]:
    raise Stubborn()


class S(TypedDict, total=False):
    x: int
    log: Annotated[list[int], operator.add]
    refused: Annotated[list[int], refuse]


def raise_stubborn(state: S) -> dict[str, Any]:
    raise Stubborn()


def raise_stubborn_exit(state: S) -> dict[str, Any]:
    raise StubbornExit(Stubborn())


def write_refused(state: S) -> dict[str, Any]:
    return {"refused": [1]}


def one_node(fn: Any) -> StateGraph:
    b = StateGraph(S)
    b.add_node("a", fn)
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b


async def test_a_node_raising_an_exception_whose_str_raises_fails_with_that_exception(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    with journal:
        run = one_node(raise_stubborn).compile().start({"x": 1}, journal=journal)
        result = await asyncio.wait_for(run.result(), 10)
        events = journal.events(run.run_id)
    assert result.status == "failed"
    assert isinstance(result.error, Stubborn)
    assert [e.kind for e in events] == [
        "run_started",
        "transition",
        "node_started",
        "node_failed",
        "run_finished",
    ]
    failed = next(e for e in events if isinstance(e, NodeFailed))
    assert (failed.node, failed.error_type) == ("a", "Stubborn")
    assert failed.error == "<Stubborn: its str() raised RuntimeError: str broke>"
    assert events[-1].error == "Stubborn: <Stubborn: its str() raised RuntimeError: str broke>"


async def test_ainvoke_raises_the_nodes_own_exception_whose_str_raises() -> None:
    with pytest.raises(Stubborn):
        await asyncio.wait_for(one_node(raise_stubborn).compile().ainvoke({"x": 1}), 10)


async def test_a_base_exception_whose_repr_raises_is_named_by_its_type() -> None:
    run = one_node(raise_stubborn_exit).compile().start({"x": 1})
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "failed"
    assert "node 'a' raised StubbornExit(<Stubborn: its repr() raised RuntimeError" in str(
        result.error
    )
    assert isinstance(result.error.__cause__, StubbornExit)


async def test_a_reducer_raising_an_exception_whose_str_raises_names_the_field() -> None:
    run = one_node(write_refused).compile().start({"x": 1})
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "failed"
    assert "the reducer of field 'refused' raised Stubborn: <Stubborn: its str() raised" in str(
        result.error
    )


async def test_a_path_function_raising_an_exception_whose_str_raises_fails_the_run() -> None:
    b = StateGraph(S)
    b.add_node("a", lambda s: {"x": 2})
    b.add_node("b", lambda s: {"x": 3})
    b.add_edge(START, "a")
    b.add_conditional_edges("a", raise_stubborn, ["b", END])
    run = b.compile().start({"x": 1})
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "failed"
    assert isinstance(result.error, Stubborn)
    assert run.event_log[-1].error == (
        "Stubborn: <Stubborn: its str() raised RuntimeError: str broke>"
    )


async def test_a_checkpoint_keeps_the_failed_task_whose_repr_raises(tmp_path: Path) -> None:
    saver = SqliteSaver(str(tmp_path / "c.sqlite3"))
    config = {"configurable": {"thread_id": "t"}}
    with saver:
        graph = one_node(raise_stubborn).compile(checkpointer=saver)
        result = await asyncio.wait_for(graph.start({"x": 1}, config).result(), 10)
        state = graph.get_state(config)
    assert result.status == "failed"
    assert state.next == ("a",)
    (task,) = state.tasks
    assert task.error is not None and "Stubborn" in str(task.error)
