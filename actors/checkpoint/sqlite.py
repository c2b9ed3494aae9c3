"""``SqliteSaver`` / ``AsyncSqliteSaver``: threads on disk, in the run journal's file.

``SqliteSaver("journal.sqlite3")`` opens (or creates) a graphstage journal and keeps its
checkpoints in two more tables of the same SQLite file, so one file holds every run's
events and every thread's checkpoints; a graph compiled with it journals its runs there
too. Checkpoints are handed to the journal's writer thread when taken (each written at once,
in the journal's order), so a thread paused at an ``interrupt()`` survives the process being
killed, and is answered after a restart; the event loop's thread never waits for the file
(another process holding it locked, a slow or full disk). Reads merge the writes not yet on
disk over the file's rows (``_pending``): a read sees every write made before it, without
waiting. A write that fails is logged, kept in ``journal.error``, tried again with the next,
and reported in the result of the run it belongs to (``RunResult.journal_error``).
"""

from __future__ import annotations

import builtins
import json
import os
import socket
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from ..journal import Journal
from . import _task_writes as task_writes
from ._base import BaseCheckpointSaver, ThreadCheckpoint, ThreadInfo, status_of, thread_config
from ._claims import ClaimsInFile
from ._pending import Claim, View, pending_of
from ._rows import CHECKPOINT_ID, COLUMNS, CREATED, NS, RUN_ID, TABLES, dumps, load


