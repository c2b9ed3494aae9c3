"""The journal tells the truth: what it stores for values JSON cannot hold, the final
status always written, and every reader handling damaged or crafted rows."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path
from typing import Any, TypedDict

import pytest

from graphstage import START, Journal, JournalError, StateGraph

from .crafted import CRAFTED_RUNS, craft

pytestmark = pytest.mark.anyio


class S(TypedDict, total=False):
    x: Any


class Card:
    def __repr__(self) -> str:
        return "<Card 4242>"


NON_JSON = {
    "object": (Card(), {"$unserialisable": "<Card 4242>", "type": f"{__name__}.Card"}),
    "bytes": (b"\xff\xfe", {"$unserialisable": "//4=", "type": "bytes (base64)"}),
    "surrogate": ("a\ud800b", {"$unserialisable": "a\\ud800b", "type": "str"}),
    "big_int": (10**5000, {"$unserialisable": "an integer of 5001 digits", "type": "int"}),
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", list(NON_JSON))
async def test_a_value_json_cannot_hold_is_stored_as_a_marker_and_the_run_ends(
    tmp_path: Path, name: str
) -> None:
    value, stored = NON_JSON[name]
    builder = StateGraph(S)
    builder.add_node("charge", lambda s: {"x": value})
    builder.add_edge(START, "charge")
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = builder.compile(name="pay").start({}, journal=journal)
        result = await asyncio.wait_for(run.result(), 10)
        assert (result.status, result.journal_error) == ("completed", None)
        record = journal.run(run.run_id)
        assert (record.status, record.values, record.damaged) == ("completed", {"x": stored}, None)
        kinds = [e.kind for e in journal.events(run.run_id)]
        assert kinds == [e.kind for e in run.event_log]  # not one event dropped
        [checkpoint] = journal.checkpoints(run.run_id)
        assert checkpoint.values == {"x": stored}


def test_every_cli_reader_shows_damaged_rows_and_never_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    db = tmp_path / "j.sqlite3"
    craft(db)
    assert main(["runs", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mcompleted" in out  # a crafted status, escaped
    for run_id in CRAFTED_RUNS:
        assert run_id in out
    for damaged in ("badinput", "numnext", "texttime", "deep", "blobs"):
        assert f"run {damaged} is damaged:" in out, damaged
    assert main(["runs", "--json", "--db", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["run_id"] for r in rows} == set(CRAFTED_RUNS)
    for run_id in CRAFTED_RUNS:
        assert main(["show", run_id, "--db", str(db)]) == 0
        out, err = capsys.readouterr()
        assert "\x1b" not in out + err and "Traceback" not in err
    assert main(["show", "escape", "--json", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 5 and "damaged journal row" in err
    for run_id in CRAFTED_RUNS:
        assert main(["resume", run_id, "--yes", "--db", str(db)]) == 2
        out, err = capsys.readouterr()
        assert len(err.splitlines()) == 1 and "Traceback" not in err, err


def test_the_journal_api_reads_damaged_rows_without_raising(tmp_path: Path) -> None:
    db = tmp_path / "j.sqlite3"
    craft(db)
    with Journal(db) as journal:
        records = {r.run_id: r for r in journal.runs()}
        assert records["texttime"].started == 0.0
        assert "started is 'yesterday', not a time" in (records["texttime"].damaged or "")
        assert "next is '5', not a list of node names" in (records["numnext"].damaged or "")
        assert "nested too deeply" in (records["deep"].damaged or "")
        assert "steps is 'many', not a number" in (records["blobs"].damaged or "")
        assert records["bigint"].values == {
            "x": {"$unserialisable": "an integer of 5000 digits", "type": "int"}
        }
        damaged: list[str] = []
        assert journal.events("escape", damaged) == []
        assert len(damaged) == 5
        with pytest.raises(JournalError, match="damaged"):
            journal.resume("numnext")


def _graph() -> Any:
    builder = StateGraph(S)
    builder.add_node("work", lambda s: {"x": 1})
    builder.add_edge(START, "work")
    return builder.compile(name="one")


@pytest.mark.timeout(20)
async def test_a_reused_run_id_is_refused_and_the_first_run_is_kept(tmp_path: Path) -> None:
    graph = _graph()
    with Journal(tmp_path / "j.sqlite3") as journal:
        first = await graph.start({}, {"run_id": "job-1"}, journal=journal).result()
        with pytest.raises(JournalError, match="run id 'job-1' is already in run journal"):
            graph.start({"x": 5}, {"run_id": "job-1"}, journal=journal)
        assert [(r.run_id, r.status, r.input) for r in journal.runs()] == [
            ("job-1", "completed", {})
        ]
        assert first.status == "completed"
        assert journal.events("job-1")[-1].kind == "run_finished"


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(JournalError, match=r"app\.db is an SQLite database but not a graphstage"):
        Journal(db)
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists()


@pytest.mark.timeout(20)
async def test_a_journal_deleted_mid_run_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "j.sqlite3"
    gate = asyncio.Event()

    async def work(state: S) -> dict[str, Any]:
        await gate.wait()
        return {"x": 1}

    builder = StateGraph(S)
    builder.add_node("work", work)
    builder.add_edge(START, "work")
    journal = Journal(db)
    run = builder.compile().start({}, journal=journal)
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{db}{suffix}")  # another process deletes the journal
    gate.set()
    result = await asyncio.wait_for(run.result(), 10)
    assert result.status == "completed"
    assert "was deleted or replaced while this process was writing" in str(result.journal_error)
    logged = [r.getMessage() for r in caplog.records if r.name == "graphstage.journal"]
    assert len(logged) == 1 and "was deleted or replaced" in logged[0]  # said once
    journal.close()


def test_journal_files_are_private_and_only_the_default_directory_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat

    db = tmp_path / "j.sqlite3"
    Journal(db).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    monkeypatch.delenv("GRAPHSTAGE_DB", raising=False)
    monkeypatch.setattr(
        "graphstage.journal._store.default_path",
        lambda: tmp_path / "data" / "gs" / "journal.sqlite3",
    )
    Journal().close()
    assert stat.S_IMODE((tmp_path / "data" / "gs").stat().st_mode) == 0o700
    with pytest.raises(JournalError, match=r"directory .*nowhere does not exist"):
        Journal(tmp_path / "nowhere" / "j.sqlite3")
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(JournalError, match="run journal path is empty"):
        Journal("")


@pytest.mark.parametrize("db", ["", "/no/such/dir/j.sqlite3"])
def test_the_cli_refuses_an_empty_or_dangling_db_in_one_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    assert main(["runs", "--db", db]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert ("path is empty" if not db else "/no/such/dir does not exist") in err
    assert not Path("/no/such").exists()


def test_values_nested_deeper_than_the_limit_are_stored_as_a_marker() -> None:
    from graphstage._jsonsafe import MAX_DEPTH, jsonable

    def nest(levels: int) -> Any:
        value: Any = "core"
        for _ in range(levels):
            value = [value]
        return value

    def depth(value: Any) -> int:
        n = 0
        while isinstance(value, list):
            value, n = value[0], n + 1
        return n

    assert MAX_DEPTH == 200
    assert jsonable(nest(MAX_DEPTH)) == nest(MAX_DEPTH)
    stored = jsonable(nest(MAX_DEPTH + 1))
    assert depth(stored) == MAX_DEPTH
    inner = stored
    while isinstance(inner, list):
        inner = inner[0]
    assert inner == {"$unserialisable": "nested deeper than 200 levels", "type": "list"}


class Chat(TypedDict, total=False):
    messages: list[Any]
    x: Any


@pytest.mark.timeout(20)
@pytest.mark.parametrize("odd", [None, Card()], ids=["plain", "an-unserialisable-item"])
async def test_a_long_final_state_is_stored_whole_in_pieces(tmp_path: Path, odd: Any) -> None:
    """The writer thread serialises a final state a piece at a time (a long list 1,000
    items at a time): what it stores is the whole state, a marker only where JSON could
    not hold an item, and a node appending to its copy after the run changes nothing."""
    messages = [{"role": "user", "content": f"m{i}"} for i in range(2_500)]
    if odd is not None:
        messages[1_700] = odd
    builder = StateGraph(Chat)
    builder.add_node("reply", lambda s: {"messages": [*s["messages"], "bye"], "x": "é"})
    builder.add_edge(START, "reply")
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = builder.compile(name="chat").start({"messages": messages}, journal=journal)
        result = await asyncio.wait_for(run.result(), 10)
        result.state["messages"].append("after the end")
        journal.flush()
        stored = journal.run(run.run_id).values
        [finished] = [e for e in journal.events(run.run_id) if e.kind == "run_finished"]
    expected = [*messages, "bye"]
    if odd is not None:
        expected[1_700] = NON_JSON["object"][1]
    assert stored == {"messages": expected, "x": "é"}
    assert finished.values == stored  # type: ignore[attr-defined]
