"""The sync entry points, for scripts without an event loop."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from graphstage import START, StateGraph


class Counter(BaseModel):
    count: int = 0


def chain(n: int):
    builder = StateGraph(Counter)
    for i in range(n):
        builder.add_node(f"n{i}", lambda s: {"count": s.count + 1})
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    return builder.compile()


def test_invoke_runs_from_sync_code():
    assert chain(3).invoke({})["count"] == 3


def test_the_mermaid_diagram_names_every_node_and_edge():
    text = chain(2).draw_mermaid()
    assert "__start__ --> n0" in text and "n0 --> n1" in text


def test_stream_yields_the_chunks_from_sync_code():
    assert list(chain(2).stream({}, stream_mode="updates")) == [
        {"n0": {"count": 1}},
        {"n1": {"count": 2}},
    ]


def test_start_without_a_running_loop_says_what_to_do():
    with pytest.raises(RuntimeError, match="needs a running event loop"):
        chain(1).start({})


def test_stream_yields_each_chunk_while_the_run_goes_on():
    # the second node waits for the consumer to have seen the first node's chunk: a stream
    # that collected every chunk before yielding would never let it through
    import threading

    seen_first = threading.Event()

    def second(state: Counter):
        assert seen_first.wait(10), "the first chunk was not yielded while the run went on"
        return {"count": state.count + 10}

    builder = StateGraph(Counter)
    builder.add_node("first", lambda s: {"count": 1})
    builder.add_node("second", second)
    builder.add_edge(START, "first")
    builder.add_edge("first", "second")
    chunks = []
    for chunk in builder.compile().stream({}, stream_mode="updates"):
        chunks.append(chunk)
        seen_first.set()
    assert chunks == [{"first": {"count": 1}}, {"second": {"count": 11}}]


@pytest.mark.timeout(30)
def test_leaving_a_stream_while_a_node_runs_stops_it_through_its_cleanup_route():
    import asyncio

    from graphstage import get_stream_writer

    ran = []

    async def slow(state: Counter):
        get_stream_writer()("slow started")
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            ran.append("slow answered the stop")
            raise
        return {"count": 99}

    builder = StateGraph(Counter)
    builder.add_node("first", lambda s: {"count": 1})
    builder.add_node("slow", slow, on_cancel="cleanup")
    builder.add_node("cleanup", lambda s: ran.append("cleanup") or {"count": -1})
    builder.add_edge(START, "first")
    builder.add_edge("first", "slow")
    stream = builder.compile().stream({}, stream_mode=["updates", "custom"])
    assert next(stream) == ("updates", {"first": {"count": 1}})
    assert ran == []  # held: slow starts only once the next chunk is asked for
    assert next(stream) == ("custom", "slow started")
    stream.close()  # as a `break` out of the for loop does: a stop, slow is running
    assert ran == ["slow answered the stop", "cleanup"]


@pytest.mark.timeout(30)
def test_leaving_a_stream_between_steps_ends_the_run_there_as_langgraph():
    from graphstage.checkpoint.memory import InMemorySaver

    ran = []

    def node(name: str):
        def run(state: Counter):
            ran.append(name)
            return {"count": state.count + 1}

        return run

    builder = StateGraph(Counter)
    builder.add_node("a", node("a"))
    builder.add_node("b", node("b"), on_cancel="cleanup")
    builder.add_node("cleanup", node("cleanup"))
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    held = []
    for chunk in graph.stream({}, config, stream_mode="values"):
        # where the thread is while the consumer holds each chunk: the run goes on only
        # when the next chunk is asked for
        state = graph.get_state(config)
        held.append((chunk["count"], state.next, list(ran)))
        if chunk["count"] == 1:
            break
    assert held == [(0, ("a",), []), (1, ("b",), ["a"])]
    # b never started, so no stop reached it: no cleanup route; the thread goes on from b
    assert ran == ["a"]
    assert graph.get_state(config).next == ("b",)
    assert graph.invoke(None, config)["count"] == 2
    assert ran == ["a", "b"]


@pytest.mark.anyio
async def test_the_sync_api_works_where_an_event_loop_runs_already():
    # a notebook's cell runs inside an event loop; LangGraph's invoke/stream/batch work there
    graph = chain(2)
    assert graph.invoke({})["count"] == 2
    assert list(graph.stream({}, stream_mode="updates")) == [
        {"n0": {"count": 1}},
        {"n1": {"count": 2}},
    ]
    assert [r["count"] for r in graph.batch([{}, {"count": 5}])] == [2, 7]
