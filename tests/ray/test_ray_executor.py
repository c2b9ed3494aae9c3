"""Nodes on Ray hosts keep the stop contract: Stop -> the node's Command -> cleanup.

One local Ray (two hosts) serves the whole module. See conftest.py for where these run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")

from graphstage import (
    END,
    START,
    Command,
    CustomOutput,
    GraphError,
    NodeStarted,
    Send,
    StateGraph,
    Transition,
)
from graphstage.ray import NodeLostError, RayExecutor

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(120)]


@pytest.fixture
async def ray_pool(executor):
    yield executor
    await executor.wait_idle()  # no cancel or host restart left behind on this test's loop


class Story(BaseModel):
    sleep_seconds: int = Field(gt=0)
    result: str | None = None


async def work_stage(state: Story, writer):
    writer(f"pid {os.getpid()}")
    try:
        for second in range(state.sleep_seconds):
            await asyncio.sleep(1)
            writer(f"working: {second + 1}/{state.sleep_seconds} s")
    except asyncio.CancelledError:
        writer("cancellation detected")
        return Command(goto="cleanup_stage")
    return Command(goto=END, update={"result": "done"})


async def cleanup_stage(state: Story, writer):
    writer(f"cleanup pid {os.getpid()}")
    return {"result": "cleanup"}


def story(executor: RayExecutor):
    builder = StateGraph(Story)
    builder.add_node("work_stage", work_stage)
    builder.add_node("cleanup_stage", cleanup_stage)
    builder.add_edge(START, "work_stage")
    return builder.compile(cancel_grace=5.0, executor=executor)


async def first_line(run, prefix: str) -> str:
    async for event in run.events():
        if isinstance(event, CustomOutput) and str(event.data).startswith(prefix):
            return str(event.data)
    raise AssertionError(f"the run ended without a line starting with {prefix!r}")


async def test_stop_reaches_the_nodes_command_and_cleanup_on_a_ray_host(ray_pool):
    run = story(ray_pool).start({"sleep_seconds": 60})
    pid = int((await first_line(run, "pid ")).split()[1])
    run.stop()
    result = await asyncio.wait_for(run.result(), 30)
    events = [e async for e in run.events()]

    assert pid != os.getpid()
    assert result.status == "cancelled"
    assert result.path == ("work_stage", "cleanup_stage")
    assert result.state.result == "cleanup"
    lines = [e.data for e in events if isinstance(e, CustomOutput)]
    assert lines[0] == f"pid {pid}", lines
    assert lines[1:] == ["cancellation detected", lines[-1]], lines
    assert lines[-1].startswith("cleanup pid ") and lines[-1] != f"cleanup pid {os.getpid()}"
    moves = [(e.src, e.dst, e.reason, e.after_stop) for e in events if isinstance(e, Transition)]
    assert moves == [
        ("__start__", "work_stage", "edge", False),
        ("work_stage", "cleanup_stage", "command", True),
        ("cleanup_stage", "__end__", "edge", True),
    ]
    where = [e.where for e in events if isinstance(e, NodeStarted)]
    assert all(w.startswith("ray host ") for w in where), where


async def test_a_cancel_that_reaches_a_host_before_its_execution_is_kept_for_it():
    import ray.cloudpickle

    from graphstage.executors._ray_host import NodeHost

    host = NodeHost(0)
    function = ("story", [ray.cloudpickle.dumps(work_stage)])
    assert await host.cancel("x") is False  # nothing runs as "x" yet
    kind, lines, reply = await host.run(
        "x", "work_stage", function, ("as is", Story(sleep_seconds=5)), 1, "r", {}
    )
    assert (kind, lines) == ("reply", [f"pid {os.getpid()}", "cancellation detected"])
    assert reply.value == Command(goto="cleanup_stage")
    assert reply.answered_cancel is True


async def test_a_stop_sent_with_the_execution_still_reaches_the_nodes_command(ray_pool):
    # the Cancel may reach the host before the execution does: it is kept for it
    graph = story(ray_pool)
    for _ in range(5):
        run = graph.start({"sleep_seconds": 60})
        run.stop()
        result = await asyncio.wait_for(run.result(), 30)
        lines = [e.data async for e in run.events() if isinstance(e, CustomOutput)]
        assert result.path == ("work_stage", "cleanup_stage")
        assert lines[1] == "cancellation detected"


async def test_writer_lines_arrive_in_order_and_the_run_completes(ray_pool):
    async def chatty(state: Story, writer):
        for i in range(2000):  # over 10 ms: some lines come by the long poll, some after
            writer(i)
            if i % 200 == 0:
                await asyncio.sleep(0.002)
        return {"result": "done"}

    builder = StateGraph(Story)
    builder.add_node("chatty", chatty)
    builder.add_edge(START, "chatty")
    run = builder.compile(executor=ray_pool).start({"sleep_seconds": 1})
    result = await asyncio.wait_for(run.result(), 30)
    lines = [e.data async for e in run.events() if isinstance(e, CustomOutput)]
    assert (result.status, result.state.result) == ("completed", "done")
    assert lines == list(range(2000))


class FanOut(BaseModel):
    seen: Annotated[list[str], lambda a, b: a + b] = []


async def branch(state: FanOut, ctx):
    ctx.writer(f"{ctx.node} ready")
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        return Command(goto="cleanup", update={"seen": [f"{ctx.node} stopped"]})
    return {"seen": [f"{ctx.node} finished"]}


async def cleanup(state: FanOut):
    return {"seen": ["cleanup"]}


def fan_out(executor: RayExecutor):
    builder = StateGraph(FanOut)
    builder.add_node("left", branch)
    builder.add_node("right", branch)
    builder.add_node("cleanup", cleanup)
    builder.add_conditional_edges(START, lambda s: ["left", "right"], ["left", "right"])
    return builder.compile(executor=executor)


async def _until_ready(run, lines: set[str]):
    """The run's NodeStarted events, once every line in ``lines`` has been written."""
    seen = set()
    async for event in run.events():
        if isinstance(event, NodeStarted):
            yield event
        elif isinstance(event, CustomOutput):
            seen.add(event.data)
            if seen == lines:
                return
    raise AssertionError(f"the run ended before writing {lines - seen}")


