"""``Send``: map-reduce from conditional edges and Commands, each Send its own task.

Results are compared with LangGraph running the same program (only the imports differ);
the stop ladder is checked inside Send branches: stop, drain and kill reach every branch.
"""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

import pytest

import graphstage
from graphstage import (
    END,
    START,
    Command,
    NodeCancelled,
    NodeFinished,
    NodeStarted,
    Send,
    StateGraph,
    Transition,
)

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

langgraph = pytest.importorskip("langgraph.graph")
lg_types = pytest.importorskip("langgraph.types")


class Overall(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]
    best: str


def map_reduce(g: Any, send: Any) -> Any:
    """LangGraph's map-reduce how-to: one Send per subject, then a reduce step."""

    def continue_to_jokes(state: dict[str, Any]) -> list[Any]:
        return [send("generate_joke", {"subject": s}) for s in state["subjects"]]

    def generate_joke(state: dict[str, Any]) -> dict[str, Any]:
        return {"jokes": [f"joke about {state['subject']}"]}

    def best_joke(state: dict[str, Any]) -> dict[str, Any]:
        return {"best": max(state["jokes"])}

    b = g.StateGraph(Overall)
    b.add_node("generate_joke", generate_joke)
    b.add_node("best_joke", best_joke)
    b.add_conditional_edges(g.START, continue_to_jokes, ["generate_joke"])
    b.add_edge("generate_joke", "best_joke")
    b.add_edge("best_joke", g.END)
    return b.compile()


async def test_map_reduce_from_a_conditional_edge_equals_langgraph(
    no_leftover_tasks: None,
) -> None:
    inp = {"subjects": ["lions", "cats", "zebras", "ants"], "jokes": []}
    expected = await map_reduce(langgraph, lg_types.Send).ainvoke(inp)
    graph = map_reduce(graphstage, Send)
    assert await graph.ainvoke(inp) == expected
    run = graph.start(inp)
    await run.result()
    started = [(e.node, e.task, e.step) for e in run.event_log if isinstance(e, NodeStarted)]
    assert started == [
        ("generate_joke", "generate_joke[0]", 1),
        ("generate_joke", "generate_joke[1]", 1),
        ("generate_joke", "generate_joke[2]", 1),
        ("generate_joke", "generate_joke[3]", 1),
        ("best_joke", None, 2),
    ]
    moves = [(e.src, e.dst, e.task) for e in run.event_log if isinstance(e, Transition)]
    assert moves[:4] == [("__start__", "generate_joke", f"generate_joke[{i}]") for i in range(4)]
    assert moves[4:] == [("generate_joke", "best_joke", None)] * 4 + [
        ("best_joke", "__end__", None)
    ]


def command_sends(g: Any, send: Any, command: Any) -> Any:
    """Sends from Command(goto=[...]) mixed with edges: merge order as LangGraph's."""

    class S(TypedDict):
        log: Annotated[list[Any], operator.add]

    def fan(state: dict[str, Any]) -> Any:
        return command(goto=[send("w", 2), send("w", 1)], update={"log": ["fan"]})

    b = g.StateGraph(S)
    for name in ("zeta", "alpha", "mid"):
        b.add_node(name, lambda s, name=name: {"log": [name]})
    b.add_node("w", lambda arg: {"log": [("w", arg)]})
    b.add_node("fan", fan)
    b.add_edge(g.START, "zeta")
    b.add_edge(g.START, "alpha")
    b.add_edge(g.START, "fan")
    b.add_edge("zeta", "mid")
    b.add_conditional_edges("mid", lambda s: [send("w", 9), "alpha"])
    return b.compile()


async def test_sends_from_commands_merge_in_langgraphs_order() -> None:
    expected = await command_sends(langgraph, lg_types.Send, lg_types.Command).ainvoke({"log": []})
    got = await command_sends(graphstage, Send, Command).ainvoke({"log": []})
    assert got == expected
    assert got["log"] == ["alpha", "fan", "zeta", "mid", ("w", 2), ("w", 1), "alpha", ("w", 9)]


async def test_a_wide_fan_out_joins_once() -> None:
    inp = {"subjects": [f"s{i:04d}" for i in range(500)], "jokes": []}
    run = map_reduce(graphstage, Send).start(inp)
    result = await run.result()
    assert result.status == "completed"
    assert result.path.count("best_joke") == 1
    assert result.state["jokes"] == [f"joke about s{i:04d}" for i in range(500)]


class Mixed(TypedDict):
    log: Annotated[list[Any], operator.add]
    last: str


def mixed_writes(g: Any, send: Any, overwrite: Any, plain: bool) -> Any:
    """Sends whose updates mix list appends, a last-value field, a tuple (not a list: the
    reducer's own rule) or an ``Overwrite``: each field merges as LangGraph merges it."""

    async def branch(arg: dict[str, Any]) -> dict[str, Any]:
        i = arg["i"]
        if i == 3:
            return {"log": [i], "last": f"from {i}"}
        if i == 5 and not plain:
            return {"log": overwrite([i, "over"])}
        return {"log": [i, i]} if i % 2 else {"log": [i]}

    b = g.StateGraph(Mixed)
    b.add_node("branch", branch)
    b.add_conditional_edges(g.START, lambda s: [send("branch", {"i": i}) for i in range(8)])
    b.add_edge("branch", g.END)
    return b.compile()


