"""The journal under faults: a lock held by another process, and what it stores."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, TypedDict

import pytest

from graphstage import START, Journal, StateGraph

pytestmark = pytest.mark.anyio


class S(TypedDict, total=False):
    x: Any


def one_node(fn: Any) -> Any:
    builder = StateGraph(S)
    builder.add_node("work", fn)
    builder.add_edge(START, "work")
    return builder.compile(name="one")


@pytest.mark.timeout(30)
async def test_a_locked_journal_keeps_the_loop_running_and_the_run_lands_once_unlocked(
    tmp_path: Path,
) -> None:
    db = tmp_path / "j.sqlite3"
    journal = Journal(db, timeout=10)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write lock
    try:
        run = one_node(lambda s: {"x": 1}).start({}, journal=journal)
        seen: list[tuple[str, bool]] = []
        async for event in run.events():
            if event.kind == "run_finished":
                # the loop runs while the writer thread waits for the lock: the run is not
                # settled yet (its result waits for the write), and reading does not block
                seen.append((event.kind, run.done))
                listed = journal.runs()
                seen.append((f"listed {len(listed)}", run.done))
                other.execute("ROLLBACK")
        result = await asyncio.wait_for(run.result(), 20)
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert seen == [("run_finished", False), ("listed 0", False)]
    assert (result.status, result.journal_error) == ("completed", None)
    assert [(r.run_id, r.status) for r in journal.runs()] == [(run.run_id, "completed")]
    journal.close()


@pytest.mark.timeout(30)
async def test_a_journal_locked_for_the_whole_run_reports_it_in_the_result(
    tmp_path: Path,
) -> None:
    db = tmp_path / "j.sqlite3"
    journal = Journal(db, timeout=0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = await asyncio.wait_for(
            one_node(lambda s: {"x": 1}).start({}, journal=journal).result(), 20
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.status == "completed"
    assert "database is locked; another process holds it locked" in str(result.journal_error)
    journal.close()


def test_which_runs_can_be_resumed_is_one_definition_shared_by_every_reader(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from graphstage import RESUMABLE_STATUSES, RunRecord
    from graphstage.app.__main__ import OVERVIEW
    from graphstage.app.cli import main

    def record(status: str, nxt: tuple[str, ...]) -> RunRecord:
        return RunRecord(
            run_id="r",
            graph="g",
            spec=None,
            status=status,
            started=0.0,
            finished=None,
            input=None,
            resumed_from=None,
            error=None,
            steps=1,
            next=nxt,
            values=None,
            pid=None,
        )

    statuses = ["running", "completed", *RESUMABLE_STATUSES]
    assert {s: record(s, ("work",)).resumable for s in statuses} == {
        s: s in RESUMABLE_STATUSES for s in statuses
    }
    assert {s: record(s, ()).resumable for s in statuses} == {
        s: s == "interrupted" for s in statuses
    }
    words = f"{', '.join(RESUMABLE_STATUSES[:-1])} or {RESUMABLE_STATUSES[-1]}"
    assert f"continue an {words} run" in OVERVIEW
    assert main(["resume", "--help"]) == 0
    assert f"Resume an {words} run" in capsys.readouterr().out


@pytest.mark.timeout(20)
async def test_a_long_run_beats_its_heartbeat_so_no_other_process_takes_it_as_dead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_until: Any
) -> None:
    from graphstage.journal import _recovery

    monkeypatch.setattr(_recovery, "HEARTBEAT_INTERVAL", 0.05)
    release = asyncio.Event()

    async def long(state: S) -> dict[str, Any]:
        await release.wait()
        return {"x": 1}

    db = tmp_path / "j.sqlite3"
    journal = Journal(db)
    run = one_node(long).start({}, journal=journal)

    def beats() -> list[float]:
        conn = sqlite3.connect(db)
        try:
            return [b for (b,) in conn.execute("SELECT heartbeat FROM runs") if b is not None]
        finally:
            conn.close()

    await wait_until(lambda: len(beats()) == 1)
    first = beats()[0]
    await wait_until(lambda: beats()[0] > first)  # beaten again while the run goes on
    release.set()
    await asyncio.wait_for(run.result(), 5)
    journal.close()


@pytest.mark.timeout(20)
async def test_a_read_from_a_thread_sees_the_live_runs_buffered_events(tmp_path: Path) -> None:
    release = asyncio.Event()

    async def long(state: S) -> dict[str, Any]:
        await release.wait()
        return {"x": 1}

    journal = Journal(tmp_path / "j.sqlite3", flush_interval=60.0)  # no timer flush in time
    run = one_node(long).start({}, journal=journal)
    async for event in run.events():
        if event.kind == "node_started":
            break
    # a thread with no event loop may wait for the disk: its read flushes the buffer first
    kinds = await asyncio.to_thread(lambda: [e.kind for e in journal.events(run.run_id)])
    assert "node_started" in kinds and not run.done
    release.set()
    await asyncio.wait_for(run.result(), 5)
    journal.close()


@pytest.mark.timeout(20)
async def test_events_reach_the_disk_while_the_run_goes_on(tmp_path: Path, wait_until: Any) -> None:
    release = asyncio.Event()

    async def long(state: S) -> dict[str, Any]:
        await release.wait()
        return {"x": 1}

    db = tmp_path / "j.sqlite3"
    journal = Journal(db, flush_interval=0.01)
    run = one_node(long).start({}, journal=journal)

    def on_disk() -> list[str]:
        conn = sqlite3.connect(db)
        try:
            return [k for (k,) in conn.execute("SELECT kind FROM events ORDER BY seq")]
        finally:
            conn.close()

    # the flush timer writes them: a crash now would lose nothing before this point
    await wait_until(lambda: "node_started" in on_disk(), timeout=3)  # the heartbeat: 5 s
    assert not run.done
    release.set()
    await asyncio.wait_for(run.result(), 5)
    journal.close()


@pytest.mark.timeout(20)
async def test_an_ambiguous_prefix_names_five_of_the_runs_it_matches(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        graph = one_node(lambda s: {"x": 1})
        for i in range(7):
            await graph.start({}, {"run_id": f"job-{i}"}, journal=journal).result()
        with pytest.raises(KeyError) as info:
            journal.run("job-")
        message = info.value.args[0]
        assert message.startswith("run id 'job-' is ambiguous (")
        assert message.count("job-") == 6  # the prefix asked for, and five of the matches


@pytest.mark.timeout(20)
async def test_a_sink_that_raises_is_reported_in_the_result_and_the_run_goes_on() -> None:
    class Broken:
        def sink_for(self, graph: Any, run: Any) -> Any:
            def sink(event: Any) -> None:
                if event.kind == "node_started":
                    raise OSError("disk on fire")

            return sink

    run = one_node(lambda s: {"x": 1}).start({}, journal=Broken())
    result = await asyncio.wait_for(run.result(), 5)
    assert (result.status, repr(result.journal_error)) == ("completed", "OSError('disk on fire')")


def test_an_unforeseen_sqlite_error_still_names_the_file_and_a_way_out(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        message = journal._explain("writing", sqlite3.OperationalError("disk I/O error"))
    assert message == (
        f"run journal {tmp_path / 'j.sqlite3'}: writing failed: disk I/O error; check the "
        f"file, or use another --db file (or GRAPHSTAGE_DB)"
    )
