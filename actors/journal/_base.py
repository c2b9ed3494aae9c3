"""The journal's error, and the state and connection helpers every part of ``Journal`` shares."""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._sink import _Snapshots
    from ._writer import _Batch


class JournalError(Exception):
    """The journal cannot be opened, read or written; the message names the file and the fix."""


class _JournalBase:
    """What ``Journal.__init__`` sets up (see there), and the connection helpers. The parts
    of ``Journal`` build on this one by one: schema, writer, recovery, sink, reader."""

    path: str
    flush_interval: float
    snapshot_bytes: int
    _budgets: dict[str, _Snapshots]
    error: JournalError | None
    recovered: list[str]
    _pid: int
    _host: str
    _lock: threading.RLock
    _buf: _Batch
    _buf_lock: threading.Lock
    _queue: queue.SimpleQueue[_Batch | None]
    _writer: threading.Thread | None
    _queued: int
    _written: int
    _written_cond: threading.Condition
    _waiters: list[tuple[int, asyncio.Future[None], asyncio.AbstractEventLoop]]
    _retry: _Batch | None
    _flush_handle: asyncio.TimerHandle | None
    _beat_handle: asyncio.TimerHandle | None
    _running: set[str]
    _specs: weakref.WeakKeyDictionary[Any, str]
    _conn: sqlite3.Connection | None
    _read_conn: sqlite3.Connection | None
    _read_lock: threading.Lock
    _timeout: float
    _file_id: tuple[int, int] | None

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn sqlite3's errors into a ``JournalError`` that names the file and a fix."""
        try:
            with self._lock:
                yield
        except sqlite3.Error as exc:
            raise JournalError(self._explain(doing, exc)) from exc

    def _explain(self, doing: str, exc: sqlite3.Error) -> str:
        msg = str(exc)
        where = f"run journal {self.path}"
        if "locked" in msg or "busy" in msg:
            fix = "another process holds it locked; wait for it, or use another --db file"
        elif "not a database" in msg or "malformed" in msg or "corrupt" in msg:
            fix = (
                "the file is corrupt or not a graphstage journal; move it aside, or use "
                "another --db file"
            )
        elif "readonly" in msg or "read-only" in msg:
            fix = "the file or its directory is read-only; make it writable or use another --db"
        elif "full" in msg:
            fix = "the disk is full; free some space"
        elif "unable to open" in msg:
            fix = "check that the directory exists and is writable, or use another --db file"
        else:
            fix = "check the file, or use another --db file (or GRAPHSTAGE_DB)"
        return f"{where}: {doing} failed: {msg}; {fix}"

    @contextmanager
    def _reading(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A connection to read with. A file has a second connection for reads, so a
        reader never waits for the writer thread's lock (which it holds while another
        process's lock keeps it waiting): in WAL mode reads need no lock of their own."""
        if self.path == ":memory:":  # one private database: one connection
            with self._guard(doing):
                yield self._db
            return
        try:
            with self._read_lock:
                if self._read_conn is None:
                    self._db  # noqa: B018 - raises JournalError once the journal is closed
                    self._read_conn = sqlite3.connect(
                        self.path, timeout=self._timeout, check_same_thread=False
                    )
                yield self._read_conn
        except sqlite3.Error as exc:
            raise JournalError(self._explain(doing, exc)) from exc

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError(f"run journal {self.path} is closed")
        return self._conn

    @contextmanager
    def connection(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The journal's connection, held for the block: how the checkpoint saver keeps its
        tables in the same file. sqlite3's errors become a ``JournalError``."""
        with self._guard(doing):
            yield self._db
