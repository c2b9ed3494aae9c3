"""``stream_mode="tasks"`` and ``"debug"``: each task's payload as LangGraph shows it.

A task's ``input`` is what that node was given: a ``Send``'s argument, the keys of a node's
own input schema, managed values such as ``RemainingSteps``; its ``triggers`` name
LangGraph's channels (``__pregel_push`` for a Send, one ``join:A+B:NODE`` per join); its
``metadata`` holds the run's metadata and tags and the node's ``add_node(metadata=...)``;
a key written twice shows as ``{"$writes": [...]}`` in the task's result.

Every case runs the same graph on LangGraph and on graphstage (only the imports differ)
and compares the chunks, task ids renamed in order of appearance and timestamps dropped.
A step's tasks are listed as LangGraph lists them: its Sends first, then the nodes reached
by edges or gotos, by name (graphstage starts them in its own order; only the stream lists
them so); a subgraph's tasks carry their own node's ``add_node(metadata=...)``.
"""

from __future__ import annotations

import operator
import uuid
from typing import Annotated, Any, TypedDict

import pytest
from pydantic import BaseModel

import graphstage
from graphstage import NodeStarted, RemainingSteps
from graphstage.checkpoint.memory import InMemorySaver

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

langgraph = pytest.importorskip("langgraph.graph")
lg_types = pytest.importorskip("langgraph.types")
lg_managed = pytest.importorskip("langgraph.managed")
lg_memory = pytest.importorskip("langgraph.checkpoint.memory")

LG = {
    "g": langgraph,
    "Send": lg_types.Send,
    "Command": lg_types.Command,
    "Saver": lg_memory.InMemorySaver,
}
GS = {
    "g": graphstage,
    "Send": graphstage.Send,
    "Command": graphstage.Command,
    "Saver": InMemorySaver,
}


class State(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]
    n: int


class Narrow(TypedDict):
    n: int


class CountdownGS(TypedDict):
    a: int
    remaining_steps: RemainingSteps


class CountdownLG(TypedDict):
    a: int
    remaining_steps: lg_managed.RemainingSteps


def normalised(chunks: list[Any]) -> list[Any]:
    """``chunks`` with task ids renamed ``t0``, ``t1``... in order, timestamps dropped and
    pydantic models as (class name, fields)."""
    ids: dict[str, str] = {}

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items() if k != "timestamp"}
        if isinstance(v, list | tuple):
            return type(v)(walk(x) for x in v)
        if isinstance(v, BaseModel):
            return (type(v).__name__, v.model_dump())
        if isinstance(v, str):
            try:
                uuid.UUID(v)
            except ValueError:
                return v
            return ids.setdefault(v, f"t{len(ids)}")
        return v

    return [walk(c) for c in chunks]


async def chunks(graph: Any, inp: Any, config: Any = None, **kw: Any) -> list[Any]:
    return normalised([c async for c in graph.astream(inp, config, **kw)])


def map_reduce(e: dict[str, Any], then: Any = None) -> Any:
    """LangGraph's map-reduce how-to: a Send per subject, then a node reading one key,
    then ``then`` (a subgraph) if given."""
    g, send = e["g"], e["Send"]

    def plan(state: dict[str, Any]) -> dict[str, Any]:
        return {"subjects": ["cats", "dogs"], "n": 1}

    # async: the two Sends run at once, and a plain def would run each in a worker thread,
    # whose finishing order (the order of their result chunks, in LangGraph as here) is the
    # OS's to choose; as tasks on the loop they finish in the order they started
    async def joke(state: dict[str, Any]) -> dict[str, Any]:
        return {"jokes": [f"joke about {state['subject']}"]}

    def count(state: Narrow) -> dict[str, Any]:
        return {"n": state["n"] + 1}

    b = g.StateGraph(State)
    b.add_node("plan", plan)
    b.add_node("joke", joke)
    b.add_node("count", count, metadata={"role": "reducer"})
    b.add_edge(g.START, "plan")
    b.add_conditional_edges(
        "plan", lambda s: [send("joke", {"subject": x}) for x in s["subjects"]], ["joke"]
    )
    b.add_edge("joke", "count")
    if then is None:
        b.add_edge("count", g.END)
    else:
        b.add_node("sub", then)
        b.add_edge("count", "sub")
    return b


INPUT = {"subjects": [], "jokes": [], "n": 0}


