"""A journal with damaged and crafted rows, for the readers' tests (CLI, window, fuzz)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from graphstage import Journal

DEEP = "[" * 5000 + "]" * 5000
"""JSON nested deeper than any reader should recurse."""

CRAFTED_RUNS: dict[str, dict[str, Any]] = {
    "badinput": {"input": "not json {"},
    "numnext": {"next": "5", "status": "cancelled"},
    "texttime": {"started": "yesterday", "finished": "soon"},
    "deep": {"input": DEEP, "final_values": DEEP},
    "escape": {
        "status": "\x1b[31mcompleted\x1b[0m",
        "graph": "g\x07\rx",
        "error": "\x1b]0;pwn\x07",
    },
    "bigint": {"final_values": '{"x": ' + "9" * 5000 + "}", "status": "completed"},
    "nulls": {"graph": 3.5, "status": 7, "spec": None},
    "blobs": {"graph": b"\xff\xfe", "next": b"[]", "steps": "many"},
}
"""run id -> the columns a crafted row of ``runs`` sets (the rest is a valid row)."""

CRAFTED_EVENTS: list[tuple[int, str, Any]] = [
    (0, "run_started", "not json"),
    (1, "node_started", json.dumps({"kind": "node_started", "node": 5})),
    (2, "state_updated", DEEP),
    (3, "custom_output", '{"x": ' + "9" * 5000 + "}"),
    (4, "run_finished", json.dumps({"kind": "run_finished", "status": "weird"})),
]
"""(seq, kind, data) of a run whose events are all damaged."""


def craft(db: Path) -> None:
    """Write a valid journal file with the crafted rows above in it."""
    Journal(db).close()  # the schema
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for run_id, columns in CRAFTED_RUNS.items():
            row: dict[str, Any] = {
                "run_id": run_id,
                "graph": "crafted",
                "spec": "/nonexistent/graph.py:graph",
                "status": "interrupted",
                "started": 1_700_000_000.0,
                "input": "{}",
                "steps": 1,
                "next": '["work"]',
            }
            row.update(columns)
            names = ", ".join(f'"{k}"' for k in row)
            marks = ", ".join("?" for _ in row)
            conn.execute(f"INSERT INTO runs ({names}) VALUES ({marks})", list(row.values()))
        for seq, kind, data in CRAFTED_EVENTS:
            conn.execute(
                "INSERT INTO events (run_id, seq, kind, time, data) VALUES (?, ?, ?, ?, ?)",
                ("escape", seq, kind, 1_700_000_000.0, data),
            )
    finally:
        conn.close()


def craft_rows(db: Path, runs: list[dict[str, Any]], events: list[tuple[str, Any]]) -> None:
    """A journal holding ``runs`` (each a dict of ``runs`` columns over a valid row, ids
    ``r0``, ``r1``...) and ``events`` ((kind, data) rows of run ``r0``)."""
    Journal(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for i, columns in enumerate(runs):
            row: dict[str, Any] = {
                "run_id": f"r{i}",
                "graph": "crafted",
                "spec": "/nonexistent/graph.py:graph",
                "status": "interrupted",
                "started": 1_700_000_000.0,
                "input": "{}",
                "steps": 1,
                "next": '["work"]',
                **columns,
            }
            names = ", ".join(f'"{k}"' for k in row)
            marks = ", ".join("?" for _ in row)
            conn.execute(f"INSERT INTO runs ({names}) VALUES ({marks})", list(row.values()))
        for seq, (kind, data) in enumerate(events):
            conn.execute(
                "INSERT INTO events (run_id, seq, kind, time, data) VALUES (?, ?, ?, ?, ?)",
                ("r0", seq, kind, 1_700_000_000.0, data if data is not None else "null"),
            )
    finally:
        conn.close()
