"""A settled run lets go of its supervisor, node actors, mailboxes and tasks: a kept ``Run``
holds its events and its result, nothing else of the run."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
from typing import Any, TypedDict

import pytest

from graphstage import END, START, StateGraph

pytestmark = pytest.mark.anyio


class Count(TypedDict):
    n: int


async def bump(state: Count) -> dict[str, int]:
    return {"n": state["n"] + 1}


@pytest.mark.parametrize("stop", [False, True])
async def test_a_settled_run_releases_its_supervisor_and_actors(stop: bool) -> None:
    builder = StateGraph(Count)
    for i in range(3):
        builder.add_node(f"n{i}", bump)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge("n2", END)
    run = builder.compile().start({"n": 0})
    supervisor = weakref.ref(run._supervisor)  # type: ignore[arg-type]
    actors: list[Any] = []

    def sink(event: Any) -> None:  # called as each event is published (nodes may run eagerly)
        if event.kind == "node_started" and stop:
            run.stop()
        if event.kind in ("node_finished", "node_cancelled"):  # (its actor exists by then)
            actors.append(weakref.ref(supervisor()._actors[event.node]))  # type: ignore[union-attr]

    run._supervisor._sinks.append(sink)  # type: ignore[union-attr]
    result = await run.result()
    assert result.status == ("cancelled" if stop else "completed")
    gc.collect()
    assert supervisor() is None
    assert actors and all(actor() is None for actor in actors)
    assert len(run.event_log) > 3 and run.status == result.status  # what it keeps


@pytest.mark.timeout(60)
async def test_a_stop_from_another_thread_reaches_a_loop_of_nodes_that_never_await() -> None:
    """Nodes that return without awaiting may run eagerly, one after another, on the
    supervisor's stack (every Python); the run still lets the loop run, so a stop sent
    from another thread arrives and the run ends cancelled, not at its recursion limit."""
    reached = threading.Event()

    async def spin(state: Count) -> dict[str, int]:
        if state["n"] == 100:
            reached.set()
        return {"n": state["n"] + 1}

    builder = StateGraph(Count)
    builder.add_node("spin", spin)
    builder.add_edge(START, "spin")
    builder.add_conditional_edges("spin", lambda state: "spin")
    run = builder.compile().start({"n": 0}, {"recursion_limit": 10_000_000})
    stopper = threading.Thread(target=lambda: reached.wait(30) and run.stop())
    stopper.start()
    result = await asyncio.wait_for(run.result(), 50)
    stopper.join()
    assert result.status == "cancelled"
    assert 100 < result.state["n"] < 10_000_000
