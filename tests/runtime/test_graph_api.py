"""The LangGraph-compatible surface: reducers, edges, stream modes, sync nodes, limits."""

from __future__ import annotations

import asyncio
import operator
import threading
from typing import Annotated, TypedDict

import pytest
from pydantic import BaseModel

from graphstage import (
    END,
    START,
    Command,
    GraphRecursionError,
    StateGraph,
    dump_event_json,
    get_stream_writer,
    load_event,
)
from graphstage._constants import DEFAULT_RECURSION_LIMIT

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


class Counter(BaseModel):
    count: int = 0
    seen: Annotated[list[str], operator.add] = []


def chain(n: int):
    builder = StateGraph(Counter)

    async def step(state: Counter):
        return {"count": state.count + 1}

    for i in range(n):
        builder.add_node(f"n{i}", step)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    return builder.compile()


async def test_a_chain_runs_every_node_in_order():
    graph = chain(5)
    run = graph.start({})
    result = await run.result()
    assert result.status == "completed"
    assert result.state.count == 5
    assert result.path == ("n0", "n1", "n2", "n3", "n4")


async def test_reducers_merge_fan_out_updates_in_a_deterministic_order():
    builder = StateGraph(Counter)
    for name in ("a", "b", "c"):

        async def node(state: Counter, name: str = name):
            await asyncio.sleep(0.01 if name == "a" else 0)  # a answers last
            return {"seen": [name]}

        builder.add_node(name, node)
        builder.add_edge(START, name)
    builder.add_node("join", lambda state: {"seen": ["join"]})
    builder.add_edge(["a", "b", "c"], "join")
    state = await builder.compile().ainvoke({})
    assert state["seen"] == ["a", "b", "c", "join"]


async def test_two_writes_to_a_field_without_reducer_in_one_step_fail_the_run():
    builder = StateGraph(Counter)
    builder.add_node("a", lambda s: {"count": 1})
    builder.add_node("b", lambda s: {"count": 2})
    builder.add_edge(START, "a")
    builder.add_edge(START, "b")
    result = await builder.compile().start({}).result()
    assert result.status == "failed"
    assert type(result.error).__name__ == "InvalidUpdateError"
    assert str(result.error).startswith(
        "At key 'count': Can receive only one value per step (it received one from 'a' and "
        "one from 'b'). Use an Annotated key to handle multiple values."
    )


async def test_conditional_edges_route_through_the_path_map():
    builder = StateGraph(Counter)
    builder.add_node("inc", lambda s: {"count": s.count + 1})
    builder.add_node("done", lambda s: {"seen": ["done"]})
    builder.add_edge(START, "inc")
    builder.add_conditional_edges(
        "inc", lambda s: "again" if s.count < 3 else "stop", {"again": "inc", "stop": "done"}
    )
    builder.add_edge("done", END)
    run = builder.compile().start({})
    result = await run.result()
    assert result.path == ("inc", "inc", "inc", "done")
    assert result.state.count == 3


async def test_an_async_path_function_and_a_list_of_destinations_fan_out():
    async def route(state: Counter) -> list[str]:
        return ["x", "y"]

    builder = StateGraph(Counter)
    builder.add_node("start", lambda s: None)
    builder.add_node("x", lambda s: {"seen": ["x"]})
    builder.add_node("y", lambda s: {"seen": ["y"]})
    builder.add_edge(START, "start")
    builder.add_conditional_edges("start", route)
    assert (await builder.compile().ainvoke({}))["seen"] == ["x", "y"]


async def test_sync_nodes_run_in_a_worker_thread():
    threads: list[int] = []

    def node(state: Counter, writer):
        threads.append(threading.get_ident())
        writer("from a thread")
        return {"count": 1}

    builder = StateGraph(Counter)
    builder.add_node("sync", node)
    builder.add_edge(START, "sync")
    chunks = [c async for c in builder.compile().astream({}, stream_mode="custom")]
    assert chunks == ["from a thread"]
    assert threads[0] != threading.get_ident()


async def test_stream_modes_are_views_of_one_event_stream():
    async def node(state: Counter, writer):
        writer({"progress": 1})
        return {"count": 7}

    builder = StateGraph(Counter)
    builder.add_node("n", node)
    builder.add_edge(START, "n")
    graph = builder.compile()
    assert [c async for c in graph.astream({}, stream_mode="updates")] == [{"n": {"count": 7}}]
    # as LangGraph: a field shows once it has a value; a reducer field starts at its empty value
    assert [c async for c in graph.astream({}, stream_mode="values")] == [
        {"seen": []},
        {"count": 7, "seen": []},
    ]
    pairs = [c async for c in graph.astream({}, stream_mode=["custom", "updates"])]
    assert pairs == [("custom", {"progress": 1}), ("updates", {"n": {"count": 7}})]
    kinds = [type(e).__name__ async for e in graph.astream({}, stream_mode="events")]
    assert kinds[0] == "RunStarted" and kinds[-1] == "RunFinished"


async def test_an_unknown_stream_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="stream_mode 'bogus' is not supported"):
        [c async for c in chain(1).astream({}, stream_mode="bogus")]


async def test_the_recursion_limit_ends_the_run_failed():
    builder = StateGraph(Counter)
    builder.add_node("loop", lambda s: {"count": s.count + 1})
    builder.add_edge(START, "loop")
    builder.add_edge("loop", "loop")
    graph = builder.compile()
    result = await graph.start({}, {"recursion_limit": 25}).result()
    assert result.status == "failed"
    assert isinstance(result.error, GraphRecursionError)
    assert result.state.count == 25
    assert DEFAULT_RECURSION_LIMIT == 10007  # LangGraph 1.2's default, when none is given
    with pytest.raises(
        GraphRecursionError, match=r"^Recursion limit of 5 reached without hitting a stop condition"
    ):
        await graph.ainvoke({}, {"recursion_limit": 5})


async def test_typed_dict_state_and_injected_ctx_and_config():
    class TD(TypedDict):
        items: Annotated[list[int], operator.add]
        note: str

    seen: dict[str, object] = {}

    async def node(state: TD, ctx, config):
        seen.update(run_id=ctx.run_id, node=ctx.node, tag=config["configurable"]["tag"])
        get_stream_writer()("via get_stream_writer")
        return Command(update={"items": [2], "note": "ok"}, goto=END)

    builder = StateGraph(TD)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    run = builder.compile().start({"items": [1]}, {"configurable": {"tag": "t"}, "run_id": "r1"})
    result = await run.result()
    assert result.state == {"items": [1, 2], "note": "ok"}
    assert seen == {"run_id": "r1", "node": "node", "tag": "t"}
    assert [e.data for e in run.event_log if type(e).__name__ == "CustomOutput"] == [
        "via get_stream_writer"
    ]


async def test_events_round_trip_through_json():
    run = chain(2).start({})
    await run.result()
    for event in run.event_log:
        again = load_event(dump_event_json(event))
        assert type(again) is type(event)
        assert (again.seq, again.run_id) == (event.seq, event.run_id)


async def test_a_late_subscriber_sees_every_event_from_the_first():
    run = chain(3).start({})
    await run.result()
    replay = [e async for e in run.events()]
    assert replay == list(run.event_log)
    assert [e.seq for e in replay] == list(range(len(replay)))


async def test_a_run_stopped_by_the_recursion_limit_records_the_step_it_prevented():
    result = await chain(3).start({}, {"recursion_limit": 2}).result()
    assert (result.status, result.state.count, result.next) == ("failed", 2, ("n2",))
