"""Hostile nodes and faults in the runtime itself: every failure ends the run ``failed``
with a named error; nothing hangs, nothing ends the process or its event loop."""

from __future__ import annotations

import asyncio
import functools
import math
from typing import Any, TypedDict

import pytest

from graphstage import (
    START,
    Command,
    GraphError,
    InvalidUpdateError,
    NodeFailed,
    RunFinished,
    StateGraph,
)
from graphstage._errors import NodeCancelledError, NodeExitError

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("no_leftover_tasks")]


class S(TypedDict, total=False):
    x: int
    log: str


class Custom(BaseException):
    """Like pytest's ``Failed``: a BaseException that is not an Exception."""


def one_node(fn: Any, **compile_kw: Any) -> Any:
    builder = StateGraph(S)
    builder.add_node("work", fn)
    builder.add_node("cleanup", lambda s: {"log": "cleanup ran"})
    builder.add_edge(START, "work")
    return builder.compile(**{"cancel_grace": 2.0, **compile_kw})


BASE_EXCEPTIONS = [Custom("custom"), GeneratorExit(), SystemExit(3), KeyboardInterrupt()]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("sync", [False, True], ids=["async", "sync"])
@pytest.mark.parametrize("exc", BASE_EXCEPTIONS, ids=lambda e: type(e).__name__)
async def test_a_base_exception_from_a_node_fails_the_run_naming_it(exc, sync):
    async def async_node(s: S) -> None:
        raise exc

    def sync_node(s: S) -> None:
        raise exc

    run = one_node(sync_node if sync else async_node).start({})
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "failed"
    assert isinstance(result.error, NodeExitError)
    assert result.error.__cause__ is exc
    assert f"node 'work' raised {type(exc).__name__}(" in str(result.error)
    failed = [e for e in run.event_log if isinstance(e, NodeFailed)]
    assert [(e.node, e.error_type) for e in failed] == [("work", "NodeExitError")]
    assert isinstance(run.event_log[-1], RunFinished)
    assert run.event_log[-1].status == "failed"


@pytest.mark.timeout(10)
async def test_ainvoke_raises_the_named_error_not_the_system_exit():
    async def node(s: S) -> None:
        raise SystemExit(2)  # argparse inside a node

    with pytest.raises(NodeExitError, match=r"node 'work' raised SystemExit\(2\)"):
        await asyncio.wait_for(one_node(node).ainvoke({}), 5)


async def _work(s: S, entered: asyncio.Event) -> Any:
    try:
        entered.set()
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        return Command(goto="cleanup", update={"log": "work saw the Cancel"})
    return {"log": "not stopped"}


def _plain_wrapper(entered: asyncio.Event) -> Any:
    def wrapper(s: S) -> Any:
        return _work(s, entered)

    return wrapper


def _wraps_wrapper(entered: asyncio.Event) -> Any:
    async def work(s: S) -> Any:
        return await _work(s, entered)

    @functools.wraps(work)
    def wrapper(s: S) -> Any:
        return work(s)

    return wrapper


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "make",
    [lambda e: lambda s: _work(s, e), _plain_wrapper, _wraps_wrapper],
    ids=["lambda", "decorator", "decorator_with_wraps"],
)
async def test_an_async_node_behind_a_plain_callable_gets_the_cancel(make, wait_until):
    entered = asyncio.Event()
    run = one_node(make(entered)).start({})
    await asyncio.wait_for(entered.wait(), 5)
    run.stop()
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, result.path) == ("cancelled", ("work", "cleanup"))
    assert result.state == {"log": "cleanup ran"}
    finished = [e for e in run.event_log if e.kind == "node_finished" and e.node == "work"]
    assert finished[0].answered_cancel is True


@pytest.mark.timeout(10)
async def test_a_stop_while_a_sync_callable_builds_its_coroutine_reaches_the_coroutine():
    import threading

    in_thread, release = threading.Event(), threading.Event()
    entered = asyncio.Event()

    def wrapper(s: S) -> Any:
        in_thread.set()
        release.wait(5)
        return _work(s, entered)

    run = one_node(wrapper).start({})
    await asyncio.wait_for(asyncio.to_thread(in_thread.wait, 5), 6)
    run.stop()
    release.set()
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, result.path) == ("cancelled", ("work", "cleanup"))


@pytest.mark.timeout(10)
async def test_a_node_cancelling_itself_is_the_nodes_failure_not_the_callers():
    async def node(s: S) -> None:
        raise asyncio.CancelledError

    graph = one_node(node)
    with pytest.raises(NodeCancelledError, match="node 'work' raised CancelledError"):
        await asyncio.wait_for(graph.ainvoke({}), 5)
    assert not asyncio.current_task().cancelling()  # type: ignore[union-attr]


