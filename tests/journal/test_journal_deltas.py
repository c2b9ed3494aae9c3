"""The journal writes what changed: deltas, occasional snapshots, and every checkpoint rebuilt
from them equal to the state the run had; old journals are migrated; the loop never waits."""

from __future__ import annotations

import asyncio
import json
import operator
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import END, START, Journal, StateGraph, StateUpdated

pytestmark = pytest.mark.anyio


class Chat(TypedDict):
    messages: Annotated[list[dict[str, str]], operator.add]
    turns: int
    note: str


async def reply(state: Chat) -> dict[str, Any]:
    turn = state["turns"] + 1
    update: dict[str, Any] = {
        "messages": [{"role": "ai", "content": f"reply {turn}"}],
        "turns": turn,
    }
    if turn % 3 == 0:
        update["note"] = f"every third: {turn}"
    return update


def chat_graph(steps: int) -> Any:
    builder = StateGraph(Chat)
    for i in range(steps):
        builder.add_node(f"n{i}", reply)
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{steps - 1}", END)
    return builder.compile(name="chat")


def start_state(n: int) -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": f"message {i}"} for i in range(n)],
        "turns": 0,
        "note": "",
    }


async def run_and_expect(graph: Any, inp: dict[str, Any], journal: Journal) -> tuple[Any, list]:
    """Run with the journal; return the run and the state after every step, rebuilt from
    the events the run published (RunStarted's input, then each StateUpdated's delta)."""
    run = graph.start(inp, {"recursion_limit": 100}, journal=journal)
    expected = []
    values: dict[str, Any] = {}
    async for event in run.events():
        if event.kind == "run_started":  # type: ignore[attr-defined]
            values = dict(event.input)  # type: ignore[attr-defined]
        elif isinstance(event, StateUpdated):
            values = event.apply(values)
            expected.append((event.step, values, event.next))
    result = await run.result()
    assert result.status == "completed"
    assert expected[-1][1] == result.state
    return run, expected


def rows(path: Path, run_id: str) -> list[tuple[int, bool]]:
    with closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute(
            'SELECT step, "values" IS NOT NULL FROM checkpoints WHERE run_id = ? ORDER BY step',
            (run_id,),
        ).fetchall()


@pytest.mark.parametrize("snapshot_bytes", [0, 10**9])
async def test_every_checkpoint_rebuilt_from_deltas_equals_the_runs_state(
    tmp_path: Path, snapshot_bytes: int
) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path, snapshot_bytes=snapshot_bytes) as journal:
        run, expected = await run_and_expect(chat_graph(40), start_state(20), journal)
        checkpoints = journal.checkpoints(run.run_id)
        assert [(c.step, c.values, c.next) for c in checkpoints] == expected
        last = journal._rebuild(run.run_id, every=False)
        assert [(c.step, c.values, c.next) for c in last] == [expected[-1]]
    snapshots = [step for step, full in rows(path, run.run_id) if full]
    if snapshot_bytes:
        assert snapshots == []  # all deltas: rebuilt from the input
    else:  # a snapshot once the deltas since the last one outweigh it, so some, not all
        assert 0 < len(snapshots) < 40