@pytest.mark.parametrize("mode", ["tasks", "debug"])
async def test_a_send_fan_out_shows_each_sends_own_input_as_langgraph(mode: str) -> None:
    expected = await chunks(map_reduce(LG).compile(), INPUT, stream_mode=mode)
    got = await chunks(map_reduce(GS).compile(), INPUT, stream_mode=mode)
    assert got == expected
    starts = [c.get("payload", c) for c in got]
    starts = [(p["name"], p["input"], p["triggers"]) for p in starts if "input" in p]
    assert starts == [
        ("plan", INPUT, ("branch:to:plan",)),
        ("joke", {"subject": "cats"}, ("__pregel_push",)),
        ("joke", {"subject": "dogs"}, ("__pregel_push",)),
        ("count", {"n": 1}, ("branch:to:count",)),  # its own input schema's keys only
    ]


async def test_metadata_and_tags_of_the_run_and_the_node_as_langgraph() -> None:
    config = {"metadata": {"user": "u", "langgraph_node": "hidden"}, "tags": ["t1", "seq:step:1"]}
    expected = await chunks(map_reduce(LG).compile(), INPUT, config, stream_mode="tasks")
    got = await chunks(map_reduce(GS).compile(), INPUT, config, stream_mode="tasks")
    assert got == expected
    metas = {c["name"]: c["metadata"] for c in got if "input" in c}
    assert metas == {
        "plan": {"user": "u", "tags": ["t1"]},
        "joke": {"user": "u", "tags": ["t1"]},
        "count": {"user": "u", "role": "reducer", "tags": ["t1"]},
    }


async def test_debug_task_chunks_on_a_thread_as_langgraph() -> None:
    async def tasks_of(e: dict[str, Any], saver: Any) -> list[Any]:
        graph = map_reduce(e).compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "t"}}
        out = [c async for c in graph.astream(INPUT, config, stream_mode="debug")]
        return normalised([c for c in out if c["type"] != "checkpoint"])  # tested apart

    expected = await tasks_of(LG, lg_memory.InMemorySaver())
    assert await tasks_of(GS, InMemorySaver()) == expected


def joined(e: dict[str, Any]) -> Any:
    """A Command going to a node and a Send at once; both feed a join."""
    g, send, command = e["g"], e["Send"], e["Command"]

    class S(TypedDict):
        a: int
        log: Annotated[list, operator.add]

    def first(state: dict[str, Any]) -> Any:
        return command(update={"a": 1}, goto=[send("worker", {"a": 10}), "second"])

    b = g.StateGraph(S)
    b.add_node("first", first)
    b.add_node("second", lambda s: {"log": ["second"]})
    b.add_node("worker", lambda s: {"log": [f"w{s['a']}"]})
    b.add_node("third", lambda s: {"log": ["third"]})
    b.add_edge(g.START, "first")
    b.add_edge(["second", "worker"], "third")
    b.add_edge("third", g.END)
    return b.compile()


async def test_a_join_names_its_channel_and_a_mixed_steps_sends_are_listed_first() -> None:
    inp = {"a": 0, "log": []}
    expected = await chunks(joined(LG), inp, stream_mode="tasks")
    got = await chunks(joined(GS), inp, stream_mode="tasks")
    starts = [(c["name"], c["input"], c["triggers"]) for c in got if "input" in c]
    assert starts == [
        ("first", inp, ("branch:to:first",)),
        ("worker", {"a": 10}, ("__pregel_push",)),  # as LangGraph: the Sends first
        ("second", {"a": 1, "log": []}, ("branch:to:second",)),
        (
            "third",
            {"a": 1, "log": ["second", "w10"]},
            ("branch:to:third", "join:second+worker:third"),
        ),
    ]
    assert [c for c in got if "input" in c] == [c for c in expected if "input" in c]
    # the results come as the (sync, threaded) nodes finish: the OS's order, on both
    assert sorted(map(repr, got)) == sorted(map(repr, expected))


def wide(e: dict[str, Any]) -> Any:
    """One step of three nodes reached by edges (added, and edged, out of name order) and
    two Sends between them, each node async so that results come in start order."""
    g, send = e["g"], e["Send"]

    class S(TypedDict):
        log: Annotated[list, operator.add]

    def node(name: str) -> Any:
        async def run(state: dict[str, Any]) -> dict[str, Any]:
            return {"log": [name]}

        return run

    b = g.StateGraph(S)
    b.add_node("fan", node("fan"))
    for name in ("zeta", "alpha", "mid", "w"):
        b.add_node(name, node(name))
    b.add_edge(g.START, "fan")
    b.add_edge("fan", "zeta")
    b.add_edge("fan", "alpha")
    b.add_conditional_edges(
        "fan", lambda s: [send("w", {"log": ["s1"]}), "mid", send("w", {"log": ["s2"]})]
    )
    return b.compile(checkpointer=e["Saver"]())