async def test_stop_inside_a_fan_out_reaches_every_branch_and_one_cleanup(ray_pool):
    run = fan_out(ray_pool).start({})
    [e async for e in _until_ready(run, {"left ready", "right ready"})]
    run.stop()
    result = await asyncio.wait_for(run.result(), 30)
    assert result.status == "cancelled"
    assert result.path == ("left", "right", "cleanup")
    assert result.state.seen == ["left stopped", "right stopped", "cleanup"]
    where = [e.where async for e in run.events() if isinstance(e, NodeStarted)]
    assert {w.split(" (")[0] for w in where[:2]} == {"ray host 0", "ray host 1"}


class Mapped(BaseModel):
    items: list[int] = [1, 2]
    results: Annotated[list[str], lambda a, b: a + b] = []


async def mapped(arg: dict, writer):
    writer(f"ready {arg['item']}")
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        return Command(goto="cleanup", update={"results": [f"{arg['item']} stopped"]})
    return {"results": [f"{arg['item']} finished"]}


async def mapped_cleanup(state: Mapped):
    return {"results": ["cleanup"]}


async def test_stop_inside_send_branches_reaches_each_and_one_cleanup(ray_pool):
    builder = StateGraph(Mapped)
    builder.add_node("mapped", mapped)
    builder.add_node("cleanup", mapped_cleanup)
    builder.add_conditional_edges(
        START, lambda s: [Send("mapped", {"item": i}) for i in s.items], ["mapped"]
    )
    run = builder.compile(executor=ray_pool).start({})
    ready = set()
    async for event in run.events():
        if isinstance(event, CustomOutput):
            ready.add(event.data)
            if ready == {"ready 1", "ready 2"}:
                run.stop()
                break
    result = await asyncio.wait_for(run.result(), 30)
    assert result.status == "cancelled"
    assert result.path == ("mapped", "mapped", "cleanup")
    assert result.state.results == ["1 stopped", "2 stopped", "cleanup"]


def steady(state: Story, ctx):
    """A sync node: it is told (ctx.cancel_requested), never interrupted."""
    ctx.writer("started")
    ctx.wait_cancel(30)
    return {"result": "told" if ctx.cancel_requested else "timed out"}


async def test_drain_lets_the_node_finish_and_a_sync_node_is_told(ray_pool):
    async def quick(state: Story, writer):
        writer("started")
        await asyncio.sleep(0.2)
        return {"result": "finished"}

    builder = StateGraph(Story)
    builder.add_node("quick", quick)
    builder.add_node("steady", steady)
    builder.add_edge(START, "quick")
    builder.add_edge("quick", "steady")
    graph = builder.compile(executor=ray_pool)

    run = graph.start({"sleep_seconds": 1})
    await first_line(run, "started")
    run.stop(drain=True)
    result = await asyncio.wait_for(run.result(), 30)
    assert (result.status, result.state.result, result.next) == (
        "cancelled",
        "finished",
        ("steady",),
    )

    run = graph.start({"sleep_seconds": 1}, config={"recursion_limit": 5})
    events = []
    async for event in run.events():
        events.append(event)
        if isinstance(event, CustomOutput) and event.node == "steady":
            run.stop()
    result = await asyncio.wait_for(run.result(), 30)
    assert (result.status, result.state.result) == ("cancelled", "told")


async def stubborn(state: Story, ctx):
    """Swallows every cancellation: only killing its process ends it."""
    with open(ctx.config["starts"], "a") as starts:  # noqa: ASYNC230 (a one-line append)
        starts.write(f"{os.getpid()}\n")
    writer = ctx.writer
    writer(f"pid {os.getpid()}")
    while True:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            writer("cancel swallowed")


