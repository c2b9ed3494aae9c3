"""The SQLite saver never makes the event loop wait for the disk (issue 11).

Its writes go to the journal's writer thread: while another process holds the file locked
the loop keeps turning, the run ends with its true status, every read already sees what was
written before it, and the checkpoints land, in order, once the lock is released. A run on a
thread waits (off the loop) until its claim of the thread is in the file before its first
node: that claim is what keeps two processes from continuing one thread. A write the
file refuses (locked beyond the timeout, the disk full, the file deleted) is named in the
run's result, never a hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import operator
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from graphstage import START, Journal, SqliteSaver, StateGraph, interrupt
from graphstage.checkpoint._base import ThreadCheckpoint, new_checkpoint_id, now_iso

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]


class State(TypedDict):
    log: Annotated[list, operator.add]


def config(thread: str) -> dict:
    return {"configurable": {"thread_id": thread}}


def chain(
    saver: SqliteSaver, steps: int = 4, *, ask: bool = False, gate: asyncio.Event | None = None
) -> Any:
    """START -> n0 -> ... ; n0 waits for ``gate`` first, if given (by then the run's claim
    of its thread is written: a run starts no node before)."""

    def make(i: int) -> Any:
        async def node(state: State) -> dict:
            if gate is not None and i == 0:
                await gate.wait()
            if ask and i == steps - 1:
                return {"log": [f"n{i}={interrupt('ok?')}"]}
            return {"log": [f"n{i}"]}

        return node

    builder = StateGraph(State)
    for i in range(steps):
        builder.add_node(f"n{i}", make(i))
        builder.add_edge(START if i == 0 else f"n{i - 1}", f"n{i}")
    return builder.compile(checkpointer=saver, name="chain")


@contextlib.contextmanager
def locked(db: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the file's write lock (as another process would)."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


def on_disk(db: Path) -> list[tuple[str, int, str]]:
    """The thread checkpoints committed to the file, in the order written."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT thread_id, step, source FROM thread_checkpoints ORDER BY seq"
        ).fetchall()


class Heartbeat:
    """A task that ticks as long as the loop turns."""

    def __init__(self) -> None:
        self.ticks = 0
        self.task = asyncio.create_task(self._beat())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(0.005)
            self.ticks += 1

    async def keeps_ticking(self, wait_until: Any, beats: int = 5) -> None:
        start = self.ticks
        await wait_until(lambda: self.ticks >= start + beats, timeout=10)


def history(graph: Any, thread: str) -> list[tuple]:
    return [
        (s.metadata["step"], s.metadata["source"], s.next, s.values["log"])
        for s in graph.get_state_history(config(thread))
    ]


async def test_a_run_with_the_file_locked_keeps_the_loop_turning_and_lands_after_the_lock(
    tmp_path: Path, wait_until: Any
) -> None:
    db = tmp_path / "j.sqlite3"
    saver = SqliteSaver(Journal(db, timeout=30))
    gate = asyncio.Event()
    graph = chain(saver, gate=gate)
    beat = Heartbeat()
    try:
        run = graph.start({"log": ["in"]}, config("t"))
        await wait_until(lambda: any(e.kind == "node_started" for e in run.event_log))
        with locked(db) as other:
            gate.set()  # the rest of the run goes on while the file is locked
            async for event in run.events():
                if event.kind == "run_finished":
                    break
            await beat.keeps_ticking(wait_until)  # the writer waits for the lock, not the loop
            assert not run.done  # its result waits for its rows to be on disk
            # read-your-writes: every checkpoint is seen before it is on disk
            state = graph.get_state(config("t"))
            assert (state.values["log"], state.next) == (["in", "n0", "n1", "n2", "n3"], ())
            seen = history(graph, "t")
            assert [s[0] for s in seen] == [4, 3, 2, 1, 0, -1]
            assert [(i.thread_id, i.status) for i in saver.threads()] == [("t", "done")]
            assert on_disk(db) == [("t", -1, "input"), ("t", 0, "loop")]  # before the lock
            other.execute("ROLLBACK")
            result = await asyncio.wait_for(run.result(), 20)
        assert (result.status, result.journal_error) == ("completed", None)
        assert on_disk(db) == [("t", step, src) for step, src, *_ in reversed(seen)]
        assert history(graph, "t") == seen
        assert [(i.thread_id, i.status) for i in saver.threads()] == [("t", "done")]
    finally:
        beat.task.cancel()
        saver.journal.close()


async def test_a_lock_held_beyond_the_timeout_is_named_and_the_rows_land_later(
    tmp_path: Path, wait_until: Any
) -> None:
    db = tmp_path / "j.sqlite3"
    saver = SqliteSaver(Journal(db, timeout=0.1))
    graph = chain(saver, ask=True)
    with locked(db):
        result = await asyncio.wait_for(graph.start({"log": []}, config("t")).result(), 20)
        assert result.status == "paused"
        assert "database is locked; another process holds it locked" in str(result.journal_error)
        # the thread waits at its interrupt, as far as this process can tell
        assert graph.get_state(config("t")).next == ("n3",)
        assert on_disk(db) == []
    await saver.aflush()  # tried again once the lock is gone
    assert len(on_disk(db)) == 5
    # and the thread, now on disk, is answered by a fresh process
    saver.journal.close()
    with SqliteSaver(str(db)) as fresh:
        again = chain(fresh, ask=True)
        from graphstage import Command

        done = await asyncio.wait_for(again.start(Command(resume="yes"), config("t")).result(), 20)
        assert done.state["log"] == ["n0", "n1", "n2", "n3=yes"]


