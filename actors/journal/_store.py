"""``Journal``: the parts (schema, writer thread, recovery, sink, reader) composed, and
opening and closing the file."""

from __future__ import annotations

import asyncio
import atexit
import os
import queue
import socket
import sqlite3
import threading
import weakref
from typing import Any

from ._base import JournalError
from ._reader import _Reader
from ._recovery import _pid_alive
from ._schema import _prepare_file, default_path
from ._sink import SNAPSHOT_BYTES, _Snapshots
from ._writer import _Batch


class Journal(_Reader):
    """A run journal in one SQLite file. Thread-safe; one connection guarded by a lock.

    ``Journal()`` opens the default file (see ``default_path``), ``Journal(":memory:")`` a
    private in-memory one. Opening creates the schema, checks its version, and (unless
    ``recover=False``) marks as ``interrupted`` the runs left ``running`` by a dead process.
    ``timeout`` is how many seconds to wait for another process's write lock.
    Raises ``JournalError`` naming the file if it is corrupt, locked, or from a newer release.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        flush_interval: float = 0.05,
        recover: bool = True,
        timeout: float = 5.0,
        snapshot_bytes: int = SNAPSHOT_BYTES,
    ) -> None:
        if path is not None and not isinstance(path, str | os.PathLike):
            raise TypeError(
                f"a journal's path is a str or a path, not {type(path).__name__}; "
                f"Journal('runs.sqlite3'), or None for the default"
            )
        self.path = str(default_path() if path is None else os.fsdecode(path))
        """The database file (or ``:memory:``)."""
        self.flush_interval = flush_interval
        """Seconds an event may wait in memory before it is written."""
        self.snapshot_bytes = snapshot_bytes
        """Bytes of deltas after which a full snapshot may be due (see the module doc)."""
        # run id -> its snapshot budget, for the runs of this journal that are going on
        self._budgets: dict[str, _Snapshots] = {}
        self.error: JournalError | None = None
        """The first write failure, if any: the journal of the runs since is incomplete."""
        self.recovered: list[str] = []
        """Run ids this journal marked ``interrupted`` when it opened."""
        self._pid = os.getpid()
        self._host = socket.gethostname()
        # guards the connection: the writer thread writes, any thread reads
        self._lock = threading.RLock()
        # rows not yet handed to the writer; replaced (never cleared) under _buf_lock
        self._buf = _Batch()
        self._buf_lock = threading.Lock()
        # batches for the writer thread, in order; None tells it to stop
        self._queue: queue.SimpleQueue[_Batch | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        # batches handed off / written (or failed) so far; flush() waits for the former
        # to reach the latter
        self._queued = 0
        self._written = 0
        self._written_cond = threading.Condition()
        # (batch number, future, its loop): resolved by the writer thread once that batch
        # is written (or failed to be); guarded by _written_cond
        self._waiters: list[tuple[int, asyncio.Future[None], asyncio.AbstractEventLoop]] = []
        # rows of a batch that failed to write, tried again with the next one
        self._retry: _Batch | None = None
        # the pending flush timer, or None when the buffer is empty (or no loop is running)
        self._flush_handle: asyncio.TimerHandle | None = None
        self._beat_handle: asyncio.TimerHandle | None = None
        # runs of this journal that have started and not finished
        self._running: set[str] = set()
        # graph -> the spec it was loaded from, for the runs table (see remember_spec)
        self._specs: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._conn: sqlite3.Connection | None = None
        # readers' own connection (a file only), opened on the first read; see _reading
        self._read_conn: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()
        self._timeout = timeout
        # the file's identity once open: a journal deleted or replaced mid-run is noticed
        self._file_id: tuple[int, int] | None = None
        if self.path != ":memory:":
            _prepare_file(self.path, make_dir=path is None and not os.environ.get("GRAPHSTAGE_DB"))
        try:
            with self._guard("opening"):
                self._conn = sqlite3.connect(
                    self.path, timeout=timeout, isolation_level=None, check_same_thread=False
                )
                # for writes that depend on whether a process still runs (a thread's claim)
                self._conn.create_function(
                    "graphstage_process_gone", 2, self._process_gone, deterministic=False
                )
                self._setup()
                if recover:
                    self.recovered = self._recover()
                if self.path != ":memory:":
                    stat = os.stat(self.path)
                    self._file_id = (stat.st_dev, stat.st_ino)
            _OPEN.add(self)
        except BaseException:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            raise

    def _process_gone(self, pid: int, host: str) -> bool:
        """Whether process ``pid`` on ``host`` has ended (another host's: not known, so
        taken as running)."""
        return host == self._host and pid != self._pid and not _pid_alive(pid)

    def close(self) -> None:
        """Write what is buffered, stop the writer thread and close the file. Runs still
        going are not journaled further (their sink drops events). Idempotent. A failing
        last write does not raise: it is logged and kept in ``error``, like every one."""
        if self._conn is None:
            return
        try:
            self.flush_quietly()
        finally:
            for handle in (self._flush_handle, self._beat_handle):
                if handle is not None:
                    handle.cancel()
            if self._writer is not None:
                self._queue.put(None)
                self._writer.join()
                self._writer = None
            with self._lock:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
            with self._read_lock:
                if self._read_conn is not None:
                    self._read_conn.close()
                    self._read_conn = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# journals not closed yet: what they have queued is written when the interpreter exits (the
# writer thread is a daemon, and a checkpoint put from sync code must not be lost with it)
_OPEN: weakref.WeakSet[Journal] = weakref.WeakSet()


@atexit.register
def flush_open_journals() -> None:
    """Write what every journal of this process still has queued (each bounded by its
    ``timeout``; failures are kept in its ``error``). Run at interpreter exit; call it before
    ``os._exit``, which skips that."""
    for journal in list(_OPEN):
        journal.flush_quietly()
