"""The SQLite saver's tables, and a checkpoint as a row and back."""

from __future__ import annotations

import json
from typing import Any

import pydantic_core

from .._interrupt import Interrupt
from ._base import ThreadCheckpoint

TABLES = (
    """CREATE TABLE IF NOT EXISTS thread_checkpoints (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        thread_id     TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL UNIQUE,
        parent_id     TEXT,
        run_id        TEXT,
        step          INTEGER NOT NULL,
        source        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        "values"      TEXT NOT NULL,
        next          TEXT NOT NULL,
        pending       TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS thread_checkpoints_by_thread "
    "ON thread_checkpoints (thread_id, seq)",
    # a subgraph's checkpoints are read by their namespace within the thread
    "CREATE INDEX IF NOT EXISTS thread_checkpoints_by_ns "
    "ON thread_checkpoints (thread_id, checkpoint_ns, seq)",
    """CREATE TABLE IF NOT EXISTS thread_claims (
        thread_id TEXT PRIMARY KEY,
        run_id    TEXT NOT NULL,
        pid       INTEGER NOT NULL,
        host      TEXT NOT NULL
    )""",
)

COLUMNS = (
    "thread_id, checkpoint_ns, checkpoint_id, parent_id, run_id, step, source, created_at, "
    '"values", next, pending'
)
NS, CHECKPOINT_ID, RUN_ID, CREATED = 1, 2, 4, 7  # those columns' places in a row


def dumps(value: Any) -> str:
    return pydantic_core.to_json(value, fallback=repr).decode()


def load(row: tuple[Any, ...]) -> ThreadCheckpoint:
    (thread_id, ns, checkpoint_id, parent_id, run_id, step, source, created, values, nxt, pend) = (
        row
    )
    pending = json.loads(pend)
    return ThreadCheckpoint(
        thread_id=thread_id,
        checkpoint_ns=ns,
        checkpoint_id=checkpoint_id,
        parent_id=parent_id,
        run_id=run_id,
        step=step,
        source=source,
        created_at=created,
        values=json.loads(values),
        next=tuple(json.loads(nxt)),
        joins=pending.get("joins", {}),
        sends=tuple(pending.get("sends", ())),
        writes=pending.get("writes", {}),
        interrupts={
            node: tuple(Interrupt(i["value"], i["id"]) for i in items)
            for node, items in pending.get("interrupts", {}).items()
        },
        answers={k: tuple(v) for k, v in pending.get("answers", {}).items()},
        errors=pending.get("errors", {}),
        ran=tuple(pending["ran"]) if pending.get("ran") is not None else None,
        paused=pending.get("paused"),
    )
