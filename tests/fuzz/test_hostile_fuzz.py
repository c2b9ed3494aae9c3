"""Hostile nodes and crafted journals, fuzzed: whatever a node does or a journal row holds,
a run ends once with a named outcome, the journal records it, and every reader copes."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any, TypedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphstage import (
    START,
    Command,
    InvalidUpdateError,
    Journal,
    JournalError,
    StateGraph,
)
from graphstage._errors import NodeCancelledError, NodeExitError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from crafted import craft_rows

pytestmark = pytest.mark.anyio


class S(TypedDict, total=False):
    x: Any
    log: list[str]


class Custom(BaseException):
    pass


class Card:
    def __repr__(self) -> str:
        return "<Card>"


# what a node may do: (kind, payload); kinds are checked by the oracle below
BEHAVIOURS = st.one_of(
    st.tuples(st.just("ok"), st.integers(-5, 5)),
    st.tuples(
        st.just("raise"),
        st.sampled_from(["custom", "generator_exit", "system_exit", "keyboard", "cancelled"]),
    ),
    st.tuples(st.just("coroutine"), st.sampled_from(["lambda", "wrapper"])),
    st.tuples(st.just("bad_goto"), st.sampled_from([None, 5, "object", [1, 2]])),
    st.tuples(st.just("bad_update"), st.sampled_from(["text", 7, "pairs"])),
    st.tuples(st.just("non_json"), st.sampled_from(["object", "bytes", "surrogate", "big_int"])),
)

RAISES = {
    "custom": lambda: Custom("c"),
    "generator_exit": GeneratorExit,
    "system_exit": lambda: SystemExit(2),
    "keyboard": KeyboardInterrupt,
    "cancelled": asyncio.CancelledError,
}
NON_JSON = {"object": Card(), "bytes": b"\xff", "surrogate": "\ud800", "big_int": 10**5000}
BAD_GOTO: dict[Any, Any] = {"object": object()}


def make_node(kind: str, payload: Any) -> Any:
    async def work(state: S) -> Any:
        await asyncio.sleep(0)
        if kind == "ok":
            return {"x": payload}
        if kind == "raise":
            raise RAISES[payload]()
        if kind == "bad_goto":
            return Command(goto=BAD_GOTO[payload] if payload == "object" else payload)
        if kind == "bad_update":
            return {"text": "abc", "pairs": [("x", 1)]}.get(payload, payload)
        return {"x": NON_JSON[payload]}

    if kind == "coroutine":

        async def inner(state: S) -> Any:
            await asyncio.sleep(0)
            return {"x": 1}

        if payload == "lambda":
            return lambda s: inner(s)

        def wrapper(s: S) -> Any:
            return inner(s)

        return wrapper
    return work


def expected_error(kind: str, payload: Any) -> type[BaseException] | None:
    if kind == "raise":
        return NodeCancelledError if payload == "cancelled" else NodeExitError
    if kind in ("bad_goto", "bad_update"):
        return InvalidUpdateError
    return None


@settings(max_examples=40)
@given(
    behaviours=st.lists(BEHAVIOURS, min_size=1, max_size=3),
    stop_after=st.one_of(st.none(), st.integers(0, 3)),
)
async def test_any_node_behaviour_ends_the_run_once_named_and_journaled(
    behaviours: list[tuple[str, Any]], stop_after: int | None
) -> None:
    builder = StateGraph(S)
    names = [f"n{i}" for i in range(len(behaviours))]
    for name, (kind, payload) in zip(names, behaviours, strict=True):
        builder.add_node(name, make_node(kind, payload))
    builder.add_edge(START, names[0])
    for a, b in itertools.pairwise(names):
        builder.add_edge(a, b)
    journal = Journal(":memory:")
    run = builder.compile(cancel_grace=0.5, kill_timeout=0.5).start({}, journal=journal)
    if stop_after is not None:
        for _ in range(stop_after):
            await asyncio.sleep(0)
        run.stop()
    result = await asyncio.wait_for(run.result(), 10)

    kinds = [e.kind for e in run.event_log]
    assert kinds.count("run_finished") == 1 and kinds[-1] == "run_finished"
    assert [e.seq for e in run.event_log] == list(range(len(kinds)))
    assert result.status in ("completed", "cancelled", "failed")
    started = [e.node for e in run.event_log if e.kind == "node_started"]
    if result.status == "failed":
        failed = [e for e in run.event_log if e.kind == "node_failed"]
        assert [e.node for e in failed] == started[-1:]
        kind, payload = behaviours[names.index(started[-1])]
        expected = expected_error(kind, payload)
        assert expected is not None and isinstance(result.error, expected), result.error
        assert f"node '{started[-1]}'" in str(result.error)
    elif stop_after is None:
        assert result.status == "completed" and started == names
    record = journal.run(run.run_id)
    assert (record.status, record.damaged) == (result.status, None)
    assert [e.kind for e in journal.events(run.run_id)] == kinds
    journal.close()


# -- crafted journal rows -------------------------------------------------------------

CELL = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.binary(max_size=20),
    st.sampled_from(
        [
            "{}",
            "[]",
            '["work"]',
            "5",
            "not json",
            "[" * 3000 + "]" * 3000,
            '{"x": ' + "9" * 5000 + "}",
            "\x1b[31mred\x1b[0m",
            '{"kind": "run_finished", "status": "weird"}',
        ]
    ),
)
RUN_COLUMNS = (
    "graph",
    "spec",
    "status",
    "started",
    "finished",
    "input",
    "error",
    "steps",
    "next",
    "final_values",
)


@settings(max_examples=40)
@given(
    runs=st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(RUN_COLUMNS, CELL)), max_size=4),
    events=st.lists(
        st.tuples(st.sampled_from(["run_started", "state_updated", "x"]), CELL), max_size=4
    ),
)
def test_every_reader_copes_with_crafted_rows(
    runs: list[dict[str, Any]], events: list[tuple[str, Any]]
) -> None:
    from graphstage.app.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "j.sqlite3"
        try:
            craft_rows(db, runs, events)
        except sqlite3.IntegrityError:
            return  # a NOT NULL column left empty: SQLite itself refuses such a row
        with Journal(db) as journal:
            records = journal.runs()
            for record in records:
                journal.events(record.run_id, [])
                try:
                    journal.resume(record.run_id)
                except JournalError:
                    pass
        for args in (["runs"], ["runs", "--json"]):
            assert main([*args, "--db", str(db)]) == 0
        for record in records:
            assert main(["show", record.run_id, "--db", str(db)]) == 0
            assert main(["resume", record.run_id, "--yes", "--db", str(db)]) == 2
