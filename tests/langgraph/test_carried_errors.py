"""A LangGraph app carried over keeps catching LangGraph's errors: a run's failure is an
instance of LangGraph's error type and of graphstage's, with LangGraph's fields, compared
with what LangGraph itself raises for the same graph."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip("langgraph.errors", reason="needs pip install -e '.[bench]'")

from langgraph import errors as lg_errors
from langgraph.func import entrypoint
from langgraph.graph import START, StateGraph
from langgraph.types import Send

from graphstage import StateGraph as GraphstageGraph
from graphstage import errors as gs_errors
from graphstage.langgraph import from_langgraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    n: int
    items: Annotated[list[int], operator.add]


async def count(state: State) -> dict[str, int]:
    return {"n": state["n"] + 1}


async def slow(state: State) -> dict[str, int]:
    await asyncio.sleep(5)
    return {"n": 1}


def looping() -> Any:
    builder = StateGraph(State)
    builder.add_node("count", count)
    builder.add_edge(START, "count")
    builder.add_edge("count", "count")
    return builder.compile()


def timed() -> Any:
    builder = StateGraph(State)
    builder.add_node("slow", slow, timeout=0.05)
    builder.add_edge(START, "slow")
    return builder.compile()


def writes_twice() -> Any:
    builder = StateGraph(State)
    builder.add_node("set_n", lambda state: {"n": state["n"]})
    builder.add_conditional_edges(START, lambda state: [Send("set_n", state), Send("set_n", state)])
    return builder.compile()


async def raised(graph: Any, config: dict[str, Any] | None = None) -> BaseException:
    with pytest.raises(Exception) as caught:
        await graph.ainvoke({"n": 0, "items": []}, config)
    return caught.value


@pytest.mark.parametrize(
    ("build", "name", "config"),
    [
        (looping, "GraphRecursionError", {"recursion_limit": 4}),
        (timed, "NodeTimeoutError", None),
        (writes_twice, "InvalidUpdateError", None),
    ],
)
async def test_a_runs_failure_is_langgraphs_error_and_graphstages(
    build: Any, name: str, config: dict[str, Any] | None
) -> None:
    theirs = await raised(build(), config)
    ours = await raised(from_langgraph(build()), config)
    assert type(theirs) is getattr(lg_errors, name)
    assert isinstance(ours, getattr(lg_errors, name))
    assert isinstance(ours, getattr(gs_errors, name))
    assert type(ours).__name__ == name
    if name == "GraphRecursionError":
        assert str(ours) == str(theirs)


async def test_a_carried_timeout_has_langgraphs_fields() -> None:
    theirs = await raised(timed())
    ours = await raised(from_langgraph(timed()))
    assert isinstance(ours, lg_errors.NodeTimeoutError)
    for field in ("node", "timeout", "run_timeout", "idle_timeout", "kind"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert 0.05 <= ours.elapsed < 5  # type: ignore[attr-defined]
    assert str(ours).split(" (elapsed")[0] == str(theirs).split(" (elapsed")[0]


def test_the_sync_invoke_raises_it_too() -> None:
    with pytest.raises(lg_errors.GraphRecursionError, match="Recursion limit of 3 reached"):
        from_langgraph(looping()).invoke({"n": 0, "items": []}, {"recursion_limit": 3})


async def test_a_carried_entrypoints_failure_is_langgraphs_error() -> None:
    @entrypoint()
    async def work(n: int) -> int:
        raise asyncio.CancelledError  # its own, no stop asked: a failure on both engines

    with pytest.raises(lg_errors.NodeCancelledError) as theirs:
        await work.ainvoke(1)
    with pytest.raises(lg_errors.NodeCancelledError) as ours:
        await from_langgraph(work).ainvoke(1)
    assert isinstance(ours.value, gs_errors.NodeCancelledError)
    assert ours.value.node == theirs.value.node == "work"


async def test_a_graphstage_graphs_errors_stay_graphstages_own() -> None:
    builder = GraphstageGraph(State)
    builder.add_node("count", count)
    builder.add_edge(START, "count")
    builder.add_edge("count", "count")
    error = await raised(builder.compile(), {"recursion_limit": 4})
    assert type(error) is gs_errors.GraphRecursionError
    assert not isinstance(error, lg_errors.GraphRecursionError)
