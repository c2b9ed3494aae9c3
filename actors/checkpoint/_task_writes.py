"""Tasks' writes in the SQLite saver, as LangGraph's ``put_writes``: one ``thread_writes``
row per finished task of a checkpoint's next step, handed to the journal's writer thread
when the task finishes (so a process killed mid-step keeps what its finished tasks
returned), and read back into that checkpoint's ``writes``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from .. import _jsonsafe as jsonsafe
from ._base import ThreadCheckpoint, thread_config
from ._pending import View, WriteRow
from ._rows import dumps

_CHUNK = 500  # checkpoint ids per query (SQLite's limit on parameters is 999 in old builds)


def write_row(config: Mapping[str, Any], writes: Any, task_id: str, task_path: str) -> WriteRow:
    """The row of task ``task_id``'s write on the checkpoint ``config`` names."""
    thread_id, checkpoint_id, ns = thread_config(config)
    if checkpoint_id is None:
        raise ValueError("put_writes needs the config of a checkpoint (checkpoint_id)")
    return (thread_id, ns, checkpoint_id, str(task_id), task_path, dumps(writes))


def insert(row: WriteRow) -> Callable[[sqlite3.Connection], None]:
    """The writer thread's write of ``row`` (a task's write replaces its earlier one)."""

    def write(db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT OR REPLACE INTO thread_writes (thread_id, checkpoint_ns, checkpoint_id, "
            "task_id, task_path, value) VALUES (?, ?, ?, ?, ?, ?)",
            row,
        )

    return write


def read(
    db: sqlite3.Connection, ids: list[str], thread: tuple[str, str] | None
) -> dict[str, dict[str, Any]]:
    """The writes on disk of the checkpoints ``ids``: checkpoint id -> task id -> JSON text.
    ``thread`` (thread id, namespace), when they all belong to one: read by thread."""
    wanted = set(ids)
    rows: list[tuple[Any, ...]] = []
    if len(wanted) > 1 and thread is not None:
        rows = db.execute(
            "SELECT checkpoint_id, task_id, value FROM thread_writes "
            "WHERE thread_id = ? AND checkpoint_ns = ?",
            thread,
        ).fetchall()
    else:
        ordered = sorted(wanted)
        for at in range(0, len(ordered), _CHUNK):
            chunk = ordered[at : at + _CHUNK]
            rows += db.execute(
                "SELECT checkpoint_id, task_id, value FROM thread_writes "
                f"WHERE checkpoint_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
    out: dict[str, dict[str, Any]] = {}
    for checkpoint_id, task_id, text in rows:
        if checkpoint_id in wanted:
            out.setdefault(checkpoint_id, {})[task_id] = text
    return out


def attach(
    checkpoints: list[ThreadCheckpoint], disk: dict[str, dict[str, Any]], view: View
) -> list[ThreadCheckpoint]:
    """``checkpoints`` with their tasks' writes, those on disk and those not yet written
    (``view``). A write that cannot be read (a damaged row) is left out: its task runs
    again when the thread goes on."""
    pending: dict[str, dict[str, Any]] = {}
    for (checkpoint_id, task_id), row in view.writes.items():
        pending.setdefault(checkpoint_id, {})[task_id] = row[5]
    if not disk and not pending:
        return checkpoints
    out = []
    for checkpoint in checkpoints:
        cid = checkpoint.checkpoint_id
        texts = {**disk.get(cid, {}), **pending.get(cid, {})}
        writes = {}
        for task_id, text in texts.items():
            try:
                if isinstance(task_id, str):
                    writes[task_id] = jsonsafe.loads(text)
            except (ValueError, TypeError):
                continue
        if writes:
            checkpoint = checkpoint.with_pending(writes={**checkpoint.writes, **writes})
        out.append(checkpoint)
    return out
