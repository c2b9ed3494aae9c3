"""A run keeps its lifecycle events and only its last ``writer()`` lines; a late reader
gets the lines it let go of from the journal, so its stream still has every event."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, TypedDict

import pytest

from graphstage import END, START, CustomOutput, Journal, Run, StateGraph

pytestmark = pytest.mark.anyio

LINES = 40


class S(TypedDict, total=False):
    n: int


def chatty_graph() -> Any:
    async def chatty(state: S, writer: Any) -> dict[str, int]:
        for i in range(LINES):
            writer({"line": i})
            if i % 7 == 6:
                await asyncio.sleep(0)
        return {"n": 1}

    async def after(state: S) -> dict[str, int]:
        return {"n": 2}

    builder = StateGraph(S)
    builder.add_node("chatty", chatty)
    builder.add_node("after", after)
    builder.add_edge(START, "chatty")
    builder.add_edge("chatty", "after")
    builder.add_edge("after", END)
    return builder.compile()


@pytest.fixture
def few_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Run, "LINES_KEPT", 5)


async def read_all(run: Run) -> list[Any]:
    return [event async for event in run.events()]


@pytest.mark.timeout(20)
async def test_a_run_keeps_only_its_last_lines_and_every_lifecycle_event(few_lines) -> None:
    run = chatty_graph().start({})
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "completed"
    log = run.event_log
    lines = [e.data["line"] for e in log if isinstance(e, CustomOutput)]
    assert 5 <= len(lines) <= 10
    assert lines == list(range(LINES - len(lines), LINES))  # the newest, in order
    kinds = [e.kind for e in log if not isinstance(e, CustomOutput)]
    assert kinds == [
        "run_started",
        "transition",
        "node_started",
        "node_finished",
        "state_updated",
        "transition",
        "node_started",
        "node_finished",
        "state_updated",
        "transition",
        "run_finished",
    ]
    seqs = [e.seq for e in log]
    assert seqs == sorted(seqs) and seqs[-1] == len(kinds) + LINES - 1


@pytest.mark.timeout(20)
async def test_without_a_journal_a_late_reader_sees_the_gap_in_seq(few_lines) -> None:
    run = chatty_graph().start({})
    await asyncio.wait_for(run.result(), 10)
    events = await asyncio.wait_for(read_all(run), 10)
    assert [e.seq for e in events] == [e.seq for e in run.event_log]
    assert len(events) < len(run.event_log) + LINES  # lines were let go of


@pytest.mark.timeout(20)
async def test_with_a_journal_a_late_reader_gets_every_line_in_order(
    few_lines, tmp_path: Path
) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = chatty_graph().start({}, journal=journal)
        await asyncio.wait_for(run.result(), 10)
        events = await asyncio.wait_for(read_all(run), 10)
        again = await asyncio.wait_for(read_all(run), 10)  # every reader, not only the first
    assert [e.seq for e in events] == list(range(len(events)))
    assert [e.data for e in events if isinstance(e, CustomOutput)] == [
        {"line": i} for i in range(LINES)
    ]
    assert [(e.seq, e.kind) for e in again] == [(e.seq, e.kind) for e in events]
    assert events[-1].kind == "run_finished" and events[-1].status == "completed"


@pytest.mark.timeout(20)
async def test_a_reader_that_starts_while_lines_are_written_gets_them_all(
    few_lines, tmp_path: Path
) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = chatty_graph().start({}, journal=journal)
        reader = asyncio.create_task(read_all(run))
        await asyncio.wait_for(run.result(), 10)
        events = await asyncio.wait_for(reader, 10)
    assert [e.seq for e in events] == list(range(len(events)))
    assert [e.data["line"] for e in events if isinstance(e, CustomOutput)] == list(range(LINES))


@pytest.mark.timeout(20)
async def test_events_not_read_as_they_come_are_the_same_when_read_later() -> None:
    """Without a journal or a reader, events are kept as records and built when read:
    the same fields, built once (a second read gives the same objects)."""
    run = chatty_graph().start({})
    await asyncio.wait_for(run.result(), 10)
    first, second = run.event_log, run.event_log
    assert all(a is b for a, b in zip(first, second, strict=True))
    assert [e.seq for e in first] == list(range(len(first)))
    assert {e.run_id for e in first} == {run.run_id}
    started = [e for e in first if e.kind == "node_started"]
    assert [(e.node, e.step, e.shielded, e.where, e.task) for e in started] == [
        ("chatty", 1, False, "", None),
        ("after", 2, False, "", None),
    ]