async def test_a_full_disk_is_named_in_the_result_and_the_status_stays_true(
    tmp_path: Path,
) -> None:
    db = tmp_path / "j.sqlite3"
    saver = SqliteSaver(Journal(db))
    with saver.journal.connection("test: capping the file") as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on any growth
    graph = chain(saver)
    result = await asyncio.wait_for(graph.start({"log": ["x" * 100_000]}, config("t")).result(), 20)
    assert result.status == "completed"
    assert "the disk is full" in str(result.journal_error)
    assert graph.get_state(config("t")).values["log"][-1] == "n3"
    saver.journal.close()


def delete(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


async def test_a_journal_deleted_mid_run_is_named_in_the_result(tmp_path: Path) -> None:
    db = tmp_path / "j.sqlite3"
    saver = SqliteSaver(Journal(db))
    gate, started = asyncio.Event(), asyncio.Event()

    async def wait(state: State) -> dict:
        started.set()
        await gate.wait()
        return {"log": ["waited"]}

    builder = StateGraph(State)
    builder.add_node("wait", wait)
    builder.add_edge(START, "wait")
    graph = builder.compile(checkpointer=saver)
    run = graph.start({"log": []}, config("t"))
    await started.wait()  # its first checkpoints are queued
    delete(db)
    gate.set()
    result = await asyncio.wait_for(run.result(), 20)
    assert result.status == "completed"
    assert "was deleted or replaced" in str(result.journal_error)
    saver.journal.close()


def checkpoint(thread: str, step: int, parent: str | None, **extra: Any) -> ThreadCheckpoint:
    return ThreadCheckpoint(
        thread_id=thread,
        checkpoint_id=new_checkpoint_id(),
        parent_id=parent,
        step=step,
        source="loop",
        values={"step": step},
        next=("n",),
        created_at=now_iso(),
        run_id=f"run-{thread}",
        **extra,
    )


def reads(saver: SqliteSaver) -> Any:
    """Everything a reader can ask, in a comparable form."""
    return (
        [(c.thread_id, c.step, c.writes) for c in saver.list(None)],
        [c.step for c in saver.list(config("a"), limit=2)],
        [
            c.step
            for c in saver.list(config("a"), before=saver.get_tuple(config("a")).config)  # type: ignore[union-attr]
        ],
        [(i.thread_id, i.status, i.checkpoints, i.runs) for i in saver.threads()],
        saver.run_checkpoint("run-b").step,  # type: ignore[union-attr]
        [c.step for c in saver.list({"configurable": {"thread_id": "a", "checkpoint_ns": "s"}})],
        [c.step for c in saver.list({"configurable": {"thread_id": "a", "checkpoint_id": "a1"}})],
        saver.get_tuple({"configurable": {"thread_id": "a", "checkpoint_ns": "s"}}).step,  # type: ignore[union-attr]
    )


def test_reads_before_the_writes_land_equal_the_reads_after(tmp_path: Path) -> None:
    db = tmp_path / "j.sqlite3"
    saver = SqliteSaver(Journal(db, timeout=30))
    first = checkpoint("a", 0, None)
    saver.put(first)
    saver.flush()  # one row on disk, to be updated while the file is locked
    with locked(db) as other:
        second = replace(checkpoint("a", 1, first.checkpoint_id), checkpoint_id="a1")
        saver.put(second)
        saver.put(checkpoint("b", 0, None))
        saver.put(checkpoint("a", 7, None, checkpoint_ns="s"))  # a subgraph's: not a thread
        saver.put(first.with_pending(writes={"x": {"update": 1}}))  # an update keeps its place
        doomed = checkpoint("c", 0, None)
        saver.put(doomed)
        saver.delete_thread("c")
        assert saver.claim("a", "run-a") is None
        assert saver.claim("a", "run-other") == "run-a"  # this process's claim, not yet on disk
        # a second saver on the same journal sees the same pending writes
        twin = SqliteSaver(saver.journal)
        before = reads(saver)
        assert reads(twin) == before
        assert before[0] == [
            ("a", 7, {}),
            ("b", 0, {}),
            ("a", 1, {}),
            ("a", 0, {"x": {"update": 1}}),
        ]
        assert before[1:3] == ([1, 0], [0])
        assert before[5:] == ([7], [1], 7)  # (a checkpoint_id lists that one only)
        assert before[3] == [("b", "idle", 1, ("run-b",)), ("a", "busy", 2, ("run-a",))]
        assert on_disk(db) == [("a", 0, "loop")]
        other.execute("ROLLBACK")
        saver.flush()
    assert on_disk(db) == [("a", 0, "loop"), ("a", 1, "loop"), ("b", 0, "loop"), ("a", 7, "loop")]
    assert reads(saver) == before
    saver.release("a", "run-a")
    assert saver.threads()[1].status == "idle"
    saver.journal.close()


async def test_a_run_on_a_thread_waits_for_its_claim_while_the_file_is_locked(
    tmp_path: Path, wait_until: Any
) -> None:
    from graphstage import Command

    db = tmp_path / "j.sqlite3"
    saver = SqliteSaver(Journal(db, timeout=30))
    graph = chain(saver, ask=True)
    beat = Heartbeat()

    async def until_finished(run: Any) -> str:
        async for event in run.events():
            if event.kind == "run_finished":
                return str(event.status)
        raise AssertionError("no run_finished")

    try:
        with locked(db) as other:
            first = graph.start({"log": []}, config("t"))
            await beat.keeps_ticking(wait_until)  # it waits for its claim, the loop does not
            # a run on a thread starts no node before its claim is in the file: no other
            # process can be continuing the thread
            assert [e.kind for e in first.event_log] == ["run_started"]
            other.execute("ROLLBACK")
            assert await until_finished(first) == "paused"
        await saver.aflush()
        with locked(db) as other:
            # the continuation's claim waits for the lock too; answered once it is gone
            second = graph.start(Command(resume="yes"), config("t"))
            await beat.keeps_ticking(wait_until)
            assert [e.kind for e in second.event_log] == ["run_started"]
            assert graph.get_state(config("t")).next == ("n3",)
            other.execute("ROLLBACK")
            assert await until_finished(second) == "completed"
            results = await asyncio.wait_for(asyncio.gather(first.result(), second.result()), 20)
        assert [r.status for r in results] == ["paused", "completed"]
        assert [r.journal_error for r in results] == [None, None]
        assert [s[0] for s in on_disk(db)] == ["t"] * 6
        assert history(graph, "t")[0][3] == ["n0", "n1", "n2", "n3=yes"]
    finally:
        beat.task.cancel()
        saver.journal.close()


async def test_a_saver_on_another_file_than_the_runs_journal_is_awaited_and_named(
    tmp_path: Path,
) -> None:
    saves, runs = tmp_path / "threads.sqlite3", tmp_path / "runs.sqlite3"
    saver = SqliteSaver(Journal(saves, timeout=0.1))
    journal = Journal(runs)
    graph = chain(saver)
    with locked(saves):
        result = await asyncio.wait_for(
            graph.start({"log": []}, config("t"), journal=journal).result(), 20
        )
    assert result.status == "completed"
    assert f"run journal {saves}" in str(result.journal_error)
    assert [r.status for r in journal.runs()] == ["completed"]  # the run's own journal: whole
    await saver.aflush()
    assert len(on_disk(saves)) == 6
    saver.journal.close()
    journal.close()


def test_a_value_json_cannot_hold_is_stored_as_a_marker_not_an_error(tmp_path: Path) -> None:
    with SqliteSaver(str(tmp_path / "j.sqlite3")) as saver:
        saver.put(checkpoint("s", 0, None).with_pending(writes={"n": {"update": "\ud800"}}))
        saver.flush()
        (stored,) = saver.list(config("s"))
    assert stored.writes == {"n": {"update": {"$unserialisable": "\\ud800", "type": "str"}}}


def test_an_open_sqlite_connection_names_the_file_the_saver_opens_again(tmp_path: Path) -> None:
    db = tmp_path / "j.sqlite3"
    SqliteSaver(str(db)).close()  # a journal file
    conn = sqlite3.connect(db)
    with SqliteSaver(conn) as saver:
        assert Path(saver.path) == db
        saver.put(checkpoint("c", 0, None))
    conn.close()
    assert on_disk(db) == [("c", 0, "loop")]


def test_damaged_thread_checkpoint_rows_are_read_as_damaged_never_raised(tmp_path: Path) -> None:
    db = tmp_path / "j.sqlite3"
    SqliteSaver(str(db)).close()
    rows = [
        ("t-json", "", "c1", None, "r1", 0, "loop", "now", "not json", "[]", "{}"),
        ("t-next", "", "c2", None, "r2", 0, "loop", "now", "{}", "5", "{}"),
        ("t-kind", "", "c3", None, "r3", "x", "bogus", "now", "[]", "[]", '{"answers": 3}'),
        ("t-deep", "", "c4", None, "r4", 0, "loop", "now", "[" * 5000 + "]" * 5000, "[]", "{}"),
    ]
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.executemany(
            "INSERT INTO thread_checkpoints (thread_id, checkpoint_ns, checkpoint_id, "
            'parent_id, run_id, step, source, created_at, "values", next, pending) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    with SqliteSaver(str(db)) as saver:
        threads = saver.threads()
        listed = list(saver.list(None))
    assert sorted(t.thread_id for t in threads) == ["t-deep", "t-json", "t-kind", "t-next"]
    assert len(listed) == 4
    for info in threads:
        assert "checkpoint row cannot be read" in info.head.values["$damaged"]
        assert (info.head.next, info.status) == ((), "done")