class SqliteSaver(ClaimsInFile, BaseCheckpointSaver):
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
        with self._db._reading("looking for the checkpoint tables") as db:
            have = {n for (n,) in db.execute("SELECT name FROM sqlite_master")}
        if (
            not {"thread_checkpoints", "thread_claims", "thread_checkpoints_by_ns", "thread_writes"}
            <= have
        ):
            # a write: once per file (and once after an upgrade that adds an index)
            with self._db.connection("creating the checkpoint tables") as db:
                for statement in TABLES:
                    db.execute(statement)
        self._pending = pending_of(journal)
        self._claims_queued = {}

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
        """Close the file it opened (writing what is queued first)."""
        if self._owns:
            self._db.close()

    def flush(self) -> None:
        """Wait until every write made so far is on disk (blocks: not for the loop's
        thread). ``JournalError`` if the file refused it (kept, and tried again later)."""
        self._db.flush()

    async def aflush(self) -> None:
        """``flush`` without blocking the event loop."""
        await self._written(self._db._hand_off())

    def written(self) -> Awaitable[None] | None:
        """A future of the running loop, resolved once every write made so far is on disk
        (with the ``JournalError`` if one could not be written)."""
        return self._db.written(self._db._hand_off())

    def __enter__(self) -> SqliteSaver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _queue(
        self,
        op: Callable[[sqlite3.Connection], None],
        record: Callable[[], int],
        *,
        hand_off: bool = True,
    ) -> int:
        """Record a write as pending and hand it to the writer thread, in one order."""
        pending = self._pending
        self._db._db  # noqa: B018 - JournalError once closed (before anything is recorded)
        with pending.lock:
            n = record()
            return self._db.queue_op(op, lambda: pending.landed(n), hand_off=hand_off)

    async def _written(self, number: int) -> None:
        future = self._db.written(number)  # (without a loop: waited for, and raised)
        if future is not None:
            await future

    def _disk(self, where: str = "", params: tuple[Any, ...] = ()) -> list[tuple[int, Any]]:
        """``(seq, row)`` of the checkpoints on disk, oldest first."""
        with self._db._reading("reading checkpoints") as db:
            rows = db.execute(
                f"SELECT seq, {COLUMNS} FROM thread_checkpoints {where} ORDER BY seq", params
            ).fetchall()
        return [(row[0], row[1:]) for row in rows]

    def _merged(self, view: View, thread_id: str | None) -> list[tuple[Any, ...]]:
        """Every checkpoint of ``thread_id`` (None: of all threads), pending writes applied,
        oldest first."""
        if thread_id is None:
            return view.merge(self._disk())
        return [row for _, row in self._merged_keyed(view, thread_id)]

    def _merged_keyed(self, view: View, thread_id: str) -> list[tuple[Any, tuple[Any, ...]]]:
        return view.of(thread_id).merge_keyed(self._disk("WHERE thread_id = ?", (thread_id,)))

    def _loaded(
        self, rows: builtins.list[tuple[Any, ...]], view: View, thread: tuple[str, str] | None
    ) -> builtins.list[ThreadCheckpoint]:
        """``rows`` as checkpoints, each with its tasks' writes (``thread``: the thread id
        and namespace they all belong to, if they do)."""
        checkpoints = [load(row) for row in rows]
        if not checkpoints:
            return checkpoints
        with self._db._reading("reading tasks' writes") as db:
            disk = task_writes.read(db, [c.checkpoint_id for c in checkpoints], thread)
        return task_writes.attach(checkpoints, disk, view)

    # -- the protocol -----------------------------------------------------------------

    def put(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        """Queue the checkpoint for the writer thread (never waits for the disk); reads see
        it at once."""
        self._put(checkpoint)
        return checkpoint.config

    async def aput(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        """``put``, returning once the checkpoint is on disk (``JournalError`` if it could
        not be written); the loop runs meanwhile."""
        await self._written(self._put(checkpoint))
        return checkpoint.config

    def _put(self, checkpoint: ThreadCheckpoint) -> int:
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
        if c.parents:  # a subgraph's
            pending["parents"] = c.parents
        if c.extra_metadata:  # what the run's config added to its metadata
            pending["metadata"] = c.extra_metadata
        row = (
            c.thread_id,
            c.checkpoint_ns,
            c.checkpoint_id,
            c.parent_id,
            c.run_id,
            c.step,
            c.source,
            c.created_at,
            dumps(c.values),
            json.dumps(list(c.next)),
            dumps(pending),
        )

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                f"INSERT INTO thread_checkpoints ({COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (checkpoint_id) DO UPDATE SET "
                'next = excluded.next, pending = excluded.pending, "values" = excluded."values", '
                "run_id = excluded.run_id",
                row,
            )

        return self._queue(write, lambda: self._pending.put(row))

    def put_writes(
        self,
        config: Mapping[str, Any],
        writes: Any,
        task_id: str,
        task_path: str = "",
        *,
        batched: bool = False,
    ) -> None:
        """Queue a finished task's write for the writer thread (never waits for the disk);
        reads see it at once, in its checkpoint's ``writes``. ``batched``: it goes to disk
        with the saver's next write, in one transaction (the step's last task: its
        checkpoint follows at once), not in a transaction of its own."""
        row = task_writes.write_row(config, writes, task_id, task_path)
        self._queue(
            task_writes.insert(row), lambda: self._pending.put_write(row), hand_off=not batched
        )

    async def aput_writes(
        self, config: Mapping[str, Any], writes: Any, task_id: str, task_path: str = ""
    ) -> None:
        """``put_writes``, returning once the write is on disk."""
        row = task_writes.write_row(config, writes, task_id, task_path)
        await self._written(
            self._queue(task_writes.insert(row), lambda: self._pending.put_write(row))
        )

    def get_tuple(self, config: Mapping[str, Any]) -> ThreadCheckpoint | None:
        thread_id, checkpoint_id, ns = thread_config(config)
        view = self._pending.view(thread_id)
        if not view.empty:
            rows = [r for r in self._merged(view, thread_id) if r[NS] == ns]
            if checkpoint_id is not None:
                rows = [r for r in rows if r[CHECKPOINT_ID] == checkpoint_id]
            return self._loaded(rows[-1:], view, None)[0] if rows else None
        sql = f"SELECT {COLUMNS} FROM thread_checkpoints WHERE thread_id = ? AND checkpoint_ns = ?"
        params: list[Any] = [thread_id, ns]
        if checkpoint_id is not None:
            sql += " AND checkpoint_id = ?"
            params.append(checkpoint_id)
        sql += " ORDER BY seq DESC LIMIT 1"
        with self._db._reading("reading a checkpoint") as db:
            row = db.execute(sql, params).fetchone()
        return None if row is None else self._loaded([row], view, None)[0]

    def list(
        self,
        config: Mapping[str, Any] | None,
        *,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[ThreadCheckpoint]:
        thread_id, checkpoint_id, ns = (None, None, "") if config is None else thread_config(config)
        before_id = None if before is None else thread_config(before)[1]
        view = self._pending.view(thread_id)
        if not view.empty:
            rows = self._merged(view, thread_id)[::-1]
            if thread_id is not None:
                rows = [r for r in rows if r[NS] == ns]
            if checkpoint_id is not None:  # as LangGraph's savers: only that checkpoint
                rows = [r for r in rows if r[CHECKPOINT_ID] == checkpoint_id]
            if before is not None:
                ids = [r[CHECKPOINT_ID] for r in rows]
                rows = rows[ids.index(before_id) + 1 :] if before_id in ids else []
            rows = rows[:limit] if limit is not None else rows
            yield from self._loaded(rows, view, None if thread_id is None else (thread_id, ns))
            return
        sql = f"SELECT {COLUMNS} FROM thread_checkpoints"
        where: list[str] = []
        params: list[Any] = []
        if thread_id is not None:
            where.append("thread_id = ? AND checkpoint_ns = ?")
            params += [thread_id, ns]
            if checkpoint_id is not None:  # as LangGraph's savers: only that checkpoint
                where.append("checkpoint_id = ?")
                params.append(checkpoint_id)
        if before is not None:
            where.append("seq < (SELECT seq FROM thread_checkpoints WHERE checkpoint_id = ?)")
            params.append(before_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._db._reading("reading checkpoints") as db:
            rows = db.execute(sql, params).fetchall()
        yield from self._loaded(rows, view, None if thread_id is None else (thread_id, ns))

    def run_checkpoint(self, run_id: str) -> ThreadCheckpoint | None:
        """The latest checkpoint ``run_id`` took (None if it took none): how the CLI finds a
        run's thread."""
        view = self._pending.view()
        if not view.empty:
            mine = [r for r in self._merged(view, None) if r[RUN_ID] == run_id]
            return self._loaded(mine[-1:], view, None)[0] if mine else None
        with self._db._reading("reading a checkpoint") as db:
            row = db.execute(
                f"SELECT {COLUMNS} FROM thread_checkpoints WHERE run_id = ? "
                "ORDER BY seq DESC LIMIT 1",
                (run_id,),
            ).fetchone()
        return None if row is None else self._loaded([row], view, None)[0]

    def threads(self) -> builtins.list[ThreadInfo]:
        view = self._pending.view()
        with self._db._reading("reading threads") as db:
            heads = db.execute(
                f"SELECT seq, {COLUMNS} FROM thread_checkpoints WHERE seq IN (SELECT max(seq) "
                "FROM thread_checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id)"
            ).fetchall()
            stats = {
                t: (n, first, json.loads(runs))
                for t, n, first, runs in db.execute(
                    "SELECT thread_id, count(*), min(created_at), "
                    "json_group_array(run_id) FROM "
                    "(SELECT * FROM thread_checkpoints WHERE checkpoint_ns = '' ORDER BY seq) "
                    "GROUP BY thread_id"
                ).fetchall()
            }
            claims: dict[str, Claim] = {
                t: (r, pid, host) for t, r, pid, host in db.execute("SELECT * FROM thread_claims")
            }
        # (place, head row) per thread; a thread with writes pending is worked out again
        # from all its rows, placed after the file's when its newest checkpoint is pending
        by_thread = {row[1]: ((0, row[0]), row[1:]) for row in heads}
        touched = {r.row[0] for r in view.rows.values()} | view.dropped | set(view.claims)
        for thread_id in touched:
            claims.pop(thread_id, None)
            if (claim := view.claim(thread_id, self._claim_of(thread_id, None))) is not None:
                claims[thread_id] = claim
            if thread_id not in view.dropped and not any(
                r.row[0] == thread_id for r in view.rows.values()
            ):
                continue  # only its claim changed
            keyed = [kr for kr in self._merged_keyed(view, thread_id) if kr[1][NS] == ""]
            by_thread.pop(thread_id, None)
            stats.pop(thread_id, None)
            if keyed:
                rows = [row for _, row in keyed]
                by_thread[thread_id] = keyed[-1]
                stats[thread_id] = (len(rows), rows[0][CREATED], [r[RUN_ID] for r in rows])
        out = []
        ordered = sorted(by_thread.values(), key=lambda pr: pr[0], reverse=True)
        for head in self._loaded([row for _, row in ordered], view, None):
            n, first, runs = stats[head.thread_id]
            claim = claims.get(head.thread_id)
            busy = claim is not None and self._alive(claim[1], claim[2])
            out.append(
                ThreadInfo(
                    thread_id=head.thread_id,
                    status=status_of(head, busy),
                    head=head,
                    runs=tuple(dict.fromkeys(r for r in runs if r)),
                    checkpoints=n,
                    created_at=first,
                )
            )
        return out

    def delete_thread(self, thread_id: str) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM thread_checkpoints WHERE thread_id = ?", (thread_id,))
            db.execute("DELETE FROM thread_writes WHERE thread_id = ?", (thread_id,))
            db.execute("DELETE FROM thread_claims WHERE thread_id = ?", (thread_id,))

        self._queue(write, lambda: self._pending.drop(thread_id))


class AsyncSqliteSaver(SqliteSaver):
    """``SqliteSaver`` under LangGraph's async name: ``async with
    AsyncSqliteSaver.from_conn_string(path) as saver``. Its writes go to the journal's writer
    thread as ``SqliteSaver``'s do; ``aput`` returns once its checkpoint is on disk, and
    closing it (leaving ``async with``) writes what is queued."""

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
