"""Small contracts a mutation test found untested: drawing on_cancel routes, default stop
reasons, the compiled graph's repr, and the de-duplication of the next step a drain
records during a fan-in."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest

from graphstage import END, START, GraphEdge, StateGraph, StopRequested

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


class S(TypedDict, total=False):
    log: list[str]


def with_cleanup() -> Any:
    builder = StateGraph(S)
    builder.add_node("work", lambda s: None, on_cancel="cleanup")
    builder.add_node("cleanup", lambda s: None)
    builder.add_edge(START, "work")
    builder.add_edge("work", END)
    return builder.compile(name="demo")


async def test_an_on_cancel_route_is_drawn_and_in_mermaid() -> None:
    graph = with_cleanup()
    assert GraphEdge("work", "cleanup", "on_cancel") in graph.edges_for_drawing()
    assert [e.kind for e in graph.edges_for_drawing() if e.dst == "cleanup"] == ["on_cancel"]
    lines = graph.draw_mermaid().splitlines()
    assert "    work -. on_cancel .-> cleanup" in lines
    assert "    work --> __end__" in lines


async def test_the_compiled_graph_repr_names_it_and_its_nodes() -> None:
    assert repr(with_cleanup()) == "<CompiledGraph 'demo' nodes=['work', 'cleanup']>"


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("how", "reason"), [("stop", "stop()"), ("drain", "stop()"), ("kill", "kill()")]
)
async def test_a_stop_without_a_reason_is_recorded_as_the_call_that_made_it(
    how: str, reason: str
) -> None:
    entered = asyncio.Event()

    async def work(state: S) -> dict[str, Any]:
        entered.set()
        await asyncio.sleep(0.05)
        return {}

    builder = StateGraph(S)
    builder.add_node("work", work)
    builder.add_edge(START, "work")
    run = builder.compile().start({})
    await asyncio.wait_for(entered.wait(), 5)
    if how == "kill":
        run.kill()
    else:
        run.stop(drain=how == "drain")
    await asyncio.wait_for(run.result(), 5)
    assert [e.reason for e in run.event_log if isinstance(e, StopRequested)] == [reason]


@pytest.mark.timeout(10)
async def test_a_drain_during_a_fan_in_records_the_shared_next_node_once() -> None:
    release = asyncio.Event()

    def source(name: str) -> Any:
        async def node(state: S) -> dict[str, Any]:
            await release.wait()
            return {}

        return node

    builder = StateGraph(S)
    builder.add_node("a", source("a"))
    builder.add_node("b", source("b"))
    builder.add_node("c", lambda s: None)
    builder.add_edge(START, "a")
    builder.add_edge(START, "b")
    builder.add_edge("a", "c")
    builder.add_edge("b", "c")
    run = builder.compile().start({})
    async for event in run.events():
        if event.kind == "node_started" and event.node == "b":
            break
    run.stop(drain=True)
    release.set()
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, result.next) == ("cancelled", ("c",))
    assert run.event_log[-1].next == ("c",)
    assert [e.next for e in run.event_log if e.kind == "state_updated"] == [("c",)]