@pytest.mark.parametrize("plain", [True, False], ids=["appends", "an-overwrite"])
async def test_a_fan_out_of_mixed_writes_merges_as_langgraph(plain: bool) -> None:
    inp = {"log": ["in"], "last": ""}
    expected = await mixed_writes(langgraph, lg_types.Send, lg_types.Overwrite, plain).ainvoke(inp)
    got = await mixed_writes(graphstage, Send, graphstage.Overwrite, plain).ainvoke(inp)
    assert got == expected
    assert got["last"] == "from 3"
    if plain:
        assert got["log"] == ["in", 0, 1, 1, 2, 3, 4, 5, 5, 6, 7, 7]
    else:
        assert got["log"] == [5, "over"]


async def test_a_tuple_among_a_fan_outs_lists_fails_naming_the_field() -> None:
    async def branch(arg: dict[str, Any]) -> dict[str, Any]:
        return {"log": (arg["i"],) if arg["i"] == 2 else [arg["i"]]}

    b = StateGraph(Mixed)
    b.add_node("branch", branch)
    b.add_conditional_edges(START, lambda s: [Send("branch", {"i": i}) for i in range(4)])
    b.add_edge("branch", END)
    result = await b.compile().start({"log": [], "last": ""}).result()
    assert result.status == "failed"
    assert "field 'log'" in str(result.error)
    assert result.state["log"] == []  # nothing of the step was applied


def stoppable(
    on_cancel: str | None, answer: str, gate: asyncio.Event | None = None
) -> tuple[Any, list[int]]:
    """Three Send branches that wait until stopped (or, for ``answer="finish"``, until the
    gate opens); ``answer`` is how they answer a stop."""
    running: list[int] = []

    class S(TypedDict):
        log: Annotated[list[str], operator.add]

    async def worker(arg: dict[str, Any]) -> Any:
        running.append(arg["i"])
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            if answer == "reraise":
                raise
            return Command(goto="cleanup", update={"log": [f"stopped {arg['i']}"]})
        return {"log": [f"done {arg['i']}"]}

    async def quick(arg: dict[str, Any]) -> Any:
        running.append(arg["i"])
        assert gate is not None
        await gate.wait()
        return {"log": [f"done {arg['i']}"]}

    b = StateGraph(S)
    b.add_node("worker", quick if answer == "finish" else worker, on_cancel=on_cancel)
    b.add_node("reduce", lambda s: {"log": ["reduce"]})
    b.add_node("cleanup", lambda s: {"log": ["cleanup"]})
    b.add_conditional_edges(START, lambda s: [Send("worker", {"i": i}) for i in range(3)])
    b.add_edge("worker", "reduce")
    b.add_edge("reduce", END)
    b.add_edge("cleanup", END)
    return b.compile(cancel_grace=5), running


async def test_stop_inside_send_branches_takes_their_commands(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    graph, running = stoppable(None, "command")
    run = graph.start({"log": []})
    await wait_until(lambda: len(running) == 3)
    run.stop()
    result = await run.result()
    assert result.status == "cancelled"
    answered = [
        (e.task, e.answered_cancel, e.goto) for e in run.event_log if isinstance(e, NodeFinished)
    ]
    assert sorted(answered[:3]) == [(f"worker[{i}]", True, ("cleanup",)) for i in range(3)]
    # each branch's Command is applied (in Send order), the shared cleanup runs once
    assert result.state["log"] == ["stopped 0", "stopped 1", "stopped 2", "cleanup"]
    assert result.path == ("worker", "worker", "worker", "cleanup")
    moves = [
        (e.src, e.dst, e.reason, e.after_stop) for e in run.event_log if isinstance(e, Transition)
    ]
    assert moves[3:] == [("worker", "cleanup", "command", True)] * 3 + [
        ("cleanup", "__end__", "edge", True)
    ]


async def test_stop_inside_send_branches_takes_their_on_cancel_route(wait_until: Any) -> None:
    graph, running = stoppable("cleanup", "reraise")
    run = graph.start({"log": []})
    await wait_until(lambda: len(running) == 3)
    run.stop()
    result = await run.result()
    cancelled = [(e.task, e.how) for e in run.event_log if isinstance(e, NodeCancelled)]
    assert sorted(cancelled) == [(f"worker[{i}]", "reraised") for i in range(3)]
    assert result.status == "cancelled"
    assert result.state["log"] == ["cleanup"]


async def test_drain_lets_send_branches_finish_then_stops(wait_until: Any) -> None:
    gate = asyncio.Event()
    graph, running = stoppable(None, "finish", gate)
    run = graph.start({"log": []})
    await wait_until(lambda: len(running) == 3)
    run.stop(drain=True)
    await wait_until(lambda: any(e.kind == "stop_requested" for e in run.event_log))
    gate.set()
    result = await run.result()
    assert result.status == "cancelled"
    assert result.state["log"] == ["done 0", "done 1", "done 2"]
    assert result.next == ("reduce",)
    assert result.path == ("worker", "worker", "worker")


async def test_kill_reaches_every_send_branch(wait_until: Any, no_leftover_tasks: None) -> None:
    graph, running = stoppable("cleanup", "command")
    run = graph.start({"log": []})
    await wait_until(lambda: len(running) == 3)
    run.kill()
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "killed"
    killed = [(e.task, e.how) for e in run.event_log if isinstance(e, NodeCancelled)]
    assert sorted(killed) == [(f"worker[{i}]", "killed") for i in range(3)]
    assert result.state["log"] == []


def half_waiting(waiting: list[int]) -> Any:
    """Eight Send branches of one node: the even ones return at once, the odd ones wait
    until stopped and answer the stop with a Command to ``cleanup`` (the branches that
    return at once hand their node's actor on to the next Send)."""

    class S(TypedDict):
        log: Annotated[list[str], operator.add]

    async def worker(arg: dict[str, Any]) -> Any:
        i = arg["i"]
        if i % 2 == 0:
            return {"log": [f"done {i}"]}
        waiting.append(i)
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update={"log": [f"stopped {i}"]})
        return {"log": [f"late {i}"]}

    b = StateGraph(S)
    b.add_node("worker", worker)
    b.add_node("reduce", lambda s: {"log": ["reduce"]})
    b.add_node("cleanup", lambda s: {"log": ["cleanup"]})
    b.add_conditional_edges(START, lambda s: [Send("worker", {"i": i}) for i in range(8)])
    b.add_edge("worker", "reduce")
    b.add_edge("reduce", END)
    b.add_edge("cleanup", END)
    return b.compile(cancel_grace=5)


