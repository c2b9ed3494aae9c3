"""The run journal: what it stores, how it opens, recovers and resumes. No Qt, no processes."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from graphstage import (
    END,
    START,
    Checkpoint,
    Command,
    Journal,
    JournalError,
    StateGraph,
    _journal,
    dump_event,
)
from graphstage.app.loader import load_graph
from graphstage.journal import _recovery

pytestmark = pytest.mark.anyio

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "stop_and_cleanup.py"


class Count(BaseModel):
    n: int = 0
    log: list[str] = []


def chain(*names: str, block: asyncio.Event | None = None, block_at: str = "") -> Any:
    """START -> names... -> END; each node adds one to ``n`` and its name to ``log``;
    the node ``block_at`` first waits for ``block``."""
    builder = StateGraph(Count)

    def make(name: str) -> Any:
        async def node(state: Count) -> dict[str, Any]:
            if name == block_at and block is not None:
                await block.wait()
            return {"n": state.n + 1, "log": [*state.log, name]}

        return node

    for name in names:
        builder.add_node(name, make(name))
    builder.add_edge(START, names[0])
    for a, b in itertools.pairwise(names):
        builder.add_edge(a, b)
    builder.add_edge(names[-1], END)
    return builder.compile(name="chain")


@pytest.fixture
def journal(tmp_path: Path) -> Any:
    with Journal(tmp_path / "journal.sqlite3") as j:
        yield j


# -- contents --------------------------------------------------------------------------


async def test_journal_holds_exactly_the_events_the_run_streamed(journal: Journal) -> None:
    graph = load_graph(f"{EXAMPLE}:graph")
    run = graph.start({"sleep_seconds": 3}, journal=journal)
    streamed = []
    async for event in run.events():
        streamed.append(event)
        if event.kind == "custom_output":  # type: ignore[attr-defined]
            run.stop(reason="test")
    stored = journal.events(run.run_id)
    assert [e.seq for e in stored] == list(range(len(streamed)))
    assert [dump_event(e) for e in stored] == [dump_event(e) for e in streamed]
    assert stored[-1].status == "cancelled"  # type: ignore[attr-defined]
    assert stored[-1].values["result"] == "cleanup"  # type: ignore[attr-defined]


async def test_a_checkpoint_is_written_after_every_step(journal: Journal) -> None:
    run = chain("a", "b", "c").start({}, journal=journal)
    await run.result()
    checkpoints = journal.checkpoints(run.run_id)
    assert [(c.step, c.values["n"], c.next) for c in checkpoints] == [
        (1, 1, ("b",)),
        (2, 2, ("c",)),
        (3, 3, ()),
    ]


async def test_the_runs_table_records_a_finished_run(journal: Journal) -> None:
    graph = chain("a", "b")
    journal.remember_spec(graph, "somewhere.py:graph")
    run = graph.start({"n": 5}, journal=journal)
    await run.result()
    [record] = journal.runs()
    assert (record.run_id, record.graph, record.spec, record.status, record.steps) == (
        run.run_id,
        "chain",
        "somewhere.py:graph",
        "completed",
        2,
    )
    assert record.input == {"n": 5, "log": []}
    assert record.values == {"n": 7, "log": ["a", "b"]}
    assert record.duration is not None and record.duration >= 0


async def test_an_in_memory_journal_works_for_tests() -> None:
    with Journal(":memory:") as journal:
        run = chain("a").start({}, journal=journal)
        await run.result()
        assert [r.status for r in journal.runs()] == ["completed"]


async def test_a_run_is_found_by_a_unique_prefix_of_its_id(journal: Journal) -> None:
    graph = chain("a")
    for run_id in ("abc111", "abc222"):
        await graph.start({}, {"run_id": run_id}, journal=journal).result()
    assert journal.run("abc1").run_id == "abc111"
    with pytest.raises(KeyError, match="ambiguous"):
        journal.run("abc")
    with pytest.raises(KeyError, match="no run 'zzz'"):
        journal.run("zzz")


async def test_events_are_on_disk_before_the_run_ends(
    journal: Journal,
    tmp_path: Path,
    wait_until: Any,
) -> None:
    gate = asyncio.Event()
    run = chain("a", "b", block=gate, block_at="b").start({}, journal=journal)

    def started_b() -> bool:
        other = sqlite3.connect(tmp_path / "journal.sqlite3")
        try:
            return bool(
                other.execute(
                    "SELECT 1 FROM events WHERE run_id = ? AND kind = 'node_started' "
                    "AND data LIKE '%\"b\"%'",
                    (run.run_id,),
                ).fetchone()
            )
        finally:
            other.close()

    await wait_until(started_b)  # the flush timer wrote it: no RunFinished needed
    gate.set()
    await run.result()


# -- opening ---------------------------------------------------------------------------


def test_a_new_journal_gets_the_current_schema_version_in_wal_mode(tmp_path: Path) -> None:
    Journal(tmp_path / "j.sqlite3").close()
    conn = sqlite3.connect(tmp_path / "j.sqlite3")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == _journal.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()  # an unclosed connection is a ResourceWarning (an error in the tests)
    assert {"runs", "events", "checkpoints"} <= tables


def test_a_journal_from_a_newer_release_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {_journal.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError, match="newer graphstage") as info:
        Journal(path)
    assert str(path) in str(info.value)


def test_a_corrupt_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(JournalError, match="corrupt") as info:
        Journal(path)
    assert str(path) in str(info.value)


def test_a_locked_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(JournalError, match="locked") as info:
            Journal(path, timeout=0.1)
        assert str(path) in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- crash recovery --------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _fake_running(path: Path, run_id: str, pid: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO runs (run_id, graph, status, started, input, pid, host, heartbeat) "
        "VALUES (?, 'chain', 'running', 1.0, '{}', ?, ?, strftime('%s','now'))",
        (run_id, pid, _journal.socket.gethostname()),
    )
    conn.close()


def test_a_running_run_of_a_dead_process_is_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal(path).close()
    _fake_running(path, "dead", _dead_pid())
    _fake_running(path, "alive", 1 if _journal._pid_alive(1) else __import__("os").getpid())
    with Journal(path) as journal:
        assert journal.recovered == ["dead"]
        assert journal.run("dead").status == "interrupted"
        assert journal.run("alive").status == "running"  # another process's live run


async def test_resume_finishes_an_interrupted_run_from_its_checkpoint(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wait_until: Any,
) -> None:
    path = tmp_path / "j.sqlite3"
    gate = asyncio.Event()
    writer = Journal(path)
    run = chain("a", "b", "c", block=gate, block_at="b").start({}, journal=writer)
    await wait_until(lambda: len(writer.checkpoints(run.run_id)) == 1)
    writer.close()  # the "crash": nothing more of this run reaches the journal
    run.kill()
    await run.result()

    monkeypatch.setattr(_recovery, "_pid_alive", lambda pid: False)
    with Journal(path) as journal:
        assert journal.run(run.run_id).status == "interrupted"
        checkpoint = journal.resume(run.run_id)
        assert checkpoint == Checkpoint(run.run_id, 1, {"n": 1, "log": ["a"]}, ("b",))
        resumed = chain("a", "b", "c").resume(checkpoint, journal=journal)
        result = await resumed.result()
        assert result.status == "completed"
        assert result.path == ("b", "c")
        assert result.state.log == ["a", "b", "c"]
        record = journal.run(resumed.run_id)
        assert (record.resumed_from, record.status) == (run.run_id, "completed")


async def test_resume_of_a_run_interrupted_before_any_step_starts_at_the_entry(
    journal: Journal,
    wait_until: Any,
) -> None:
    gate = asyncio.Event()
    run = chain("a", "b", block=gate, block_at="a").start({"n": 3}, journal=journal)
    await wait_until(lambda: len(journal.events(run.run_id)) >= 3)
    journal._db.execute("UPDATE runs SET status = 'interrupted'")
    assert journal.resume(run.run_id) == Checkpoint(run.run_id, 0, {"n": 3, "log": []}, ("a",))
    run.kill()
    await run.result()


async def test_a_cancelled_run_resumes_at_the_step_its_stop_prevented(journal: Journal) -> None:
    builder = StateGraph(Count)

    async def a(state: Count) -> dict[str, Any]:
        return {"n": 1}

    async def slow(state: Count) -> Command:
        await asyncio.sleep(30)  # re-raises the stop's CancelledError: no route, ends
        return Command(goto=END)

    builder.add_node("a", a)
    builder.add_node("slow", slow)
    builder.add_edge(START, "a")
    builder.add_edge("a", "slow")
    graph = builder.compile(name="stoppable")
    run = graph.start({}, journal=journal)
    async for event in run.events():
        if event.kind == "node_started" and event.node == "slow":  # type: ignore[attr-defined]
            run.stop()
    assert (await run.result()).status == "cancelled"
    # step 2 was the stopped one: its checkpoint keeps the state and names slow as next
    assert journal.resume(run.run_id) == Checkpoint(run.run_id, 2, {"n": 1, "log": []}, ("slow",))


async def test_a_completed_run_cannot_be_resumed(journal: Journal) -> None:
    run = chain("a").start({}, journal=journal)
    await run.result()
    with pytest.raises(JournalError, match="is completed"):
        journal.resume(run.run_id)


# -- write failures --------------------------------------------------------------------


async def test_a_failing_disk_write_is_reported_not_silent(
    journal: Journal,
    caplog: pytest.LogCaptureFixture,
) -> None:
    journal._db.execute("PRAGMA query_only = 1")  # every write now fails, as on a read-only disk
    with caplog.at_level(logging.ERROR, logger="graphstage.journal"):
        run = chain("a", "b").start({}, journal=journal)
        result = await run.result()
    assert result.status == "completed"  # the run itself goes on
    assert journal.error is not None
    assert journal.path in str(journal.error) and "read" in str(journal.error)
    assert result.journal_error is not None  # the caller is told, in the result
    assert any(journal.path in r.getMessage() for r in caplog.records)


async def test_ainvoke_callers_are_warned_when_the_journal_fails(journal: Journal) -> None:
    from graphstage import JournalWarning

    journal._db.execute("PRAGMA query_only = 1")  # every write now fails
    graph = chain("a")
    graph.journal = journal  # as compile(journal=...) does
    with pytest.warns(JournalWarning, match="was not fully journaled") as warned:
        assert (await graph.ainvoke({}))["n"] == 1
    assert [w.filename for w in warned] == [__file__]  # pointing at the caller's line
