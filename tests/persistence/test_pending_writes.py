"""A step that did not complete keeps the writes of its tasks that finished (LangGraph's
pending writes): a node that failed, or a kill, leaves the thread at the checkpoint before
the step, and continuing it runs only the tasks that did not finish — on both savers."""

from __future__ import annotations

import asyncio
import operator
from pathlib import Path
from typing import Annotated, TypedDict

import pytest

from graphstage import START, Command, InMemorySaver, Send, SqliteSaver, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def config(thread: str) -> dict:
    return {"configurable": {"thread_id": thread}}


def fan_out(saver, calls: list[str], fails: list[int], steady_done: asyncio.Event):
    """START -> fan -> (flaky, steady) -> join [flaky, steady] -> tail; flaky fails (while
    ``fails[0]``) once steady has finished."""

    async def fan(state):
        calls.append("fan")
        return {"log": ["fan"]}

    async def flaky(state):
        calls.append("flaky")
        if fails[0]:
            await steady_done.wait()
            fails[0] -= 1
            raise ValueError("flaky failed")
        return {"log": ["flaky"]}

    async def steady(state):
        calls.append("steady")
        steady_done.set()
        return {"log": ["steady"]}

    async def tail(state):
        calls.append("tail")
        return {"log": ["tail"]}

    builder = StateGraph(State)
    for name, fn in (("fan", fan), ("flaky", flaky), ("steady", steady), ("tail", tail)):
        builder.add_node(name, fn)
    builder.add_edge(START, "fan")
    builder.add_edge("fan", "flaky")
    builder.add_edge("fan", "steady")
    builder.add_edge(["flaky", "steady"], "tail")
    return builder.compile(checkpointer=saver)


@pytest.fixture(params=["memory", "sqlite"])
def saver_factory(request, tmp_path: Path):
    """A saver, and how to open the same threads again (a restart, for SQLite)."""
    opened: list[SqliteSaver] = []
    if request.param == "memory":
        memory = InMemorySaver()
        yield lambda: memory
    else:

        def open_file() -> SqliteSaver:
            opened.append(SqliteSaver(tmp_path / "threads.sqlite3"))
            return opened[-1]

        yield open_file
    for saver in opened:
        saver.close()


async def test_a_failed_branch_is_the_only_task_run_again(saver_factory) -> None:
    calls: list[str] = []
    fails = [1]
    graph = fan_out(saver_factory(), calls, fails, asyncio.Event())
    with pytest.raises(ValueError, match="flaky failed"):
        await graph.ainvoke({"log": []}, config("f"))
    assert calls == ["fan", "flaky", "steady"]

    # a new saver on the same file: the pending write is in the file, not in memory
    graph = fan_out(saver_factory(), calls, fails, asyncio.Event())
    state = graph.get_state(config("f"))
    # as LangGraph's live snapshot: steady's write applied, only flaky still to run
    assert (state.values, state.next, state.metadata["step"]) == (
        {"log": ["fan", "steady"]},
        ("flaky",),
        1,
    )
    assert sorted((t.name, t.error, t.result) for t in state.tasks) == [
        ("flaky", "ValueError('flaky failed')", None),
        ("steady", None, {"log": ["steady"]}),
    ]
    # the same checkpoint in the history is a record of the step: both its tasks
    record = next(s for s in graph.get_state_history(config("f")) if s.metadata["step"] == 1)
    assert (record.values, record.next) == ({"log": ["fan"]}, ("flaky", "steady"))

    graph = fan_out(saver_factory(), calls, fails, asyncio.Event())
    assert await graph.ainvoke(None, config("f")) == {"log": ["fan", "flaky", "steady", "tail"]}
    assert calls == ["fan", "flaky", "steady", "flaky", "tail"]
    assert [(s.metadata["step"], s.next) for s in graph.get_state_history(config("f"))] == [
        (3, ()),
        (2, ("tail",)),
        (1, ("flaky", "steady")),
        (0, ("fan",)),
        (-1, ("__start__",)),
    ]