@pytest.mark.parametrize("mode", ["tasks", "debug"])
async def test_a_steps_tasks_are_listed_sends_first_then_nodes_by_name(mode: str) -> None:
    async def run(e: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        config = {"configurable": {"thread_id": "1"}}
        out = [c async for c in wide(e).astream({"log": []}, config, stream_mode=mode)]
        if mode == "debug":  # checkpoints (their ids and times differ) apart
            out = [c["payload"] for c in out if c["type"] != "checkpoint"]
        out = normalised(out)
        return [c for c in out if "input" in c], [c for c in out if "result" in c]

    expected_starts, expected_results = await run(LG)
    starts, results = await run(GS)
    assert [(c["name"], c["input"]) for c in starts] == [
        ("fan", {"log": []}),
        ("w", {"log": ["s1"]}),
        ("w", {"log": ["s2"]}),
        ("alpha", {"log": ["fan"]}),
        ("mid", {"log": ["fan"]}),
        ("zeta", {"log": ["fan"]}),
    ]
    assert starts == expected_starts
    # results come as tasks finish: graphstage starts the nodes reached by edges before
    # the Sends, so of tasks that finish at once those report first (LangGraph: the Sends)
    assert sorted(map(repr, results)) == sorted(map(repr, expected_results))
    assert [c["name"] for c in results] == ["fan", "zeta", "alpha", "mid", "w", "w"]


async def test_managed_values_a_model_state_and_repeated_writes_as_langgraph() -> None:
    def remaining(g: Any, state: type) -> Any:
        b = g.StateGraph(state)
        b.add_node("n1", lambda s: {"a": s["remaining_steps"]})
        b.add_edge(g.START, "n1")
        return b.compile()

    expected = await chunks(
        remaining(langgraph, CountdownLG),
        {"a": 0},
        {"recursion_limit": 5},
        stream_mode="tasks",
    )
    got = await chunks(
        remaining(graphstage, CountdownGS), {"a": 0}, {"recursion_limit": 5}, stream_mode="tasks"
    )
    assert got == expected
    assert got[0]["input"] == {"a": 0, "remaining_steps": 4}

    class M(BaseModel):
        a: int = 0
        log: Annotated[list[str], operator.add] = []

    def model_graph(e: dict[str, Any]) -> Any:
        command = e["Command"]
        b = e["g"].StateGraph(M)
        b.add_node("n1", lambda s: command(update=[("log", ["x"]), ("log", ["y"]), ("a", 1)]))
        b.add_node("n2", lambda s: {"a": s.a + 1})
        b.add_edge(e["g"].START, "n1")
        b.add_edge("n1", "n2")
        return b.compile()

    expected = await chunks(model_graph(LG), {"a": 0}, stream_mode="tasks")
    got = await chunks(model_graph(GS), {"a": 0}, stream_mode="tasks")
    assert got == expected
    assert got[1]["result"] == {"log": {"$writes": [["x"], ["y"]]}, "a": 1}
    assert got[2]["input"] == ("M", {"a": 1, "log": ["x", "y"]})


async def test_subgraph_tasks_show_their_namespace_input_and_metadata_as_langgraph() -> None:
    def nested(e: dict[str, Any]) -> Any:
        g = e["g"]
        sub = g.StateGraph(State)
        sub.add_node("inner", lambda s: {"n": s["n"] + 1}, metadata={"role": "inner"})
        sub.add_edge(g.START, "inner")
        return map_reduce(e, then=sub.compile()).compile()

    async def run(e: dict[str, Any]) -> list[Any]:
        out = [
            (len(ns), c)
            async for ns, c in nested(e).astream(
                INPUT, {"metadata": {"m": 1}}, stream_mode="tasks", subgraphs=True
            )
        ]
        return normalised(out)

    expected = await run(LG)
    got = await run(GS)
    assert got == expected
    inner = [c for depth, c in got if depth == 1 and "input" in c]
    assert [(c["name"], c["metadata"]) for c in inner] == [("inner", {"m": 1, "role": "inner"})]


async def test_task_inputs_travel_in_events_only_when_a_stream_shows_them() -> None:
    graph = map_reduce(GS).compile()
    run = graph.start(INPUT)
    await run.result()
    started = [e for e in run.event_log if isinstance(e, NodeStarted)]
    assert len(started) == 4
    assert all(e.input is None for e in started)  # a journal does not copy the state
    events = [c async for c in graph.astream(INPUT, stream_mode=["tasks", "events"])]
    started = [c for mode, c in events if mode == "events" and isinstance(c, NodeStarted)]
    assert [e.input for e in started] == [INPUT, {"subject": "cats"}, {"subject": "dogs"}, {"n": 1}]
