"""Subgraphs: a compiled graph as a node, a graph invoked inside a node, Command.PARENT,
three levels deep; results compared with LangGraph. A Stop reaches the subgraph's active
node first (graphstage differs from LangGraph on purpose here: its Command and cleanup
route run inside the subgraph, then the parent's route)."""

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


ENTERED: list[str] = []
"""Nodes append their name on entry (tests wait for it before they stop or kill)."""


def three_levels(lib: Any, command: Any, *, slow: float = 0.0, on_cancel: bool = False) -> Any:
    """parent: first -> mid -> last; mid: child -> mid_after; child: inner_work."""

    async def inner_work(state: S) -> Any:
        ENTERED.append("inner_work")
        try:
            await asyncio.sleep(slow)
        except asyncio.CancelledError:
            return command(goto="inner_cleanup", update={"log": ["inner stopped"]})
        return {"log": ["inner work"], "x": state["x"] + 1}

    c = lib.StateGraph(S)
    c.add_node("inner_work", inner_work)
    c.add_node("inner_cleanup", lambda s: {"log": ["inner cleanup"]})
    c.add_edge(lib.START, "inner_work")
    m = lib.StateGraph(S)
    m.add_node("child", c.compile())
    m.add_node("mid_after", lambda s: {"log": ["mid after"]})
    m.add_edge(lib.START, "child")
    m.add_edge("child", "mid_after")
    p = lib.StateGraph(S)
    p.add_node("first", lambda s: {"log": ["first"]})
    if on_cancel:
        p.add_node("mid", m.compile(), on_cancel="parent_cleanup")
        p.add_node("parent_cleanup", lambda s: {"log": ["parent cleanup"]})
    else:
        p.add_node("mid", m.compile())
    p.add_node("last", lambda s: {"log": ["last"]})
    p.add_edge(lib.START, "first")
    p.add_edge("first", "mid")
    p.add_edge("mid", "last")
    return p.compile()


async def test_three_levels_of_subgraphs_give_langgraphs_result(no_leftover_tasks: None) -> None:
    expected = await three_levels(lg, lg_types.Command).ainvoke({"log": [], "x": 0})
    got = await three_levels(graphstage, Command).ainvoke({"log": [], "x": 0})
    assert got == expected
    # the parent's operator.add list went into the subgraph and came back whole: as LangGraph
    assert got["log"] == ["first", "first", "first", "inner work", "mid after", "last"]


