"""A step's executions of local nodes share actors: one whose execution answered at once
(its function returned without waiting) takes the next, whatever its node; one that waits
keeps its own, so a stop or a kill reaches each waiting execution alone."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, Command, NodeCancelled, NodeFinished, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

WIDTH = 8


class S(TypedDict):
    log: Annotated[list[str], operator.add]


def half_waiting_join(waiting: list[int]) -> Any:
    """Eight nodes from START into one join: the even ones return at once, the odd ones
    wait until stopped and answer the stop with a Command to ``cleanup``."""

    def node(i: int) -> Any:
        async def run(state: S) -> Any:
            if i % 2 == 0:
                return {"log": [f"done {i}"]}
            waiting.append(i)
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                return Command(goto="cleanup", update={"log": [f"stopped {i}"]})
            return {"log": [f"late {i}"]}

        return run

    b = StateGraph(S)
    names = [f"n{i}" for i in range(WIDTH)]
    for i, name in enumerate(names):
        b.add_node(name, node(i))
        b.add_edge(START, name)
    b.add_node("join", lambda s: {"log": ["join"]})
    b.add_node("cleanup", lambda s: {"log": ["cleanup"]})
    b.add_edge(names, "join")
    b.add_edge("join", END)
    b.add_edge("cleanup", END)
    return b.compile(cancel_grace=5)


async def test_nodes_that_return_at_once_share_one_actor_and_a_join_still_fires(
    wait_until: Any,
) -> None:
    waiting: list[int] = []
    graph = half_waiting_join(waiting)
    run = graph.start({"log": []})
    await wait_until(lambda: len(waiting) == WIDTH // 2)  # (the others have answered)
    actors = run._supervisor._actors  # type: ignore[union-attr]
    waits = {id(actors[f"n{i}"]) for i in range(1, WIDTH, 2)}
    assert len(waits) == WIDTH // 2  # each waiting execution on an actor of its own
    # each quick one handed its actor on to the next node (one that then waited)
    assert {id(a) for a in actors.values()} == waits
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "cancelled"
    told = [e.nodes for e in run.event_log if e.kind == "stop_requested"]
    assert told == [tuple(f"n{i}" for i in range(1, WIDTH, 2))]
    answered = {
        e.node: (e.answered_cancel, e.goto)
        for e in run.event_log
        if isinstance(e, NodeFinished) and e.node != "cleanup"
    }
    assert answered == {
        f"n{i}": (True, ("cleanup",)) if i % 2 else (False, ()) for i in range(WIDTH)
    }
    assert result.state["log"] == [
        f"stopped {i}" if i % 2 else f"done {i}" for i in range(WIDTH)
    ] + ["cleanup"]


async def test_a_kill_reaches_each_waiting_node_among_ones_that_shared_an_actor(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    waiting: list[int] = []
    run = half_waiting_join(waiting).start({"log": []})
    await wait_until(lambda: len(waiting) == WIDTH // 2)
    run.kill()
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "killed"
    killed = sorted(e.node for e in run.event_log if isinstance(e, NodeCancelled))
    assert killed == [f"n{i}" for i in range(1, WIDTH, 2)]


async def test_a_join_over_nodes_that_return_at_once_fires_each_pass() -> None:
    """A loop through a wide join of async nodes that return at once: the join fires once
    per pass, and every execution of the run is started on one actor, handed on."""

    def say(word: str) -> Any:
        async def run(state: S) -> dict[str, list[str]]:
            return {"log": [word]}

        return run

    def node(i: int) -> Any:
        return say(f"n{i}")

    b = StateGraph(S)
    names = [f"n{i}" for i in range(4)]
    for i, name in enumerate(names):
        b.add_node(name, node(i))
        b.add_edge("start", name)
    b.add_node("start", say("start"))
    b.add_node("join", say("join"))
    b.add_edge(START, "start")
    b.add_edge(names, "join")
    b.add_conditional_edges("join", lambda s: "start" if s["log"].count("join") < 3 else END)
    run = b.compile().start({"log": []})
    supervisor = run._supervisor  # (a settled run lets go of it)
    result = await run.result()
    assert result.status == "completed"
    assert result.state["log"] == ["start", "n0", "n1", "n2", "n3", "join"] * 3
    # the four sources ran on one actor, handed on each pass
    actors = supervisor._actors  # type: ignore[union-attr]
    assert len({id(actors[name]) for name in names}) == 1


async def test_a_node_alone_after_its_actor_was_handed_on_runs_its_own_function() -> None:
    """``a``'s actor runs ``b`` and ``c`` after it in the wide step; when ``a`` runs alone
    in a later step, it is ``a`` that runs."""

    def say(word: str) -> Any:
        async def run(state: S) -> dict[str, list[str]]:
            return {"log": [word]}

        return run

    b = StateGraph(S)
    for name in "abc":
        b.add_node(name, say(name))
        b.add_edge(START, name)
    b.add_node("join", say("join"))
    b.add_edge(["a", "b", "c"], "join")
    b.add_conditional_edges("join", lambda s: "a" if s["log"].count("join") < 2 else END)
    result = await b.compile().ainvoke({"log": []})
    assert result["log"] == ["a", "b", "c", "join", "a"]