@pytest.mark.timeout(10)
async def test_a_fault_in_the_node_tasks_own_code_fails_the_run(monkeypatch):
    from graphstage._node import NodeSpec

    def broken(self: NodeSpec, state: Any, ctx: Any) -> Any:
        raise RuntimeError("wrapper bug")

    monkeypatch.setattr(NodeSpec, "call_args", broken)
    # a node that takes more than the state: its arguments are built by call_args
    run = one_node(lambda s, config: {"x": 1}).start({})
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "failed"
    assert str(result.error) == "wrapper bug"
    assert [(e.node, e.error) for e in run.event_log if isinstance(e, NodeFailed)] == [
        ("work", "wrapper bug")
    ]


@pytest.mark.timeout(10)
async def test_a_fault_while_the_supervisor_settles_still_settles_the_run(monkeypatch):
    from graphstage.supervisor import Supervisor

    async def broken(self: Supervisor, status: str, error: Any) -> None:
        raise RuntimeError("settling bug")

    monkeypatch.setattr(Supervisor, "_finish", broken)
    run = one_node(lambda s: {"x": 1}).start({})
    supervisor = run._supervisor
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, str(result.error)) == ("failed", "settling bug")
    assert run.event_log[-1].kind == "run_finished"
    assert supervisor._inbox.closed  # nothing left open behind the settled run


@pytest.mark.parametrize("name", ["cancel_grace", "kill_timeout", "cleanup_timeout"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0, 0, True, "5"], ids=repr)
async def test_compile_rejects_a_time_limit_that_is_not_a_finite_positive_number(name, value):
    builder = StateGraph(S)
    builder.add_node("work", lambda s: None)
    builder.add_edge(START, "work")
    with pytest.raises(GraphError, match=f"{name} must be a finite positive number"):
        builder.compile(**{name: value})


@pytest.mark.timeout(10)
@pytest.mark.parametrize("goto", [None, 5, object(), [1, 2], b"bytes"], ids=repr)
async def test_an_ill_typed_goto_fails_naming_the_node_and_what_goto_accepts(goto):
    run = one_node(lambda s: Command(goto=goto)).start({})
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "failed"
    assert isinstance(result.error, InvalidUpdateError)
    message = str(result.error)
    assert message.startswith(f"node 'work' returned Command(goto={goto!r}); goto accepts")
    failed = [e for e in run.event_log if isinstance(e, NodeFailed)]
    assert [(e.node, e.error_type, e.error) for e in failed] == [
        ("work", "InvalidUpdateError", message)
    ]
    assert not [e for e in run.event_log if e.kind == "node_finished"]


@pytest.mark.timeout(10)
# pairs in a Command are accepted, as in LangGraph; [1, 2] is not pairs (LangGraph drops such
# an update silently: graphstage names it)
@pytest.mark.parametrize("value", ["text", 7, [("x", 1)], Command(update=[1, 2])], ids=repr)
@pytest.mark.parametrize("stream_mode", [None, "updates", "values", ["updates", "custom"]])
async def test_astream_names_an_ill_typed_update_as_ainvoke_does(value, stream_mode):
    graph = one_node(lambda s: value)
    with pytest.raises(InvalidUpdateError) as invoked:
        await asyncio.wait_for(graph.ainvoke({}), 5)
    chunks: list[Any] = []
    with pytest.raises(InvalidUpdateError) as streamed:
        async for chunk in graph.astream({}, stream_mode=stream_mode):
            chunks.append(chunk)
    assert str(streamed.value) == str(invoked.value)
    assert "node 'work' returned" in str(invoked.value)
    assert all("work" not in c for c in chunks if isinstance(c, dict))


@pytest.mark.parametrize("limit", [None, 0, -3, 2.5, True, "25"], ids=repr)
async def test_an_invalid_recursion_limit_is_refused_at_start_naming_it(limit):
    graph = one_node(lambda s: None)
    with pytest.raises(ValueError, match=r"config\['recursion_limit'\] must be a whole number"):
        graph.start({}, {"recursion_limit": limit})


@pytest.mark.timeout(10)
async def test_a_cancellation_of_the_supervisor_after_a_kill_is_not_taken_for_a_stop():
    entered = asyncio.Event()

    async def node(s: S) -> None:
        entered.set()
        await asyncio.sleep(60)

    run = one_node(node).start({})
    await asyncio.wait_for(entered.wait(), 5)
    run.kill()
    run._supervisor.task.cancel()  # e.g. the loop shutting down right after the kill
    result = await asyncio.wait_for(run.result(), 5)
    assert result.status == "killed"
    assert [e.mode for e in run.event_log if e.kind == "stop_requested"] == ["kill"]