async def test_a_sibling_cancelled_by_a_failure_is_recorded_and_runs_again() -> None:
    calls: list[str] = []
    fails = [1]

    async def broken(state):
        calls.append("broken")
        if fails[0]:
            fails[0] -= 1
            raise RuntimeError("broken")
        return {"log": ["broken"]}

    async def slow(state):
        calls.append("slow")
        if calls.count("slow") == 1:
            await asyncio.Event().wait()  # cancelled when broken fails
        return {"log": ["slow"]}

    builder = StateGraph(State)
    builder.add_node("broken", broken)
    builder.add_node("slow", slow)
    builder.add_edge(START, "slow")
    builder.add_edge(START, "broken")
    graph = builder.compile(checkpointer=InMemorySaver())
    with pytest.raises(RuntimeError, match="broken"):
        await graph.ainvoke({"log": []}, config("c"))
    state = graph.get_state(config("c"))
    assert sorted((t.name, t.error) for t in state.tasks) == [
        ("broken", "RuntimeError('broken')"),
        ("slow", "CancelledError()"),
    ]
    assert sorted(state.next) == ["broken", "slow"]
    assert await graph.ainvoke(None, config("c")) == {"log": ["broken", "slow"]}


async def test_a_killed_step_keeps_the_writes_of_the_nodes_that_finished(
    saver_factory, wait_until
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()
    graph = two_branches(saver_factory(), calls, gate)
    run = graph.start({"log": []}, config("k"))
    await wait_until(lambda: sorted(calls) == ["quick", "stuck"])
    await wait_until(lambda: any(e.kind == "node_finished" for e in run.event_log))
    run.kill()
    assert (await run.result()).status == "killed"
    state = graph.get_state(config("k"))
    assert (state.values, state.next) == ({"log": ["quick"]}, ("stuck",))

    gate.set()
    assert await graph.ainvoke(None, config("k")) == {"log": ["quick", "stuck", "after"]}
    assert sorted(calls) == ["after", "quick", "stuck", "stuck"]


def two_branches(saver, calls: list[str], gate: asyncio.Event):
    """START -> (quick, stuck) -> join -> after; stuck waits for ``gate``."""

    async def quick(state):
        calls.append("quick")
        return {"log": ["quick"]}

    async def stuck(state):
        calls.append("stuck")
        await gate.wait()
        return {"log": ["stuck"]}

    async def after(state):
        calls.append("after")
        return {"log": ["after"]}

    builder = StateGraph(State)
    for name, fn in (("quick", quick), ("stuck", stuck), ("after", after)):
        builder.add_node(name, fn)
    builder.add_edge(START, "quick")
    builder.add_edge(START, "stuck")
    builder.add_edge(["quick", "stuck"], "after")
    return builder.compile(checkpointer=saver)


async def test_a_finished_tasks_write_is_saved_when_it_finishes_not_when_the_step_ends(
    saver_factory, wait_until
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()
    saver = saver_factory()
    graph = two_branches(saver, calls, gate)
    run = graph.start({"log": []}, config("w"))
    await wait_until(lambda: any(e.kind == "node_finished" for e in run.event_log))
    if isinstance(saver, SqliteSaver):
        await saver.aflush()  # on disk: a second saver on the file (a restart) reads it
    state = two_branches(saver_factory(), [], gate).get_state(config("w"))
    # while stuck still runs: quick's write applied, stuck still next (LangGraph's too)
    assert (state.values, state.next) == ({"log": ["quick"]}, ("stuck",))
    assert [(t.name, t.result) for t in state.tasks] == [
        ("quick", {"log": ["quick"]}),
        ("stuck", None),
    ]
    gate.set()
    assert (await run.result()).status == "completed"
    assert calls == ["quick", "stuck", "after"]
    # the step's checkpoint keeps what each task returned, as LangGraph's history shows
    record = next(s for s in graph.get_state_history(config("w")) if s.metadata["step"] == 0)
    assert [(t.name, t.result) for t in record.tasks] == [
        ("quick", {"log": ["quick"]}),
        ("stuck", {"log": ["stuck"]}),
    ]


async def test_a_fork_from_a_past_step_runs_all_its_tasks_again(saver_factory) -> None:
    calls: list[str] = []
    gate = asyncio.Event()
    gate.set()
    graph = two_branches(saver_factory(), calls, gate)
    await graph.ainvoke({"log": []}, config("f"))
    past = next(s for s in graph.get_state_history(config("f")) if s.metadata["step"] == 0)
    calls.clear()
    # its tasks' writes are a record of the step, not pending: a fork runs them, as
    # LangGraph's time travel does
    assert await graph.ainvoke(None, past.config) == {"log": ["quick", "stuck", "after"]}
    assert sorted(calls) == ["after", "quick", "stuck"]


async def test_deleting_a_thread_deletes_its_tasks_writes(saver_factory, wait_until) -> None:
    gate = asyncio.Event()
    graph = two_branches(saver_factory(), [], gate)
    run = graph.start({"log": []}, config("d"))
    await wait_until(lambda: any(e.kind == "node_finished" for e in run.event_log))
    run.kill()
    await run.result()
    saver = saver_factory()
    saver.delete_thread("d")
    assert saver.get_tuple(config("d")) is None
    if isinstance(saver, SqliteSaver):
        saver.flush()
        with saver.journal.connection("test") as db:  # type: ignore[union-attr]
            assert db.execute("SELECT count(*) FROM thread_writes").fetchone() == (0,)


async def test_a_damaged_task_write_is_left_out_and_its_task_runs_again(
    tmp_path: Path, wait_until
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()
    saver = SqliteSaver(tmp_path / "damaged.sqlite3")
    try:
        graph = two_branches(saver, calls, gate)
        run = graph.start({"log": []}, config("x"))
        await wait_until(lambda: any(e.kind == "node_finished" for e in run.event_log))
        run.kill()
        await run.result()
        await saver.aflush()
        with saver.journal.connection("test") as db:  # type: ignore[union-attr]
            # as after a SIGKILL (the kill also kept the write in the checkpoint's row)
            db.execute(
                "UPDATE thread_checkpoints SET pending = json_set(pending, '$.writes', json('{}'))"
            )
            db.execute("UPDATE thread_writes SET value = '{not json'")
        fresh = SqliteSaver(saver.path)
        try:
            graph = two_branches(fresh, calls, gate)
            assert graph.get_state(config("x")).next == ("quick", "stuck")
            gate.set()
            assert await graph.ainvoke(None, config("x")) == {"log": ["quick", "stuck", "after"]}
            assert sorted(calls) == ["after", "quick", "quick", "stuck", "stuck"]
        finally:
            fresh.close()
    finally:
        saver.close()


async def test_a_branch_its_error_handler_answered_is_kept_as_the_handlers_update(
    saver_factory, wait_until
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()

    async def flaky(state):
        calls.append("flaky")
        raise ValueError("flaky failed")

    async def handled(state):
        calls.append("handler")
        return {"log": ["handled"]}

    async def stuck(state):
        calls.append("stuck")
        await gate.wait()
        return {"log": ["stuck"]}

    builder = StateGraph(State)
    builder.add_node("flaky", flaky, error_handler=handled)
    builder.add_node("stuck", stuck)
    builder.add_edge(START, "flaky")
    builder.add_edge(START, "stuck")
    graph = builder.compile(checkpointer=saver_factory())
    run = graph.start({"log": []}, config("h"))
    await wait_until(lambda: "handler" in calls)
    run.kill()
    await run.result()
    graph = builder.compile(checkpointer=saver_factory())  # (SQLite: read from the file)
    assert graph.get_state(config("h")).values == {"log": ["handled"]}
    gate.set()
    assert await graph.ainvoke(None, config("h")) == {"log": ["handled", "stuck"]}
    assert calls == ["flaky", "handler", "stuck", "stuck"]


async def test_a_finished_branchs_command_with_sends_is_kept_and_routed_on_continuation(
    saver_factory, wait_until
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()

    async def mapper(state):
        calls.append("mapper")
        return Command(goto=[Send("worker", 1), Send("worker", 2)])

    async def worker(arg):
        calls.append(f"worker {arg}")
        return {"log": [f"w{arg}"]}

    async def stuck(state):
        calls.append("stuck")
        await gate.wait()
        return {"log": ["stuck"]}

    builder = StateGraph(State)
    builder.add_node("mapper", mapper, destinations=("worker",))
    builder.add_node("worker", worker)
    builder.add_node("stuck", stuck)
    builder.add_edge(START, "mapper")
    builder.add_edge(START, "stuck")
    graph = builder.compile(checkpointer=saver_factory())
    run = graph.start({"log": []}, config("s"))
    await wait_until(lambda: "mapper" in calls and "stuck" in calls)
    await wait_until(lambda: any(e.kind == "node_finished" for e in run.event_log))
    run.kill()
    await run.result()
    graph = builder.compile(checkpointer=saver_factory())  # (SQLite: read from the file)
    gate.set()
    assert await graph.ainvoke(None, config("s")) == {"log": ["stuck", "w1", "w2"]}
    assert sorted(calls) == ["mapper", "stuck", "stuck", "worker 1", "worker 2"]
