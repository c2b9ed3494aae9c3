"""A subgraph's ``Command(graph=Command.PARENT, goto=..., update=...)``: the parent applies
the update and goes where it says, for a compiled graph as a node and for a graph invoked
inside a node; final states compared with LangGraph's for the same program. Under a drain
the hand-off is a finished answer, not an answer to the stop: its goto waits in ``next``."""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

import graphstage
from graphstage import Command

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

lg = pytest.importorskip("langgraph.graph")
lg_types = pytest.importorskip("langgraph.types")


class S(TypedDict, total=False):
    log: Annotated[list[str], operator.add]
    x: int


def subgraph_node(lib: Any, command: Any) -> Any:
    """parent: first -> sub -> after; sub: prep -> decide, which hands ``a`` and ``b`` (and
    an update) to the parent. ``prep``'s own update stays inside the subgraph."""

    def decide(state: S) -> Any:
        return command(
            graph=command.PARENT,
            goto=["a", "b"],
            update={"log": [f"handed back x={state['x']}"], "x": 7},
        )

    c = lib.StateGraph(S)
    c.add_node("prep", lambda s: {"log": ["prep"], "x": 5})
    c.add_node("decide", decide)
    c.add_node("never", lambda s: {"log": ["never"]})
    c.add_edge(lib.START, "prep")
    c.add_edge("prep", "decide")
    c.add_edge("decide", "never")
    p = lib.StateGraph(S)
    p.add_node("first", lambda s: {"log": ["first"], "x": 1})
    p.add_node("sub", c.compile())
    for name in ("a", "b", "after"):
        p.add_node(name, lambda s, name=name: {"log": [f"{name} x={s['x']}"]})
    p.add_edge(lib.START, "first")
    p.add_edge("first", "sub")
    p.add_edge("sub", "after")  # a static edge still runs beside the Command's goto
    return p.compile()


async def test_a_subgraph_nodes_hand_off_goes_where_it_says_as_langgraph() -> None:
    expected = await subgraph_node(lg, lg_types.Command).ainvoke({"log": []})
    result = await subgraph_node(graphstage, Command).start({"log": []}).result()
    assert result.status == "completed"
    assert result.state == expected
    # only the Command's update reaches the parent (prep's log and x stayed inside)
    assert expected == {"log": ["first", "handed back x=5", "a x=7", "after x=7", "b x=7"], "x": 7}
    # a, b and after ran in one step (the path lists them as they finished)
    assert result.path[:2] == ("first", "sub") and sorted(result.path[2:]) == ["a", "after", "b"]


def invoking(lib: Any, command: Any, gate: asyncio.Event | None = None) -> Any:
    """``outer`` awaits a graph whose node hands ``other`` (and an update) to this graph."""

    async def decide(state: S) -> Any:
        ENTERED.append("decide")
        if gate is not None:
            await gate.wait()
        return command(graph=command.PARENT, goto="other", update={"log": ["handed back"]})

    c = lib.StateGraph(S)
    c.add_node("decide", decide)
    c.add_edge(lib.START, "decide")
    child = c.compile()

    async def outer(state: S) -> Any:
        await child.ainvoke({"x": 0})
        return {"log": ["outer ended normally"]}  # never: the hand-off replaces the answer

    p = lib.StateGraph(S)
    p.add_node("outer", outer)
    p.add_node("other", lambda s: {"log": ["other"]})
    p.add_edge(lib.START, "outer")
    return p.compile()


ENTERED: list[str] = []


async def test_a_graph_invoked_inside_a_node_hands_off_as_langgraph() -> None:
    expected = await invoking(lg, lg_types.Command).ainvoke({"log": []})
    result = await invoking(graphstage, Command).start({"log": []}).result()
    assert result.status == "completed"
    assert result.state == expected == {"log": ["handed back", "other"]}
    assert result.path == ("outer", "other")


async def test_a_hand_off_under_a_drain_is_applied_and_its_goto_waits_in_next(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    gate = asyncio.Event()
    ENTERED.clear()
    run = invoking(graphstage, Command, gate).start({"log": []})
    await wait_until(lambda: ENTERED == ["decide"])
    run.stop(drain=True)  # the node finishes; its hand-off did not answer the stop
    gate.set()
    result = await run.result()
    assert result.status == "cancelled"
    assert result.state["log"] == ["handed back"]
    assert result.path == ("outer",)
    assert result.next == ("other",)


def handing_off_when_stopped(nested: bool) -> tuple[Any, list[str]]:
    """``decide`` (inside a child graph) answers a stop by handing ``cleanup`` to the parent:
    the child is a node of the parent (``nested=False``) or awaited inside ``outer``."""
    seen: list[str] = []

    async def decide(state: S) -> Any:
        ENTERED.append("decide")
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return Command(graph=Command.PARENT, goto="cleanup", update={"log": ["handed back"]})
        return {"log": ["never"]}

    c = graphstage.StateGraph(S)
    c.add_node("decide", decide)
    c.add_edge(graphstage.START, "decide")
    child = c.compile()

    async def outer(state: S) -> Any:
        try:
            await child.ainvoke({"log": []})
        except asyncio.CancelledError:
            seen.append("outer saw CancelledError")  # the hand-off must win over this
            raise
        return {"log": ["outer ended normally"]}

    p = graphstage.StateGraph(S)
    p.add_node("outer", outer if nested else child)
    p.add_node("cleanup", lambda s: {"log": ["cleanup"]})
    p.add_node("after", lambda s: {"log": ["after"]})
    p.add_edge(graphstage.START, "outer")
    p.add_edge("outer", "after")
    return p.compile(), seen


@pytest.mark.parametrize("nested", [False, True], ids=["subgraph node", "invoked in a node"])
async def test_a_hand_off_that_answers_a_stop_reaches_the_parents_cleanup(
    nested: bool, wait_until: Any, no_leftover_tasks: None
) -> None:
    graph, seen = handing_off_when_stopped(nested)
    ENTERED.clear()
    run = graph.start({"log": []})
    await wait_until(lambda: ENTERED == ["decide"])
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    # the child's answer to the stop is its hand-off: the parent applies its update and
    # goes to the cleanup it names (the static edge to "after" is not taken under a stop)
    assert result.state["log"] == ["handed back", "cleanup"]
    assert result.path == ("outer", "cleanup")
    assert result.status == "cancelled"
    assert seen == []