async def test_a_stop_reaches_each_waiting_send_among_ones_that_returned_at_once(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    waiting: list[int] = []
    run = half_waiting(waiting).start({"log": []})
    await wait_until(lambda: len(waiting) == 4)
    run.stop()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "cancelled"
    told = [e.nodes for e in run.event_log if e.kind == "stop_requested"]
    assert told == [("worker",) * 4]  # the four that wait, not the four that returned
    answered = {
        e.task: (e.answered_cancel, e.goto)
        for e in run.event_log
        if isinstance(e, NodeFinished) and e.node == "worker"
    }
    assert answered == {
        f"worker[{i}]": (True, ("cleanup",)) if i % 2 else (False, ()) for i in range(8)
    }
    # every branch's update is applied in Send order; the stop's route, not the edge
    assert result.state["log"] == [f"stopped {i}" if i % 2 else f"done {i}" for i in range(8)] + [
        "cleanup"
    ]


async def test_a_kill_reaches_each_waiting_send_among_ones_that_returned_at_once(
    wait_until: Any, no_leftover_tasks: None
) -> None:
    waiting: list[int] = []
    run = half_waiting(waiting).start({"log": []})
    await wait_until(lambda: len(waiting) == 4)
    run.kill()
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "killed"
    killed = sorted(e.task for e in run.event_log if isinstance(e, NodeCancelled))
    assert killed == [f"worker[{i}]" for i in (1, 3, 5, 7)]
    assert result.state["log"] == []


async def test_a_send_to_an_unknown_node_fails_the_run_naming_it() -> None:
    b = StateGraph(Overall)
    b.add_node("generate_joke", lambda s: {"jokes": ["x"]})
    b.add_conditional_edges(START, lambda s: [Send("nope", {})], ["generate_joke"])
    with pytest.raises(graphstage.UnknownNodeError, match="Send to 'nope': no such node"):
        await b.compile().ainvoke({"subjects": [], "jokes": []})


async def test_a_fan_outs_answers_keep_their_events_in_order() -> None:
    """Sends answering at once with plain updates, at once with Commands, and after a wait:
    each answer has its NodeFinished (task, update), in the order the answers came, and the
    run's events are numbered without a gap (answers given at once are published together)."""

    class S(TypedDict):
        log: Annotated[list[int], operator.add]

    async def branch(arg: dict[str, int]) -> Any:
        i = arg["i"]
        if i % 3 == 1:
            return Command(update={"log": [i]})
        if i % 3 == 2:
            await asyncio.sleep(0)
        return {"log": [i]}

    b = StateGraph(S)
    b.add_node("branch", branch)
    b.add_conditional_edges(START, lambda s: [Send("branch", {"i": i}) for i in range(9)])
    b.add_edge("branch", END)
    run = b.compile().start({"log": []})
    result = await run.result()
    assert result.state["log"] == list(range(9))
    log = run.event_log
    assert [e.seq for e in log] == list(range(len(log)))
    finished = [(e.task, e.update) for e in log if isinstance(e, NodeFinished)]
    at_once, waited = (0, 1, 3, 4, 6, 7), (2, 5, 8)
    assert finished == [(f"branch[{i}]", {"log": [i]}) for i in (*at_once, *waited)]
    started = [e.seq for e in log if isinstance(e, NodeStarted)]
    assert max(started) < min(e.seq for e in log if isinstance(e, NodeFinished))
