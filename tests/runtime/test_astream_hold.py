"""``astream()`` holds its run while the consumer handles a chunk (``graphstage._hold``), and
neither a stop nor a consumer that goes away leaves the run hanging: a stop still reaches
the running node and its cleanup route, a dropped or closed stream ends the run. (Where a
held run stands at each chunk, compared with LangGraph: tests/compat/programs/astream_*.)"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import operator
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import START, Command, StateGraph
from graphstage.checkpoint.memory import InMemorySaver


class S(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def seed(ran: list[str], cleaned: asyncio.Event) -> Any:
    """The seed story: ``work`` writes lines until stopped, then routes to ``cleanup``."""

    async def work(state: S, writer: Any) -> Any:
        try:
            for i in range(10_000):
                writer(i)
                await asyncio.sleep(0.002)
        except asyncio.CancelledError:
            ran.append("work saw the stop")
            return Command(goto="cleanup", update={"log": ["work"]})
        return {}

    async def cleanup(state: S) -> Any:
        ran.append("cleanup")
        cleaned.set()
        return {"log": ["cleanup"]}

    builder = StateGraph(S)
    builder.add_node("work", work)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "work")
    return builder.compile(checkpointer=InMemorySaver(), cancel_grace=5.0, kill_timeout=0.5)


def chain(ran: list[str], names: str = "abc", fan_out: bool = False) -> Any:
    def node(name: str) -> Any:
        async def run(state: S) -> Any:
            ran.append(name)
            return {"log": [name]}

        return run

    builder = StateGraph(S)
    for name in names:
        builder.add_node(name, node(name))
    builder.add_edge(START, names[0])
    if fan_out:  # names[0] -> every other name, in one step
        for name in names[1:]:
            builder.add_edge(names[0], name)
    else:
        for a, b in itertools.pairwise(names):
            builder.add_edge(a, b)
    return builder.compile(checkpointer=InMemorySaver())


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_a_consumer_cancelled_while_it_holds_a_chunk_still_reaches_cleanup() -> None:
    # the consumer's task is cancelled in its own code (not in the stream): the stream is
    # dropped, which stops the run, and the stop reaches the running node as ever
    ran: list[str] = []
    cleaned = asyncio.Event()
    graph = seed(ran, cleaned)
    holding = asyncio.Event()
    config = {"configurable": {"thread_id": "cancelled"}}

    async def consume() -> None:
        async for _ in graph.astream({}, config, stream_mode="custom"):
            holding.set()
            await asyncio.Event().wait()  # handles its chunk forever

    task = asyncio.create_task(consume())
    await asyncio.wait_for(holding.wait(), 5)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await asyncio.wait_for(cleaned.wait(), 5)
    await asyncio.wait_for(graph.ainvoke(None, config), 5)  # the run has let go of the thread
    assert ran == ["work saw the stop", "cleanup"]
    assert graph.get_state(config).values == {"log": ["work", "cleanup"]}


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_a_break_while_a_node_runs_reaches_cleanup_without_aclose() -> None:
    # a plain break on a line the node wrote: nobody closes the stream, Python drops it;
    # the run is stopped then, and the stop reaches the node, which routes to cleanup
    ran: list[str] = []
    cleaned = asyncio.Event()
    graph = seed(ran, cleaned)
    config = {"configurable": {"thread_id": "dropped mid-node"}}
    async for chunk in graph.astream({}, config, stream_mode="custom"):
        if chunk == 2:
            break
    await asyncio.wait_for(cleaned.wait(), 5)
    await asyncio.wait_for(graph.ainvoke(None, config), 5)  # the run has let go of the thread
    assert ran == ["work saw the stop", "cleanup"]


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
@pytest.mark.parametrize("fan_out", [False, True], ids=["between steps", "before a step"])
async def test_a_dropped_stream_ends_its_run_and_the_thread_goes_on(fan_out: bool) -> None:
    # a plain break: the generator is collected, not closed by anyone; the run ends where
    # it is held (between steps, or before applying a step of several tasks) and the
    # thread can be continued at once, as LangGraph's
    ran: list[str] = []
    graph = chain(ran, fan_out=fan_out)
    config = {"configurable": {"thread_id": "dropped"}}
    async for _ in graph.astream({"log": []}, config, durability="sync"):
        break
    gc.collect()
    assert ran == ["a"]
    final = await asyncio.wait_for(graph.ainvoke(None, config), 5)
    assert sorted(final["log"]) == ["a", "b", "c"]
    assert sorted(ran) == ["a", "b", "c"]  # each node once


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_aclose_of_a_held_stream_returns_with_the_run_ended_there() -> None:
    ran: list[str] = []
    graph = chain(ran)
    config = {"configurable": {"thread_id": "closed"}}
    stream = graph.astream({"log": []}, config, durability="sync")
    assert await anext(stream) == {"a": {"log": ["a"]}}
    await asyncio.wait_for(stream.aclose(), 5)
    assert ran == ["a"]
    state = graph.get_state(config)
    assert (state.values, state.next) == ({"log": ["a"]}, ("b",))


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_ainvoke_with_a_stream_mode_is_not_held() -> None:
    # ainvoke reads the chunks itself: the same chunks, all of them
    ran: list[str] = []
    graph = chain(ran)
    config = {"configurable": {"thread_id": "invoked"}}
    chunks = await graph.ainvoke({"log": []}, config, stream_mode="updates")
    assert chunks == [{"a": {"log": ["a"]}}, {"b": {"log": ["b"]}}, {"c": {"log": ["c"]}}]


@pytest.mark.anyio
@pytest.mark.timeout(10)
async def test_a_reader_cancelled_while_waiting_leaves_the_others_reading(wait_until: Any) -> None:
    # readers of run.events() wait on one shared future (no shield: no extra loop turn);
    # one reader's cancellation cancels it, and the others only look again
    release = asyncio.Event()

    async def slow(state: S) -> Any:
        await release.wait()
        return {"log": ["slow"]}

    builder = StateGraph(S)
    builder.add_node("slow", slow)
    builder.add_edge(START, "slow")
    run = builder.compile().start({"log": []})

    async def read() -> list[str]:
        return [event.kind async for event in run.events()]

    first, second = asyncio.create_task(read()), asyncio.create_task(read())
    await wait_until(lambda: run._waiter is not None)  # both parked on the shared future
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    release.set()
    kinds = await asyncio.wait_for(second, 5)
    assert kinds[-1] == "run_finished" and "node_finished" in kinds


@pytest.mark.anyio
@pytest.mark.timeout(10)
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_the_next_step_runs_on_the_consumers_stack_which_gets_its_task_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the consumer asking for the next chunk resumes the held supervisor there and then
    # (graphstage._hold.resume: no loop turn); every task is itself again afterwards
    from graphstage import _hold

    resumed: list[Any] = []
    real = _hold._Steps.__call__

    def spy(self: Any, callback: Any, *args: Any, context: Any = None) -> None:
        resumed.append(callback)
        real(self, callback, *args, context=context)

    monkeypatch.setattr(_hold._Steps, "__call__", spy)
    tasks: list[Any] = []

    def node(name: str) -> Any:
        async def run(state: S) -> Any:
            tasks.append(asyncio.current_task())
            return {"log": [name]}

        return run

    builder = StateGraph(S)
    for name in "abc":
        builder.add_node(name, node(name))
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "c")
    graph = builder.compile()
    me = asyncio.current_task()
    chunks = []
    async for chunk in graph.astream({"log": []}):
        assert asyncio.current_task() is me
        chunks.append(chunk)
    assert chunks == [{"a": {"log": ["a"]}}, {"b": {"log": ["b"]}}, {"c": {"log": ["c"]}}]
    assert len(resumed) >= 2  # b's and c's steps started on the consumer's stack
    assert me not in tasks and len(set(map(id, tasks))) == 3  # each node in its own task