async def test_a_node_that_swallows_cancellation_is_killed_with_its_host_and_never_rerun(
    ray_pool, tmp_path, wait_until
):
    starts = tmp_path / "starts"
    builder = StateGraph(Story)
    builder.add_node("stubborn", stubborn)
    builder.add_edge(START, "stubborn")
    run = builder.compile(executor=ray_pool, cancel_grace=0.3).start(
        {"sleep_seconds": 1}, config={"starts": str(starts)}
    )
    pid = int((await first_line(run, "pid ")).split()[1])
    index = next(h.index for h in ray_pool.info if h.pid == pid)
    restarts = ray_pool.info[index].restarts
    # a bystander: another run with a branch on each host, one of them beside stubborn
    bystander = fan_out(ray_pool).start({})
    started = [e async for e in _until_ready(bystander, {"left ready", "right ready"})]
    sharing = next(e.node for e in started if e.where.startswith(f"ray host {index} "))

    run.stop()
    result = await asyncio.wait_for(run.result(), 30)
    assert result.status == "killed"
    assert result.path == ("stubborn",)

    await wait_until(lambda: ray_pool.info[index].restarts == restarts + 1, timeout=60)
    assert ray_pool.info[index].pid != pid
    assert ray_pool.incidents[-1] == (
        f"killed Ray host {index} to end node 'stubborn' (run {run.run_id}, step 1), which "
        f"did not end within kill_after=0.5s of being cancelled again; lost with it: "
        f"node '{sharing}' (run {bystander.run_id})"
    )
    lost = await asyncio.wait_for(bystander.result(), 30)
    assert lost.status == "failed"
    assert isinstance(lost.error, NodeLostError)
    assert str(lost.error).startswith(
        f"node '{sharing}' (step 1) was lost: its Ray host {index} was killed to end node "
        f"'stubborn' (run {run.run_id}, step 1)"
    )
    # the restarted host serves new runs, and the killed node was not run again
    again = await asyncio.wait_for(story(ray_pool).ainvoke({"sleep_seconds": 1}), 30)
    assert again["result"] == "done"
    assert starts.read_text().split() == [str(pid)]


async def test_a_host_killed_from_outside_is_a_named_failure_not_a_hang(ray_pool, wait_until):
    run = story(ray_pool).start({"sleep_seconds": 60})
    pid = int((await first_line(run, "pid ")).split()[1])
    index = next(h.index for h in ray_pool.info if h.pid == pid)
    os.kill(pid, signal.SIGKILL)
    result = await asyncio.wait_for(run.result(), 30)
    assert result.status == "failed"
    assert isinstance(result.error, NodeLostError)
    assert f"node 'work_stage' (step 1) was lost: its Ray host {index} died" in str(result.error)
    await wait_until(lambda: ray_pool.info[index].pid != pid, timeout=60)


def test_a_node_that_cannot_be_shipped_is_named_at_compile(executor):
    lock = threading.Lock()

    async def holds_a_lock(state: Story):
        with lock:
            return {"result": "locked"}

    builder = StateGraph(Story)
    builder.add_node("holds_a_lock", holds_a_lock)
    builder.add_edge(START, "holds_a_lock")
    with pytest.raises(GraphError, match="node 'holds_a_lock' cannot be shipped to a Ray host"):
        builder.compile(executor=executor)
    # placed locally, the same node runs
    builder = StateGraph(Story)
    from graphstage import LocalExecutor

    builder.add_node("holds_a_lock", holds_a_lock, executor=LocalExecutor())
    builder.add_edge(START, "holds_a_lock")
    assert builder.compile(executor=executor).invoke({"sleep_seconds": 1})["result"] == "locked"


def test_the_cli_runs_every_node_on_ray_hosts(executor, capsys):
    from graphstage.app.cli import main
    from graphstage.app.loader import EXAMPLES

    graph = f"{EXAMPLES / 'stop_and_cleanup.py'}:graph"
    code = main(["run", graph, "--input", '{"sleep_seconds": 1}', "--ray", "--no-journal"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "[step 1] work_stage started on ray host " in out
    assert f"pid {os.getpid()})" not in out
    assert 'final state: {"sleep_seconds": 1, "result": "done"}' in out
    assert "graphstage: Ray ready in " in err


def deaf(state: Story, ctx):
    """A sync node that ignores every stop: its thread only ends with its process."""
    ctx.writer(f"pid {os.getpid()}")
    while True:
        time.sleep(0.02)


async def test_a_sync_node_that_ignores_the_stop_ends_with_its_host(ray_pool, wait_until):
    builder = StateGraph(Story)
    builder.add_node("deaf", deaf)
    builder.add_edge(START, "deaf")
    run = builder.compile(executor=ray_pool, cancel_grace=0.3).start({"sleep_seconds": 1})
    pid = int((await first_line(run, "pid ")).split()[1])
    index = next(h.index for h in ray_pool.info if h.pid == pid)
    restarts = ray_pool.info[index].restarts
    run.stop()
    result = await asyncio.wait_for(run.result(), 30)
    assert result.status == "killed"
    await wait_until(lambda: ray_pool.info[index].restarts == restarts + 1, timeout=60)
    assert ray_pool.incidents[-1].startswith(
        f"killed Ray host {index} to end node 'deaf' (run {run.run_id}, step 1), whose worker "
        f"thread did not return when killed"
    )
