"""The SQLite saver's tables, and a checkpoint as a row and back."""

from __future__ import annotations

import json
from typing import Any

import pydantic_core

from .. import _jsonsafe as jsonsafe
from .._interrupt import Interrupt
from .._jsonsafe import jsonable
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
    # what each finished task of a checkpoint's next step returned (put_writes)
    """CREATE TABLE IF NOT EXISTS thread_writes (
        thread_id     TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL,
        task_id       TEXT NOT NULL,
        task_path     TEXT NOT NULL DEFAULT '',
        value         TEXT NOT NULL,
        PRIMARY KEY (checkpoint_id, task_id)
    )""",
    "CREATE INDEX IF NOT EXISTS thread_writes_by_thread "
    "ON thread_writes (thread_id, checkpoint_ns)",
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
    try:
        return pydantic_core.to_json(value, fallback=repr).decode()
    except Exception:  # a lone surrogate, an int over 4,300 digits: markers, as the journal's
        return json.dumps(jsonable(value), ensure_ascii=False)


def load(row: tuple[Any, ...]) -> ThreadCheckpoint:
    """A row as a checkpoint. A damaged or crafted row (JSON that does not parse or nests
    too deeply, fields of the wrong type) is read as a checkpoint of its thread whose values
    say why (``{"$damaged": ...}``) and with nothing to run next: a reader lists it, a
    continuation has nothing to do, and nothing raises."""
    try:
        return _load(row)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return _damaged(row, exc)


def _load(row: tuple[Any, ...]) -> ThreadCheckpoint:
    (thread_id, ns, checkpoint_id, parent_id, run_id, step, source, created, values, nxt, pend) = (
        row
    )
    pending = _json(pend, dict, "pending")
    return ThreadCheckpoint(
        thread_id=thread_id,
        checkpoint_ns=ns,
        checkpoint_id=checkpoint_id,
        parent_id=parent_id,
        run_id=run_id,
        step=_typed(step, int, "step"),
        source=source,
        created_at=created,
        values=_json(values, dict, "values"),
        next=tuple(_typed(n, str, "next") for n in _json(nxt, list, "next")),
        joins=pending.get("joins", {}),
        sends=tuple(pending.get("sends", ())),
        writes=pending.get("writes", {}),
        interrupts={
            node: tuple(
                Interrupt(i["value"], i["id"], response_schema=i.get("response_schema"))
                for i in items
            )
            for node, items in pending.get("interrupts", {}).items()
        },
        answers={k: tuple(v) for k, v in pending.get("answers", {}).items()},
        errors=pending.get("errors", {}),
        ran=tuple(pending["ran"]) if pending.get("ran") is not None else None,
        paused=pending.get("paused"),
        parents=_typed(pending.get("parents", {}), dict, "parents"),
        extra_metadata=_typed(pending.get("metadata", {}), dict, "metadata"),
    )


def _json(text: Any, kind: type, column: str) -> Any:
    if not isinstance(text, str | bytes):
        raise TypeError(f"{column} is {type(text).__name__}, not JSON text")
    return _typed(jsonsafe.loads(text), kind, column)


def _typed(value: Any, kind: type, column: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"{column} holds {type(value).__name__}, not {kind.__name__}")
    return value


def _damaged(row: tuple[Any, ...], problem: Exception) -> ThreadCheckpoint:
    def text(value: Any) -> str:
        return value if isinstance(value, str) else repr(value)

    step = row[5] if isinstance(row[5], int) and not isinstance(row[5], bool) else -1
    return ThreadCheckpoint(
        thread_id=text(row[0]),
        checkpoint_ns=text(row[1] or ""),
        checkpoint_id=text(row[2]),
        parent_id=row[3] if isinstance(row[3], str) else None,
        run_id=row[4] if isinstance(row[4], str) else None,
        step=step,
        source=row[6] if row[6] in ("input", "loop", "update", "fork") else "loop",
        created_at=text(row[7]),
        values={"$damaged": f"checkpoint row cannot be read: {problem}"},
        next=(),
    )
