"""The writer thread: batches of rows handed off by the loop's thread, each written in one
transaction, in order; waiters resolved once their batch is on disk."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from ._base import JournalError
from ._schema import _Schema

log = logging.getLogger("graphstage.journal")


@dataclass(slots=True)
class _Batch:
    """Rows to write in one transaction, each list in the order its rows were made."""

    new_runs: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[str, int, str, float, Any]] = field(default_factory=list)
    """(run_id, seq, kind, time, data): data is JSON text, or an object SQLite asks for its
    text when it binds it in the writer thread (``__conform__``: a run's final state)."""
    checkpoints: list[tuple[Any, ...]] = field(default_factory=list)
    ended_runs: list[tuple[Any, ...]] = field(default_factory=list)
    beats: list[tuple[float, str]] = field(default_factory=list)
    ops: list[Callable[[sqlite3.Connection], None]] = field(default_factory=list)
    """Writes to other tables of the file (the checkpoint saver's), run in order after the
    journal's own rows, in the same transaction."""
    landed: list[Callable[[], None]] = field(default_factory=list)
    """Called by the writer thread once the batch is committed."""

    def empty(self) -> bool:
        return not (self.new_runs or self.events or self.ended_runs or self.beats or self.ops)

    def merged(self, later: _Batch) -> _Batch:
        return _Batch(
            self.new_runs + later.new_runs,
            self.events + later.events,
            self.checkpoints + later.checkpoints,
            self.ended_runs + later.ended_runs,
            self.beats + later.beats,
            self.ops + later.ops,
            self.landed + later.landed,
        )


class _Writer(_Schema):
    """Handing batches off to the writer thread, and that thread's loop."""

    def _written_future(self, number: int) -> asyncio.Future[None] | None:
        """A future of the running loop, resolved once batch ``number`` is written (with
        the ``JournalError`` if it could not be); without a loop, wait here instead."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return None
        future: asyncio.Future[None] = loop.create_future()
        with self._written_cond:
            if self._written >= number:
                self._resolve(future, loop)
            else:
                self._waiters.append((number, future, loop))
        return future

    def _resolve(self, future: asyncio.Future[None], loop: asyncio.AbstractEventLoop) -> None:
        """Resolve a waiter from any thread (called under ``_written_cond``)."""
        error = self.error if self._retry is not None else None

        def settle() -> None:
            if future.done():
                return
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)

        try:
            loop.call_soon_threadsafe(settle)
        except RuntimeError:  # that loop is closed: nobody waits any more
            pass

    def queue_op(
        self,
        op: Callable[[sqlite3.Connection], None],
        landed: Callable[[], None] | None = None,
        *,
        hand_off: bool = True,
    ) -> int:
        """Hand a write of another table (the checkpoint saver's) to the writer thread, to
        run after every row queued before it, in the journal's order; ``landed`` is called
        (on the writer thread) once it is committed. Never waits for the disk. Returns the
        batch's number, for ``written``. ``JournalError`` if the journal is closed.
        ``hand_off=False``: the write waits in the buffer for the next hand-off (the next
        write handed off, the journal's timer, ``flush``), in the same transaction."""
        with self._buf_lock:
            self._db  # noqa: B018 - raises JournalError once the journal is closed
            self._buf.ops.append(op)
            if landed is not None:
                self._buf.landed.append(landed)
            if not hand_off:
                return self._queued + 1
        return self._hand_off()

    def written(self, number: int) -> asyncio.Future[None] | None:
        """A future resolved once batch ``number`` (from ``queue_op``) is on disk, with the
        ``JournalError`` if it could not be written; without a running loop, wait here (and
        return None)."""
        return self._written_future(number)

    def _on_timer(self) -> None:
        self._flush_handle = None
        self._hand_off()

    def _hand_off(self) -> int:
        """Give the buffered rows to the writer thread; return the batch's number."""
        with self._buf_lock:
            batch = self._buf
            # an empty batch is queued only to retry rows that failed to be written, and
            # only when no batch is on its way (that one takes the retried rows along)
            if batch.empty() and (self._retry is None or self._queued > self._written):
                return self._queued
            self._buf = _Batch()
            self._queued += 1
            number = self._queued
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop,
                    name=f"graphstage journal writer ({self.path})",
                    daemon=True,
                )
                self._writer.start()
            self._queue.put(batch)
        return number

    def flush(self) -> None:
        """Write every buffered row now, and wait until they are on disk. Raises
        ``JournalError`` (also kept in ``error``) if the disk refuses; the rows that could
        not be written stay buffered, and are tried again with the next batch."""
        if self._conn is None:
            return
        number = self._hand_off()
        with self._written_cond:
            while self._written < number:
                self._written_cond.wait()
            if self._retry is not None and self.error is not None:
                raise self.error

    def flush_quietly(self) -> None:
        """``flush``, but a write failure (already kept in ``error``) does not raise."""
        try:
            self.flush()
        except JournalError:
            pass

    def _write_loop(self) -> None:
        """The writer thread: write each batch in one transaction, in the order queued."""
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._retry is not None:
                batch = self._retry.merged(batch)
            try:
                with self._lock:
                    self._check_file()
                    self._write(batch)
                self._retry = None
                self._landed(batch)
            except JournalError as exc:  # the file is gone: keep the rows, say so once
                self._retry = batch
                if self.error is None or str(self.error) != str(exc):
                    log.error("%s", exc)
                self.error = exc
            except sqlite3.Error as exc:
                self._retry = batch
                error = JournalError(self._explain("writing", exc))
                if self.error is None:
                    log.error("%s; the runs since are not fully journaled", error)
                self.error = error
            except Exception as exc:  # closed under us, or a bug: never kill the thread
                self._retry = batch
                self.error = JournalError(f"run journal {self.path}: writing failed: {exc!r}")
                log.error("%s", self.error)
            with self._written_cond:
                self._written += 1
                self._written_cond.notify_all()
                if self._waiters:
                    due = [w for w in self._waiters if w[0] <= self._written]
                    self._waiters = [w for w in self._waiters if w[0] > self._written]
                    for _, future, loop in due:
                        self._resolve(future, loop)

    @staticmethod
    def _landed(batch: _Batch) -> None:
        for landed in batch.landed:
            try:
                landed()
            except Exception:  # a bookkeeping bug must not make the batch be written twice
                log.exception("graphstage journal: a write's landed callback failed")

    def _check_file(self) -> None:
        """``JournalError`` if the journal file was deleted or replaced since it was opened:
        SQLite would go on writing to the unlinked file, and every row would be lost."""
        if self._file_id is None:
            return
        try:
            stat = os.stat(self.path)
        except OSError:
            stat = None
        if stat is None or (stat.st_dev, stat.st_ino) != self._file_id:
            raise JournalError(
                f"run journal {self.path} was deleted or replaced while this process was "
                f"writing to it: the runs since are not journaled; runs already recorded in it "
                f"are lost unless the file is restored"
            )

    def _write(self, batch: _Batch) -> None:
        conn = self._db
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT OR REPLACE INTO runs (run_id, graph, spec, status, started, input, "
                "resumed_from, pid, host, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch.new_runs,
            )
            # rows made on the loop's thread: SQLite parses no JSON here
            _insert_events(conn, batch.events)
            conn.executemany(
                'INSERT OR REPLACE INTO checkpoints (run_id, step, seq, "values", next, time) '
                "VALUES (?, ?, ?, ?, ?, ?)",
                batch.checkpoints,
            )
            conn.executemany(
                "UPDATE runs SET status = ?, finished = ?, error = ?, steps = ?, next = ?, "
                "final_values = ? WHERE run_id = ?",
                batch.ended_runs,
            )
            conn.executemany("UPDATE runs SET heartbeat = ? WHERE run_id = ?", batch.beats)
            for op in batch.ops:
                op(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


_EVENT_ROWS = (4000, 512, 64, 8, 1)
"""Events written by one ``INSERT``: as many 4,000-row statements as fit (20,000
parameters, under SQLite's 32,766), the rest in smaller ones (a few statement shapes,
compiled once each). The sqlite3 module lets go of the GIL around each statement it steps:
row by row (``executemany``), a writer thread competing with a busy loop thread got the
GIL back about once per switch interval (5 ms), about 200 rows a second, so a node writing
a million lines left nearly all of them queued in memory (313 MB at their peak); a
statement of 4,000 rows lets go of it once for all of them (6 MB)."""

_INSERT_EVENTS = {
    rows: "INSERT OR REPLACE INTO events (run_id, seq, kind, time, data) VALUES "
    + ", ".join(["(?, ?, ?, ?, ?)"] * rows)
    for rows in _EVENT_ROWS
}


def _insert_events(conn: sqlite3.Connection, rows: list[tuple[str, int, str, float, Any]]) -> None:
    """Insert ``rows`` in order, in statements of ``_EVENT_ROWS`` rows."""
    start, left = 0, len(rows)
    for size in _EVENT_ROWS:
        sql = _INSERT_EVENTS[size]
        while left >= size:
            conn.execute(sql, list(chain.from_iterable(rows[start : start + size])))
            start += size
            left -= size
