"""``add_node(..., timeout=...)``: LangGraph's NodeTimeoutError, retries and error handlers,
and where graphstage differs on purpose: the timeout is a cancellation of the node, so a node
that answers it is routed by its answer, and one with an ``on_cancel`` route takes it."""

from __future__ import annotations

import asyncio
import operator
from datetime import timedelta
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import START, Command, GraphError, NodeFailed, StateGraph, Transition
from graphstage.errors import NodeTimeoutError
from graphstage.types import TimeoutPolicy

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict):
    log: Annotated[list[str], operator.add]


async def slow(state: S) -> dict[str, Any]:
    await asyncio.sleep(30)
    return {"log": ["slow"]}


def graph(node: Any = slow, **options: Any) -> Any:
    b = StateGraph(S)
    b.add_node("slow", node, **options)
    b.add_node("cleanup", lambda s: {"log": ["cleanup"]})
    return b.add_edge(START, "slow").compile()


@pytest.mark.parametrize(
    "limit", [0.02, timedelta(milliseconds=20), TimeoutPolicy(run_timeout=0.02)]
)
async def test_an_attempt_past_its_timeout_fails_with_node_timeout_error(limit: Any) -> None:
    with pytest.raises(NodeTimeoutError, match=r"Node 'slow' exceeded its run timeout of 0\.020s"):
        await graph(timeout=limit).ainvoke({"log": []})


async def test_a_node_that_answers_the_timeout_is_routed_by_its_answer() -> None:
    async def answers(state: S) -> Any:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update={"log": ["timed out"]})
        return {}

    run = graph(answers, timeout=0.02).start({"log": []})
    result = await run.result()
    assert (result.status, result.state["log"]) == ("completed", ["timed out", "cleanup"])


async def test_an_unanswered_timeout_takes_the_nodes_on_cancel_route() -> None:
    run = graph(timeout=0.02, on_cancel="cleanup").start({"log": []})
    result = await run.result()
    assert (result.status, result.state["log"], result.error) == ("completed", ["cleanup"], None)
    failed = [e.error_type for e in run.event_log if isinstance(e, NodeFailed)]
    assert failed == ["NodeTimeoutError"]
    moves = [(e.src, e.dst, e.reason) for e in run.event_log if isinstance(e, Transition)]
    assert ("slow", "cleanup", "cancel_route") in moves


def test_an_idle_timeout_and_a_bad_timeout_are_refused_by_name() -> None:
    with pytest.raises(GraphError, match="no idle timeouts"):
        graph(timeout=TimeoutPolicy(idle_timeout=1.0))
    with pytest.raises(GraphError, match=r"timeout=-1\): a positive number of seconds"):
        graph(timeout=-1)
