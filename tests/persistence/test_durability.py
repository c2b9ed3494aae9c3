"""``durability=`` on invoke/ainvoke/stream/astream, as LangGraph 1.x: when a thread's
checkpoints are saved. Read here from the file with a connection of its own (what another
process, or this one after a crash, would find); compared with LangGraph in
tests/compat/programs/durability_modes.py."""

from __future__ import annotations

import asyncio
import operator
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import START, InMemorySaver, SqliteSaver, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def config(thread: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}}


@pytest.fixture
def saver(tmp_path: Path) -> Iterator[SqliteSaver]:
    with SqliteSaver(tmp_path / "threads.sqlite3") as opened:
        yield opened


def on_disk(path: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """What the file holds, read as another process would (the saver's writes not yet
    committed are not seen)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(sql, params).fetchall()
    conn.close()
    return rows


def steps_on_disk(path: str, thread: str) -> list[int]:
    return [
        step
        for (step,) in on_disk(
            path, "SELECT step FROM thread_checkpoints WHERE thread_id = ? ORDER BY seq", thread
        )
    ]


def chain(saver: SqliteSaver, seen: list[Any]) -> Any:
    """START -> a -> b -> c; b records the thread's steps on disk when it starts."""

    async def a(state):
        return {"log": ["a"]}

    async def b(state):
        seen.append(steps_on_disk(saver.path, "t"))
        return {"log": ["b"]}

    async def c(state):
        return {"log": ["c"]}

    builder = StateGraph(State)
    for name, fn in (("a", a), ("b", b), ("c", c)):
        builder.add_node(name, fn)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "c")
    return builder.compile(checkpointer=saver)


async def test_sync_writes_each_steps_checkpoint_before_the_next_step_starts(
    saver: SqliteSaver,
) -> None:
    seen: list[Any] = []
    graph = chain(saver, seen)
    await graph.ainvoke({"log": []}, config("t"), durability="sync")
    # when b (step 2) started, the input, entry and step-1 checkpoints were in the file
    assert seen == [[-1, 0, 1]]
    assert steps_on_disk(saver.path, "t") == [-1, 0, 1, 2, 3]


class GatedSaver(InMemorySaver):
    """An in-memory saver whose checkpoints become durable only when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.landings: list[asyncio.Future[None]] = []

    def written(self) -> asyncio.Future[None]:
        landing = asyncio.get_running_loop().create_future()
        self.landings.append(landing)
        return landing


async def test_sync_starts_no_step_before_the_savers_write_has_landed(wait_until) -> None:
    calls: list[str] = []

    async def node(state):
        calls.append(state["log"][-1] if state["log"] else "a")
        return {"log": [f"after {len(calls)}"]}

    builder = StateGraph(State)
    builder.add_node("a", node)
    builder.add_node("b", node)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    saver = GatedSaver()
    graph = builder.compile(checkpointer=saver)
    run = graph.start({"log": []}, config("g"), durability="sync")
    for landed in range(2):  # the entry checkpoint, then a's step
        await wait_until(lambda n=landed: len(saver.landings) == n + 1)
        assert len(calls) == landed  # the next step waits for this write
        saver.landings[-1].set_result(None)
    await wait_until(lambda: len(saver.landings) == 3)  # b's step
    saver.landings[-1].set_result(None)
    await wait_until(lambda: len(saver.landings) == 4)  # the run's end waits for it too
    saver.landings[-1].set_result(None)
    assert (await run.result()).status == "completed"
    assert calls == ["a", "after 1"]


async def test_exit_saves_only_the_last_checkpoint_when_the_run_ends(
    saver: SqliteSaver,
) -> None:
    seen: list[Any] = []
    graph = chain(saver, seen)
    out = await graph.ainvoke({"log": []}, config("t"), durability="exit")
    assert out == {"log": ["a", "b", "c"]}
    assert seen == [[]]  # nothing of the run was saved while it ran
    assert steps_on_disk(saver.path, "t") == [3]
    [only] = list(graph.get_state_history(config("t")))
    assert (only.values, only.next, only.parent_config) == ({"log": ["a", "b", "c"]}, (), None)
    # the next run's last checkpoint follows it
    await graph.ainvoke({"log": []}, config("t"), durability="exit")
    newest = graph.get_state(config("t"))
    assert newest.parent_config == only.config


async def test_exit_keeps_a_killed_steps_finished_writes_and_writes_none_before(
    saver: SqliteSaver, wait_until
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()

    async def quick(state):
        calls.append("quick")
        return {"log": ["quick"]}

    async def stuck(state):
        calls.append("stuck")
        await gate.wait()
        return {"log": ["stuck"]}

    builder = StateGraph(State)
    builder.add_node("quick", quick)
    builder.add_node("stuck", stuck)
    builder.add_edge(START, "quick")
    builder.add_edge(START, "stuck")
    graph = builder.compile(checkpointer=saver)
    run = graph.start({"log": []}, config("k"), durability="exit")
    await wait_until(lambda: any(e.kind == "node_finished" for e in run.event_log))
    await saver.aflush()
    # quick has finished: under "exit" neither its write nor a checkpoint is in the file
    assert on_disk(saver.path, "SELECT count(*) FROM thread_writes") == [(0,)]
    assert steps_on_disk(saver.path, "k") == []
    run.kill()
    assert (await run.result()).status == "killed"
    assert steps_on_disk(saver.path, "k") == [0]  # saved as the run ended, with quick's write
    state = graph.get_state(config("k"))
    assert (state.values, state.next) == ({"log": ["quick"]}, ("stuck",))
    gate.set()
    assert await graph.ainvoke(None, config("k"), durability="exit") == {"log": ["quick", "stuck"]}
    assert sorted(calls) == ["quick", "stuck", "stuck"]


async def test_an_unknown_durability_is_refused_before_anything_runs(saver: SqliteSaver) -> None:
    seen: list[Any] = []
    graph = chain(saver, seen)
    with pytest.raises(ValueError, match="durability='later' is not one of 'sync', 'async'"):
        await graph.ainvoke({"log": []}, config("t"), durability="later")  # type: ignore[arg-type]
    assert seen == [] and graph.get_state(config("t")).values == {}


async def test_durability_without_a_checkpointer_changes_nothing() -> None:
    async def a(state):
        return {"log": ["a"]}

    builder = StateGraph(State)
    builder.add_node("a", a)
    builder.add_edge(START, "a")
    graph = builder.compile()
    for mode in ("sync", "async", "exit"):
        assert await graph.ainvoke({"log": []}, durability=mode) == {"log": ["a"]}  # type: ignore[arg-type]
    chunks = [c async for c in graph.astream({"log": []}, durability="exit")]
    assert chunks == [{"a": {"log": ["a"]}}]
