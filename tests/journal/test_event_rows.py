"""The writer thread inserts a batch's events several thousand to a statement (so that it
lets go of the GIL once per statement, not once per row): every row lands, in order, a
later row of the same (run, seq) replacing an earlier one as row-by-row inserts did."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, TypedDict

import pytest

from graphstage import START, Journal, StateGraph
from graphstage.journal._writer import _EVENT_ROWS, _insert_events

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]


def test_every_row_lands_in_statements_of_each_size() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, "
        "time REAL NOT NULL, data TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID"
    )
    count = sum(_EVENT_ROWS) + 3  # a statement of every size, and three more single rows
    rows: list[tuple[str, int, str, float, Any]] = [
        ("r", seq, "custom_output", float(seq), f'"line {seq}"') for seq in range(count)
    ]
    rows.append(("r", 7, "custom_output", 7.5, '"seq 7 again"'))  # later: replaces seq 7
    try:
        _insert_events(conn, rows)
        stored = conn.execute("SELECT seq, data FROM events ORDER BY seq").fetchall()
    finally:
        conn.close()
    assert [seq for seq, _ in stored] == list(range(count))
    assert stored[7] == (7, '"seq 7 again"')
    assert stored[-1] == (count - 1, f'"line {count - 1}"')


class Count(TypedDict):
    n: int


async def test_a_node_writing_ten_thousand_lines_has_each_journaled_in_order(
    tmp_path: Path,
) -> None:
    async def chatty(state: Count, writer: Any) -> dict[str, int]:
        for i in range(10_000):
            writer(i)
            if i % 1000 == 999:
                await asyncio.sleep(0)
        return {"n": 1}

    builder = StateGraph(Count)
    builder.add_node("chatty", chatty)
    builder.add_edge(START, "chatty")
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = builder.compile().start({"n": 0}, journal=journal)
        assert (await run.result()).status == "completed"
        events = journal.events(run.run_id)
    lines = [e.data for e in events if e.kind == "custom_output"]  # type: ignore[attr-defined]
    assert lines == list(range(10_000))
    assert [e.seq for e in events] == list(range(len(events)))