async def test_resume_of_an_interrupted_run_starts_from_the_rebuilt_last_checkpoint(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    graph = chat_graph(12)
    with Journal(path, snapshot_bytes=0) as journal:
        run, expected = await run_and_expect(graph, start_state(5), journal)
    with closing(sqlite3.connect(path)) as conn, conn:  # as if the process had died after step 7
        conn.execute("DELETE FROM checkpoints WHERE step > 7")
        conn.execute("UPDATE runs SET status = 'interrupted'")
    with Journal(path) as journal:
        checkpoint = journal.resume(run.run_id)
        assert (checkpoint.step, checkpoint.values, checkpoint.next) == expected[6]
        resumed = await graph.resume(checkpoint, {"recursion_limit": 100}, journal=journal).result()
    assert resumed.state == expected[-1][1]


async def test_the_file_grows_by_the_update_not_the_state(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    inp = start_state(2000)
    state_bytes = len(json.dumps(inp))
    with Journal(path) as journal:
        run, _ = await run_and_expect(chat_graph(60), inp, journal)
    with closing(sqlite3.connect(path)) as conn, conn:
        (written,) = conn.execute(
            "SELECT (SELECT sum(length(data)) FROM events WHERE run_id = :run AND seq > 0 "
            "AND kind != 'run_finished') + "
            '(SELECT coalesce(sum(length("values")), 0) FROM checkpoints WHERE run_id = :run)',
            {"run": run.run_id},
        ).fetchone()
    # 60 steps of events and checkpoints, besides the input and the final state (written
    # once each): a few hundred bytes a step, far from 60 copies of a ~100 kB state
    assert state_bytes > 80_000
    assert written < 60 * 2_000


async def test_a_version_1_journal_is_migrated_and_still_read(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(
            """
            CREATE TABLE runs (run_id TEXT PRIMARY KEY, graph TEXT NOT NULL, spec TEXT,
                status TEXT NOT NULL, started REAL NOT NULL, finished REAL, input TEXT,
                resumed_from TEXT, error TEXT, steps INTEGER NOT NULL DEFAULT 0, next TEXT,
                final_values TEXT, pid INTEGER, host TEXT, heartbeat REAL);
            CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL,
                kind TEXT NOT NULL, time REAL NOT NULL, data TEXT NOT NULL,
                PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
            CREATE TABLE checkpoints (run_id TEXT NOT NULL, step INTEGER NOT NULL,
                "values" TEXT NOT NULL, next TEXT NOT NULL, time REAL NOT NULL,
                PRIMARY KEY (run_id, step)) WITHOUT ROWID;
            INSERT INTO runs (run_id, graph, status, started, input, steps, next)
                VALUES ('old', 'chat', 'cancelled', 1.0, '{"turns": 0}', 2, '["n2"]');
            INSERT INTO events VALUES ('old', 0, 'state_updated', 2.0,
                '{"run_id": "old", "seq": 0, "time": 2.0, "kind": "state_updated",
                  "step": 1, "update": {"turns": 1}, "values": {"turns": 1}, "next": ["n1"]}');
            INSERT INTO checkpoints VALUES ('old', 1, '{"turns": 1}', '["n1"]', 2.0);
            INSERT INTO checkpoints VALUES ('old', 2, '{"turns": 2}', '["n2"]', 3.0);
            PRAGMA user_version = 1;
            """
        )
    with Journal(path) as journal:
        assert [(c.step, c.values, c.next) for c in journal.checkpoints("old")] == [
            (1, {"turns": 1}, ("n1",)),
            (2, {"turns": 2}, ("n2",)),
        ]
        [event] = journal.events("old")
        assert isinstance(event, StateUpdated) and event.update == {"turns": 1}
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)


@pytest.mark.timeout(30)
async def test_a_locked_file_never_stalls_the_loop_at_a_runs_end(tmp_path: Path) -> None:
    """The run's end is written by the writer thread while the loop runs on; the run
    settles once it is on disk."""
    path = tmp_path / "journal.sqlite3"
    with Journal(path, timeout=20.0) as journal:
        graph = chat_graph(3)
        await graph.start(start_state(1), journal=journal).result()  # the file exists
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            finished = asyncio.Event()

            def sink(event: Any) -> None:
                if event.kind == "run_finished":
                    finished.set()

            run = graph.start(start_state(1), journal=journal)
            run._supervisor._sinks.append(sink)  # type: ignore[union-attr]
            await asyncio.wait_for(finished.wait(), 10)  # the loop was not blocked by it
            for _ in range(50):  # and it keeps turning while the writer waits for the lock
                await asyncio.sleep(0)
            assert not run.done  # not settled before its end is on disk
        finally:
            blocker.execute("COMMIT")
            blocker.close()
        result = await asyncio.wait_for(run.result(), 20)
        assert result.status == "completed" and result.journal_error is None
        assert journal.run(run.run_id).status == "completed"
