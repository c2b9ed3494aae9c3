"""Closing an ``astream`` early stops the run gracefully and waits for it to settle."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, TypedDict

import pytest

from graphstage import START, Command, StateGraph


class S(TypedDict, total=False):
    log: list[str]


def story(ran: list[str], cleanup_hangs: bool = False, grace: float = 5.0) -> Any:
    async def work(state: S, writer: Any) -> Any:
        try:
            for i in range(1000):
                writer(i)
                await asyncio.sleep(0.005)
        except asyncio.CancelledError:
            ran.append("work saw the stop")
            return Command(goto="cleanup")
        return {}

    async def cleanup(state: S) -> Any:
        if cleanup_hangs:
            await asyncio.Event().wait()
        await asyncio.sleep(0)
        ran.append("cleanup")
        return {}

    builder = StateGraph(S)
    builder.add_node("work", work)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "work")
    return builder.compile(cancel_grace=grace, kill_timeout=0.5)


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_aclose_after_break_runs_cleanup_before_it_returns() -> None:
    ran: list[str] = []
    graph = story(ran)
    async with contextlib.aclosing(graph.astream({}, stream_mode="custom")) as stream:
        async for chunk in stream:
            if chunk == 2:
                break
    assert ran == ["work saw the stop", "cleanup"]


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_aclose_waits_no_longer_than_the_grace_then_kills() -> None:
    ran: list[str] = []
    graph = story(ran, cleanup_hangs=True, grace=0.2)
    stream = graph.astream({}, stream_mode="events")
    events: list[Any] = []
    async for event in stream:
        events.append(event)
        if event.kind == "custom_output":
            break
    await asyncio.wait_for(stream.aclose(), 5)
    assert ran == ["work saw the stop"]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("how", ["return", "del"])
def test_breaking_out_and_returning_from_asyncio_run_still_runs_cleanup(how: str) -> None:
    ran: list[str] = []
    graph = story(ran)

    async def main() -> None:
        stream = graph.astream({}, stream_mode="custom")
        async for chunk in stream:
            if chunk == 2:
                break
        if how == "del":
            del stream  # finalised by the loop's async-generator hook
        # returning now: asyncio.run cancels every task left and closes the generators

    asyncio.run(main())
    assert ran == ["work saw the stop", "cleanup"]
