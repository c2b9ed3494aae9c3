"""``SqliteSaver`` / ``AsyncSqliteSaver``: threads on disk, in the run journal's file.

``SqliteSaver("journal.sqlite3")`` opens (or creates) a graphstage journal and keeps its
checkpoints in two more tables of the same SQLite file, so one file holds every run's
events and every thread's checkpoints; a graph compiled with it journals its runs there
too. Checkpoints are written when taken (a commit each), so a thread paused at an
``interrupt()`` survives the process being killed, and is answered after a restart.
"""

from __future__ import annotations

import builtins
import json
import os
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pydantic_core

from .._interrupt import Interrupt
from ..journal import Journal
from ..journal._recovery import _pid_alive
from ._base import BaseCheckpointSaver, ThreadCheckpoint, ThreadInfo, status_of, thread_config

_TABLES = (
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

_COLUMNS = (
    "thread_id, checkpoint_ns, checkpoint_id, parent_id, run_id, step, source, created_at, "
    '"values", next, pending'
)


class SqliteSaver(BaseCheckpointSaver):
    """Threads in a graphstage journal file (``:memory:`` for a private in-memory one).

    ``conn`` is a path, a connection string as LangGraph's (``"checkpoints.sqlite"``,
    ``":memory:"``), an open ``sqlite3.Connection`` (its file is opened again), or a
    ``Journal``. ``close()`` (or ``with``) closes the file it opened.
    """

    def __init__(self, conn: str | os.PathLike[str] | sqlite3.Connection | Journal) -> None:
        if isinstance(conn, Journal):
            journal, self._owns = conn, False
        else:
            if isinstance(conn, sqlite3.Connection):
                row = conn.execute("PRAGMA database_list").fetchone()
                conn = row[2] or ":memory:"
            journal, self._owns = Journal(conn), True
        self.journal = journal
        # the same journal, typed as present (the base class allows None)
        self._db: Journal = journal
        self._pid = os.getpid()
        self._host = socket.gethostname()
        with self._db.connection("creating the checkpoint tables") as db:
            for statement in _TABLES:
                db.execute(statement)

    @classmethod
    @contextmanager
    def from_conn_string(cls, conn_string: str) -> Iterator[SqliteSaver]:
        """``with SqliteSaver.from_conn_string("checkpoints.sqlite") as saver:``"""
        saver = cls(conn_string)
        try:
            yield saver
        finally:
            saver.close()

    @property
    def path(self) -> str:
        return self._db.path

    def close(self) -> None:
        if self._owns:
            self._db.close()

    def __enter__(self) -> SqliteSaver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol -----------------------------------------------------------------

    def put(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        c = checkpoint
        pending = {
            "joins": c.joins,
            "sends": c.sends,
            "writes": c.writes,
            "interrupts": c.interrupts,
            "answers": c.answers,
            "errors": c.errors,
            "ran": c.ran,
            "paused": c.paused,
        }
        row = (
            c.thread_id,
            c.checkpoint_ns,
            c.checkpoint_id,
            c.parent_id,
            c.run_id,
            c.step,
            c.source,
            c.created_at,
            _dumps(c.values),
            json.dumps(list(c.next)),
            _dumps(pending),
        )
        with self._db.connection("writing a checkpoint") as db:
            db.execute(
                f"INSERT INTO thread_checkpoints ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (checkpoint_id) DO UPDATE SET "
                'next = excluded.next, pending = excluded.pending, "values" = excluded."values", '
                "run_id = excluded.run_id",
                row,
            )
        return c.config

    def get_tuple(self, config: Mapping[str, Any]) -> ThreadCheckpoint | None:
        thread_id, checkpoint_id, ns = thread_config(config)
        sql = f"SELECT {_COLUMNS} FROM thread_checkpoints WHERE thread_id = ? AND checkpoint_ns = ?"
        params: list[Any] = [thread_id, ns]
        if checkpoint_id is not None:
            sql += " AND checkpoint_id = ?"
            params.append(checkpoint_id)
        sql += " ORDER BY seq DESC LIMIT 1"
        with self._db.connection("reading a checkpoint") as db:
            row = db.execute(sql, params).fetchone()
        return None if row is None else _load(row)

    def list(
        self,
        config: Mapping[str, Any] | None,
        *,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[ThreadCheckpoint]:
        sql = f"SELECT {_COLUMNS} FROM thread_checkpoints"
        where: list[str] = []
        params: list[Any] = []
        if config is not None:
            thread_id, checkpoint_id, ns = thread_config(config)
            where.append("thread_id = ? AND checkpoint_ns = ?")
            params += [thread_id, ns]
            if checkpoint_id is not None:  # as LangGraph's savers: only that checkpoint
                where.append("checkpoint_id = ?")
                params.append(checkpoint_id)
        if before is not None:
            where.append("seq < (SELECT seq FROM thread_checkpoints WHERE checkpoint_id = ?)")
            params.append(thread_config(before)[1])
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._db.connection("reading checkpoints") as db:
            rows = db.execute(sql, params).fetchall()
        for row in rows:
            yield _load(row)

    def run_checkpoint(self, run_id: str) -> ThreadCheckpoint | None:
        """The latest checkpoint ``run_id`` took (None if it took none): how the CLI finds a
        run's thread."""
        with self._db.connection("reading a checkpoint") as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM thread_checkpoints WHERE run_id = ? "
                "ORDER BY seq DESC LIMIT 1",
                (run_id,),
            ).fetchone()
        return None if row is None else _load(row)

    def claim(self, thread_id: str, run_id: str) -> str | None:
        with self._db.connection("claiming a thread") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT run_id, pid, host FROM thread_claims WHERE thread_id = ?",
                    (thread_id,),
                ).fetchone()
                if row is not None and row[0] != run_id and self._alive(row[1], row[2]):
                    db.execute("COMMIT")
                    return str(row[0])
                db.execute(
                    "INSERT OR REPLACE INTO thread_claims VALUES (?, ?, ?, ?)",
                    (thread_id, run_id, self._pid, self._host),
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return None

    def _alive(self, pid: int, host: str) -> bool:
        """Whether the process holding a claim may still run (a dead one's claim is void:
        a thread whose process was killed can be continued)."""
        if host != self._host:
            return True
        return pid == self._pid or _pid_alive(pid)

    def release(self, thread_id: str, run_id: str) -> None:
        with self._db.connection("releasing a thread") as db:
            db.execute(
                "DELETE FROM thread_claims WHERE thread_id = ? AND run_id = ?", (thread_id, run_id)
            )

    def threads(self) -> builtins.list[ThreadInfo]:
        with self._db.connection("reading threads") as db:
            heads = db.execute(
                f"SELECT {_COLUMNS} FROM thread_checkpoints WHERE seq IN (SELECT max(seq) "
                "FROM thread_checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id) "
                "ORDER BY seq DESC"
            ).fetchall()
            stats = {
                t: (n, first, runs)
                for t, n, first, runs in db.execute(
                    "SELECT thread_id, count(*), min(created_at), "
                    "json_group_array(run_id) FROM "
                    "(SELECT * FROM thread_checkpoints WHERE checkpoint_ns = '' ORDER BY seq) "
                    "GROUP BY thread_id"
                ).fetchall()
            }
            claims = {
                t: (pid, host)
                for t, pid, host in db.execute("SELECT thread_id, pid, host FROM thread_claims")
            }
        out = []
        for row in heads:
            head = _load(row)
            n, first, runs = stats[head.thread_id]
            claim = claims.get(head.thread_id)
            busy = claim is not None and self._alive(*claim)
            out.append(
                ThreadInfo(
                    thread_id=head.thread_id,
                    status=status_of(head, busy),
                    head=head,
                    runs=tuple(dict.fromkeys(r for r in json.loads(runs) if r)),
                    checkpoints=n,
                    created_at=first,
                )
            )
        return out

    def delete_thread(self, thread_id: str) -> None:
        with self._db.connection("deleting a thread") as db:
            db.execute("DELETE FROM thread_checkpoints WHERE thread_id = ?", (thread_id,))
            db.execute("DELETE FROM thread_claims WHERE thread_id = ?", (thread_id,))


class AsyncSqliteSaver(SqliteSaver):
    """``SqliteSaver`` under LangGraph's async name: ``async with
    AsyncSqliteSaver.from_conn_string(path) as saver``. The writes are small local
    commits, made inline."""

    @classmethod
    @asynccontextmanager
    async def from_conn_string(  # type: ignore[override]
        cls, conn_string: str
    ) -> AsyncIterator[AsyncSqliteSaver]:
        saver = cls(conn_string)
        try:
            yield saver
        finally:
            saver.close()


def _dumps(value: Any) -> str:
    return pydantic_core.to_json(value, fallback=repr).decode()


def _load(row: tuple[Any, ...]) -> ThreadCheckpoint:
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