async def test_stop_reaches_the_innermost_node_first_then_the_parents_route(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    graph = three_levels(graphstage, Command, slow=60, on_cancel=True)
    ENTERED.clear()
    run = graph.start({"log": [], "x": 0})
    await wait_until(lambda: ENTERED == ["inner_work"])  # the innermost node is running
    run.stop()
    result = await run.result()
    assert result.status == "cancelled"
    # inside the subgraph: its node's Command and cleanup ran; then the parent's on_cancel
    assert result.state["log"] == [
        "first",
        "first",
        "first",
        "inner stopped",
        "inner cleanup",
        "parent cleanup",
    ]
    assert result.path == ("first", "mid", "parent_cleanup")


async def test_kill_ends_every_level(wait_until: Any, no_leftover_tasks: None) -> None:
    graph = three_levels(graphstage, Command, slow=60)
    ENTERED.clear()
    run = graph.start({"log": [], "x": 0})
    await wait_until(lambda: ENTERED == ["inner_work"])
    run.kill()
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "killed"
    assert result.state["log"] == ["first"]
    # the subgraphs' runs were killed too: no graphstage task is left (each level's
    # supervisor settles on its own, just after the parent's)
    await wait_until(
        lambda: not [t for t in asyncio.all_tasks() if t.get_name().startswith("graphstage")]
    )


def handing_back(lib: Any, command: Any) -> Any:
    def decide(state: S) -> Any:
        return command(graph=command.PARENT, goto="other", update={"log": ["handed back"]})

    c = lib.StateGraph(S)
    c.add_node("decide", decide)
    c.add_node("never", lambda s: {"log": ["never"]})
    c.add_edge(lib.START, "decide")
    c.add_edge("decide", "never")
    p = lib.StateGraph(S)
    p.add_node("sub", c.compile())
    p.add_node("other", lambda s: {"log": ["other"]})
    p.add_edge(lib.START, "sub")
    return p.compile()


async def test_command_parent_is_applied_by_the_parent() -> None:
    expected = await handing_back(lg, lg_types.Command).ainvoke({"log": []})
    got = await handing_back(graphstage, Command).ainvoke({"log": []})
    assert got == expected == {"log": ["handed back", "other"]}


def invoking(lib: Any, command: Any, *, slow: float = 0.0) -> tuple[Any, list[str]]:
    """A node that invokes a compiled graph itself, and routes to cleanup if stopped."""
    seen: list[str] = []

    async def work(state: S) -> Any:
        ENTERED.append("work")
        try:
            await asyncio.sleep(slow)
        except asyncio.CancelledError:
            seen.append("inner stopped")
            return command(goto="inner_cleanup")
        return {"x": state["x"] * 10}

    c = lib.StateGraph(S)
    c.add_node("work", work)
    c.add_node("inner_cleanup", lambda s: seen.append("inner cleanup") or {"x": -1})
    c.add_edge(lib.START, "work")
    child = c.compile()

    async def outer(state: S) -> Any:
        try:
            out = await child.ainvoke({"x": state["x"] + 1})
        except asyncio.CancelledError:
            seen.append("outer stopped")
            return command(goto="outer_cleanup")
        return {"x": out["x"], "log": ["outer"]}

    p = lib.StateGraph(S)
    p.add_node("outer", outer)
    p.add_node("outer_cleanup", lambda s: {"log": ["outer cleanup"]})
    p.add_edge(lib.START, "outer")
    return p.compile(), seen


async def test_a_graph_invoked_inside_a_node() -> None:
    expected = await invoking(lg, lg_types.Command)[0].ainvoke({"log": [], "x": 1})
    got = await invoking(graphstage, Command)[0].ainvoke({"log": [], "x": 1})
    assert got == expected == {"log": ["outer"], "x": 20}


async def test_stop_reaches_a_graph_invoked_inside_a_node(wait_until: Any) -> None:
    graph, seen = invoking(graphstage, Command, slow=60)
    ENTERED.clear()
    run = graph.start({"log": [], "x": 1})
    await wait_until(lambda: ENTERED == ["work"])
    run.stop()
    result = await run.result()
    # the inner graph's node answered first and its cleanup ran; then the outer node's
    assert seen == ["inner stopped", "inner cleanup", "outer stopped"]
    assert result.status == "cancelled"
    assert result.state["log"] == ["outer cleanup"]


async def test_command_parent_at_the_top_level_is_an_error() -> None:
    def decide(state: S) -> Any:
        return Command(graph=Command.PARENT, goto="x")

    b = graphstage.StateGraph(S)
    b.add_node("decide", decide)
    b.add_edge(graphstage.START, "decide")
    with pytest.raises(graphstage.ParentCommand, match="addresses the parent graph"):
        await b.compile().ainvoke({"log": []})


def strip_ids(chunks: list[Any]) -> list[Any]:
    """Namespaces without their random task ids: ``("mid", "child")``."""
    return [(tuple(part.split(":")[0] for part in c[0]), *c[1:]) for c in chunks]


@pytest.mark.parametrize("modes", ["updates", ["values", "updates"]])
async def test_astream_with_subgraphs_yields_namespaced_chunks_as_langgraph(modes: Any) -> None:
    inp = {"log": [], "x": 0}
    theirs = three_levels(lg, lg_types.Command)
    expected = [c async for c in theirs.astream(inp, stream_mode=modes, subgraphs=True)]
    ours = three_levels(graphstage, Command)
    got = [c async for c in ours.astream(inp, stream_mode=modes, subgraphs=True)]
    assert strip_ids(got) == strip_ids(expected)
    inner = {c[0] for c in got if len(c[0]) == 2}
    assert len(inner) == 1 and [p.split(":")[0] for p in next(iter(inner))] == ["mid", "child"]


async def test_drain_lets_the_subgraph_node_finish_then_stops_the_parent(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    graph = three_levels(graphstage, Command, slow=0.5)
    ENTERED.clear()
    run = graph.start({"log": [], "x": 0})
    await wait_until(lambda: ENTERED == ["inner_work"])
    run.stop(drain=True)  # "stop after this step": the parent's step is the whole subgraph
    result = await run.result()
    assert result.status == "cancelled"
    assert result.state["log"] == ["first", "first", "first", "inner work", "mid after"]
    assert result.next == ("last",)


async def test_a_subgraph_paused_at_a_breakpoint_pauses_a_run_without_a_thread() -> None:
    from graphstage.checkpoint import InMemorySaver

    c = graphstage.StateGraph(S)
    c.add_node("inner", lambda s: {"log": ["inner"]})
    c.add_edge(graphstage.START, "inner")
    child = c.compile(checkpointer=InMemorySaver(), interrupt_before=["inner"])
    p = graphstage.StateGraph(S)
    p.add_node("sub", child)
    p.add_node("after", lambda s: {"log": ["after"]})
    p.add_edge(graphstage.START, "sub")
    p.add_edge("sub", "after")
    config = {"configurable": {"thread_id": "t"}}
    graph = p.compile()
    # as LangGraph's: the run pauses in the subgraph's node (no question at a breakpoint)
    assert await graph.ainvoke({"log": []}, config) == {"log": []}
    result = await graph.start({"log": []}, config).result()
    assert (result.status, result.next, result.interrupts) == ("paused", ("sub",), ())
