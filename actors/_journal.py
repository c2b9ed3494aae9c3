"""``Journal``: every event of every run, and a checkpoint after every step, in SQLite.

One database file (WAL mode) holds three tables: ``runs`` (one row a run), ``events`` (every
event, as ``dump_event_json`` wrote it) and ``checkpoints`` (one row per step: the nodes to
run next, and where the state after the step is found). The runtime writes it: pass
``journal=`` to ``compile`` or ``start``, and the supervisor calls the sink that
``sink_for`` returns with every event, in order, on the event loop's thread.

What is written per step is what changed (schema version 2): a step's ``StateUpdated`` event
carries its delta, and its checkpoint row points at that event. A full snapshot of the state
is written only once the deltas since the last one add up to its size (and at least
``snapshot_bytes``), so the file grows by O(update) per step (amortised, at most twice the
deltas) and a resume replays at most a snapshot's worth of deltas. ``checkpoints`` rebuilds
each step's state from the nearest snapshot (or the run's input) and the deltas after it.

Writes are batched and off the event loop: the sink serialises each event and buffers it;
a writer thread writes the buffer in one transaction on a short timer (``flush_interval``),
at once on ``RunStarted``, and on ``RunFinished``, for which the sink returns a future the
supervisor awaits before it settles the run. So a crash loses at most the last
``flush_interval`` seconds of a run, a run that ends is on disk when its result is, and the
loop (the GUI's, under qasync) never waits for the disk, even when another process holds
the file locked: the writer thread waits out the lock.

A run still marked ``running`` whose writer process is gone was interrupted by a crash:
opening the journal marks it ``interrupted``, and ``resume`` gives its last checkpoint.

Stdlib ``sqlite3`` only; no Qt.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import queue
import socket
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from . import _jsonsafe as jsonsafe
from ._constants import START
from ._events import Event, RunFinished, RunStarted, StateUpdated, load_event
from ._graph import Checkpoint

if TYPE_CHECKING:
    from ._graph import CompiledGraph
    from ._run import Run

log = logging.getLogger("graphstage.journal")

SCHEMA_VERSION = 2
"""The schema this module writes (``PRAGMA user_version``). Version 1 (a full state in every
checkpoint row) is migrated on opening: its rows become snapshots."""

HEARTBEAT_INTERVAL = 5.0
"""Seconds between heartbeats of a process's running runs."""

STALE_AFTER = 600.0
"""Seconds without a heartbeat after which a ``running`` run is taken as interrupted even if
a process with its writer's pid exists (that pid was reused, or the run is on another host)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id       TEXT PRIMARY KEY,
    graph        TEXT NOT NULL,
    spec         TEXT,
    status       TEXT NOT NULL,
    started      REAL NOT NULL,
    finished     REAL,
    input        TEXT,
    resumed_from TEXT,
    error        TEXT,
    steps        INTEGER NOT NULL DEFAULT 0,
    next         TEXT,
    final_values TEXT,
    pid          INTEGER,
    host         TEXT,
    heartbeat    REAL
);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status);
CREATE TABLE IF NOT EXISTS events (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    time   REAL NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    run_id   TEXT NOT NULL,
    step     INTEGER NOT NULL,
    seq      INTEGER,
    "values" TEXT,
    next     TEXT NOT NULL,
    time     REAL NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
"""
# checkpoints: ``seq`` is the step's StateUpdated event (its delta); ``values`` the whole
# state as JSON on snapshot rows only (every row of a version-1 journal)

_MIGRATE_1_TO_2 = """
ALTER TABLE checkpoints RENAME TO checkpoints_v1;
CREATE TABLE checkpoints (
    run_id   TEXT NOT NULL,
    step     INTEGER NOT NULL,
    seq      INTEGER,
    "values" TEXT,
    next     TEXT NOT NULL,
    time     REAL NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
INSERT INTO checkpoints (run_id, step, seq, "values", next, time)
    SELECT run_id, step, NULL, "values", next, time FROM checkpoints_v1;
DROP TABLE checkpoints_v1
"""

SNAPSHOT_BYTES = 64 * 1024
"""Deltas written since the last snapshot before another one is due, at the least."""

RESUMABLE_STATUSES = ("interrupted", "cancelled", "killed", "failed")
"""The statuses a run can be resumed from: ``interrupted`` (from its last checkpoint), or
one that ended with a next step recorded (``RunRecord.resumable``). The one definition the
journal, the CLI, its help and the window share."""


def _describe_resumable() -> str:
    """``"an interrupted, cancelled, killed or failed"``: for messages and help texts."""
    *most, last = RESUMABLE_STATUSES
    return f"an {', '.join(most)} or {last}"


class JournalError(Exception):
    """The journal cannot be opened, read or written; the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One row of the ``runs`` table."""

    run_id: str
    graph: str
    """The graph's name."""
    spec: str | None
    """How to load the graph again (``file.py:graph``), when the starter told the journal."""
    status: str
    """``running``, ``interrupted`` or a final status (``completed``, ``cancelled``...)."""
    started: float
    """Seconds since the epoch."""
    finished: float | None
    input: Any
    """The validated input state, as JSON data."""
    resumed_from: str | None
    error: str | None
    steps: int
    next: tuple[str, ...]
    """Where a resume starts, as recorded when the run ended (empty while running)."""
    values: Any
    """The final state, as JSON data (None until the run ends)."""
    pid: int | None
    """The process that wrote the run."""
    damaged: str | None = None
    """What could not be read from a damaged or crafted row (those fields are empty)."""

    @property
    def duration(self) -> float | None:
        """Seconds from start to finish, or None if it has not finished."""
        return None if self.finished is None else self.finished - self.started

    @property
    def resumable(self) -> bool:
        """Whether ``Journal.resume`` can go on with this run: it was interrupted, or it
        ended (cancelled, killed, failed) with a next step recorded."""
        if self.status == "interrupted":
            return True
        return self.status in RESUMABLE_STATUSES and bool(self.next)


@dataclass(slots=True)
class _Batch:
    """Rows to write in one transaction, each list in the order its rows were made."""

    new_runs: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[str, int, str, float, str]] = field(default_factory=list)
    checkpoints: list[tuple[Any, ...]] = field(default_factory=list)
    ended_runs: list[tuple[Any, ...]] = field(default_factory=list)
    beats: list[tuple[float, str]] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.new_runs or self.events or self.ended_runs or self.beats)

    def merged(self, later: _Batch) -> _Batch:
        return _Batch(
            self.new_runs + later.new_runs,
            self.events + later.events,
            self.checkpoints + later.checkpoints,
            self.ended_runs + later.ended_runs,
            self.beats + later.beats,
        )


@dataclass(slots=True)
class _Snapshots:
    """One run's snapshot budget (loop thread): bytes of deltas since the last snapshot."""

    last: int
    """Size of the last snapshot (or of the input)."""
    since: int = 0


def default_path() -> Path:
    """``$GRAPHSTAGE_DB`` if set, else ``journal.sqlite3`` in the user's data directory."""
    env = os.environ.get("GRAPHSTAGE_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs  # here, not at module level: the CLI starts faster without it

    return platformdirs.user_data_path("graphstage") / "journal.sqlite3"


def _prepare_file(path: str, *, make_dir: bool) -> None:
    """Check a journal path before SQLite opens it, and create a new journal file readable
    by its owner only (0600; SQLite gives its -wal and -shm files the same mode). Only the
    default data directory is created (0700); a directory the user named must exist: a
    typo must not leave directories behind. ``JournalError`` says what is wrong."""
    if not path.strip():
        raise JournalError(
            "run journal path is empty; name a file with --db or GRAPHSTAGE_DB (or ':memory:' "
            "for a journal that is not kept)"
        )
    file = Path(path).expanduser()
    parent = file.parent
    if make_dir:
        try:
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"run journal {path}: cannot create its directory ({exc.strerror}); use "
                f"another file with --db or GRAPHSTAGE_DB"
            ) from None
    elif not parent.is_dir():
        raise JournalError(
            f"run journal {path}: directory {parent} does not exist; create it, or use "
            f"another file with --db or GRAPHSTAGE_DB"
        )
    if file.is_dir():
        raise JournalError(f"run journal {path} is a directory; name a file in it")
    try:
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # an existing file: its mode is its owner's choice
    except OSError as exc:
        raise JournalError(
            f"run journal {path}: cannot create it ({exc.strerror}); use another file with "
            f"--db or GRAPHSTAGE_DB"
        ) from None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


class Journal:
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
        self.path = str(default_path() if path is None else path)
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
                self._setup()
                if recover:
                    self.recovered = self._recover()
                if self.path != ":memory:":
                    stat = os.stat(self.path)
                    self._file_id = (stat.st_dev, stat.st_ino)
        except BaseException:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            raise

    # -- opening -------------------------------------------------------------------------

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

    def _flush_for_read(self) -> None:
        """Make buffered rows visible to a read: wait for them, unless this thread runs an
        event loop (the GUI's), which must never wait for the disk; hand them off then."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self.flush_quietly()
            return
        self._hand_off()

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError(f"run journal {self.path} is closed")
        return self._conn

    def _setup(self) -> None:
        conn = self._db
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"run journal {self.path} has schema version {version}, written by a newer "
                f"graphstage (this one reads up to version {SCHEMA_VERSION}); upgrade "
                f"graphstage, or use another file with --db or GRAPHSTAGE_DB"
            )
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        if (version == 0 and tables) or (version > 0 and "runs" not in tables):
            # someone else's database: adopting it would add tables, set user_version and
            # switch it to WAL under its owner's feet
            raise JournalError(
                f"run journal {self.path} is an SQLite database but not a graphstage journal "
                f"(it holds {', '.join(sorted(tables)[:5]) or 'no runs table'}); leave it alone "
                f"and use another file with --db or GRAPHSTAGE_DB"
            )
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a commit survives a process crash; only a power loss may lose the
        # last commits, never corrupt the file.
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if version == 1:
                    self._run_statements(_MIGRATE_1_TO_2)
                self._create_schema()
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _create_schema(self) -> None:
        self._run_statements(_SCHEMA)

    def _run_statements(self, script: str) -> None:
        # executescript would COMMIT our transaction first; run the statements one by one
        for statement in script.split(";"):
            if statement.strip():
                self._db.execute(statement)

    def _recover(self) -> list[str]:
        conn = self._db
        rows = conn.execute(
            "SELECT run_id, pid, host, heartbeat FROM runs WHERE status = 'running'"
        ).fetchall()
        now = time.time()
        dead = [
            run_id
            for run_id, pid, host, beat in rows
            if (beat is None or now - beat > STALE_AFTER)
            or (host == self._host and (pid is None or not _pid_alive(pid)))
        ]
        if dead:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "UPDATE runs SET status = 'interrupted' WHERE run_id = ? AND status = 'running'",
                [(run_id,) for run_id in dead],
            )
            conn.execute("COMMIT")
            log.warning(
                "run journal %s: marked %d run(s) interrupted: %s",
                self.path,
                len(dead),
                ", ".join(dead),
            )
        return dead

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

    # -- writing: the loop's thread buffers, a writer thread writes ------------------------

    def remember_spec(self, graph: CompiledGraph, spec: str) -> None:
        """Record how ``graph`` was loaded (``file.py:graph``), so its runs can be resumed
        by a later process. Call before ``graph.start``."""
        self._specs[graph] = spec

    def sink_for(
        self, graph: CompiledGraph, run: Run
    ) -> Callable[[Event], asyncio.Future[None] | None]:
        """The callable the supervisor gives every event of ``run``, in seq order, on the
        event loop's thread. It only serialises and buffers; the writer thread writes.
        On ``RunFinished`` it returns a future that resolves once the run is on disk, with
        a ``JournalError`` if some of it could not be written (never blocking the loop).

        Raises ``JournalError`` if the journal already holds a run with ``run``'s id
        (``config["run_id"]`` reused): two runs' events must never merge under one id."""
        if self._conn is not None and (run.run_id in self._running or self._has(run.run_id)):
            raise JournalError(
                f"run id {run.run_id!r} is already in run journal {self.path}: a run id names "
                f"one run; leave config['run_id'] unset for a fresh one, or pass a new one"
            )
        spec = self._specs.get(graph)

        def sink(event: Event) -> asyncio.Future[None] | None:
            return self._record(event, spec, run)

        return sink

    def _has(self, run_id: str) -> bool:
        """Whether a run with this id is on disk (one primary-key lookup; WAL reads take
        no lock, so this never waits for a writer)."""
        with self._reading("checking a run id") as db:
            return (
                db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is not None
            )

    def _record(self, event: Event, spec: str | None, run: Run) -> asyncio.Future[None] | None:
        if self._conn is None:
            return None
        run_id = event.run_id
        if isinstance(event, RunStarted):
            data, inp = _dump_with(event, "input", event.input)
            self._budgets[run_id] = _Snapshots(last=len(inp))
        elif isinstance(event, RunFinished):
            data, values = _dump_with(event, "values", event.values)
        else:
            data = _dump(event)
        with self._buf_lock:
            buf = self._buf
            buf.events.append((run_id, event.seq, event.kind, event.time, data))  # type: ignore[attr-defined]
            if isinstance(event, StateUpdated):
                buf.checkpoints.append(
                    (
                        run_id,
                        event.step,
                        event.seq,
                        self._snapshot(run_id, len(data), run),
                        json.dumps(event.next),
                        event.time,
                    )
                )
            elif isinstance(event, RunStarted):
                buf.new_runs.append(
                    (
                        run_id,
                        event.graph,
                        spec,
                        "running",
                        event.time,
                        inp,
                        event.resumed_from,
                        self._pid,
                        self._host,
                        event.time,
                    )
                )
            elif isinstance(event, RunFinished):
                buf.ended_runs.append(
                    (
                        event.status,
                        event.time,
                        event.error,
                        event.steps,
                        json.dumps(event.next),
                        values,
                        run_id,
                    )
                )
        if isinstance(event, RunStarted):
            self._running.add(run_id)
            self._start_heartbeat()
            self._hand_off()  # the run is listed at once
        elif isinstance(event, RunFinished):
            self._running.discard(run_id)
            self._budgets.pop(run_id, None)
            return self._written_future(self._hand_off())
        elif self._flush_handle is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self._hand_off()
                return None
            self._flush_handle = loop.call_later(self.flush_interval, self._on_timer)
        return None

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

    def _snapshot(self, run_id: str, delta: int, run: Run) -> str | None:
        """The whole state as JSON if a snapshot is due after a delta of ``delta`` bytes."""
        budget = self._budgets.get(run_id)
        supervisor = run._supervisor
        if budget is None or supervisor is None:
            return None
        budget.since += delta
        if budget.since < max(budget.last, self.snapshot_bytes):
            return None
        values = _ANY.dump_json(supervisor.state).decode()
        budget.last, budget.since = len(values), 0
        return values

    def _on_timer(self) -> None:
        self._flush_handle = None
        self._hand_off()

    def _hand_off(self) -> int:
        """Give the buffered rows to the writer thread; return the batch's number."""
        with self._buf_lock:
            batch = self._buf
            if batch.empty():
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
            conn.executemany(
                "INSERT OR REPLACE INTO events (run_id, seq, kind, time, data) "
                "VALUES (?, ?, ?, ?, ?)",
                batch.events,
            )
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
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _start_heartbeat(self) -> None:
        if self._beat_handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._beat_handle = loop.call_later(HEARTBEAT_INTERVAL, self._beat)

    def _beat(self) -> None:
        """Tell other processes this one's runs are alive, while any is running."""
        self._beat_handle = None
        if not self._running or self._conn is None:
            return
        now = time.time()
        with self._buf_lock:
            self._buf.beats.extend((now, run_id) for run_id in self._running)
        self._hand_off()
        self._start_heartbeat()

    @contextmanager
    def connection(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The journal's connection, held for the block: how the checkpoint saver keeps its
        tables in the same file. sqlite3's errors become a ``JournalError``."""
        with self._guard(doing):
            yield self._db

    # -- reading -------------------------------------------------------------------------

    def runs(self, *, limit: int | None = None, status: str | None = None) -> list[RunRecord]:
        """Runs, newest first; ``status`` filters, ``limit`` caps the count."""
        sql = f"SELECT {_RUN_COLUMNS} FROM runs"
        params: list[Any] = []
        if status is not None:
            sql += " WHERE status = ?"
            params.append(status)
        sql += " ORDER BY started DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        self._flush_for_read()
        with self._reading("reading the runs") as db:
            rows = db.execute(sql, params).fetchall()
        return [_record(row) for row in rows]

    def run(self, run_id: str) -> RunRecord:
        """The run whose id is ``run_id`` or starts with it; ``KeyError`` (with a message)
        if there is none, or several match."""
        self._flush_for_read()
        with self._reading("reading a run") as db:
            rows = db.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE run_id = ? OR run_id LIKE ? ESCAPE '\\' "
                "ORDER BY started DESC LIMIT 6",
                (run_id, _like_prefix(run_id)),
            ).fetchall()
        exact = [row for row in rows if row[0] == run_id]
        if exact:
            return _record(exact[0])
        if not rows:
            raise KeyError(f"no run {run_id!r} in {self.path}; `graphstage runs` lists them")
        if len(rows) > 1:
            ids = ", ".join(str(row[0])[:12] for row in rows[:5])
            raise KeyError(f"run id {run_id!r} is ambiguous ({ids}...); give more characters")
        return _record(rows[0])

    def events(self, run_id: str, damaged: list[str] | None = None) -> list[Event]:
        """The run's events in seq order, as ``Event`` objects (state values are dicts).

        A row that is not a valid event (damaged, or crafted) is left out; if ``damaged``
        is a list, a line naming each such row and its problem is appended to it."""
        self._flush_for_read()
        with self._reading("reading events") as db:
            rows = db.execute(
                "SELECT seq, data FROM events WHERE run_id = ? ORDER BY seq", (run_id,)
            ).fetchall()
        out: list[Event] = []
        for seq, data in rows:
            try:
                out.append(_load_row(data))
            except ValueError as exc:
                if damaged is not None:
                    damaged.append(f"event {seq!r:.20} of run {run_id}: {exc}")
        return out

    def checkpoints(self, run_id: str) -> list[Checkpoint]:
        """The run's checkpoints, one per completed step, in step order, each with the whole
        state after its step (rebuilt from snapshots and deltas)."""
        return self._rebuild(run_id, every=True)

    def _rebuild(self, run_id: str, *, every: bool) -> list[Checkpoint]:
        """Checkpoints from the nearest snapshot (or the run's input) and the deltas after
        it: every one, or (``every=False``) only the last, replaying only what it needs."""
        self._flush_for_read()
        with self._reading("reading checkpoints") as db:
            first = -1
            if not every:
                (first,) = db.execute(
                    "SELECT coalesce(max(step), -1) FROM checkpoints WHERE run_id = ? "
                    'AND "values" IS NOT NULL',
                    (run_id,),
                ).fetchone()
            rows = db.execute(
                'SELECT c.step, c."values", c.next, e.data FROM checkpoints c LEFT JOIN events e '
                "ON e.run_id = c.run_id AND e.seq = c.seq WHERE c.run_id = ? AND c.step >= ? "
                "ORDER BY c.step",
                (run_id, first),
            ).fetchall()
            start = None
            if rows and rows[0][1] is None:
                start = db.execute("SELECT input FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        step: Any = "input"
        try:
            values: dict[str, Any] = jsonsafe.loads(start[0]) if start and start[0] else {}
            out: list[Checkpoint] = []
            for step, snapshot, nxt, data in rows:
                if snapshot is not None:
                    values = jsonsafe.loads(snapshot)
                elif data is not None:
                    _apply_delta(values, jsonsafe.loads(data))
                if every:  # each checkpoint gets lists of its own: the next delta extends these
                    state = {k: list(v) if isinstance(v, list) else v for k, v in values.items()}
                    out.append(Checkpoint(run_id, step, state, _names(nxt)))
            if not every and rows:
                out.append(Checkpoint(run_id, rows[-1][0], values, _names(rows[-1][2])))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise JournalError(
                f"run journal {self.path}: run {run_id}'s checkpoint at step {step!r:.20} is "
                f"damaged ({exc}); it cannot be rebuilt from there"
            ) from None
        return out

    def resume(self, run_id: str) -> Checkpoint:
        """Where to resume a run that did not complete: its last checkpoint and next nodes.

        For an ``interrupted`` run the next nodes are those its last checkpoint named (or
        the entry nodes if no step completed); for a ``cancelled``, ``killed`` or ``failed``
        run, those it recorded when it ended. ``JournalError`` says why if it cannot be.
        Pass the result to ``graph.resume(checkpoint, journal=...)``.
        """
        record = self.run(run_id)
        if record.damaged:
            raise JournalError(
                f"run {record.run_id} cannot be resumed: its journal row is damaged "
                f"({record.damaged})"
            )
        if record.status not in RESUMABLE_STATUSES:
            raise JournalError(
                f"run {record.run_id} is {record.status}; only {_describe_resumable()} run "
                f"can be resumed"
            )
        checkpoints = self._rebuild(record.run_id, every=False)
        last = checkpoints[-1] if checkpoints else None
        step = last.step if last is not None else 0
        if record.status == "interrupted":
            values = last.values if last is not None else record.input
            nxt = last.next if last is not None else self._entry_nodes(record.run_id)
        else:
            values = record.values if record.values is not None else record.input
            nxt = record.next
        if not nxt:
            raise JournalError(
                f"run {record.run_id} ({record.status}) has no next node recorded: "
                + (
                    "its graph had reached its end"
                    if record.status != "interrupted"
                    else "it was interrupted before its first step was journaled"
                )
                + "; start a new run instead"
            )
        return Checkpoint(record.run_id, step, values, nxt)

    def _entry_nodes(self, run_id: str) -> tuple[str, ...]:
        with self._reading("reading events") as db:
            rows = db.execute(
                "SELECT data FROM events WHERE run_id = ? AND kind = 'transition' "
                "AND json_extract(data, '$.step') = 0 AND json_extract(data, '$.src') = ? "
                "ORDER BY seq",
                (run_id, START),
            ).fetchall()
        try:
            return tuple(dict.fromkeys(str(jsonsafe.loads(data)["dst"]) for (data,) in rows))
        except (ValueError, TypeError, KeyError) as exc:
            raise JournalError(
                f"run journal {self.path}: run {run_id}'s first transition is damaged ({exc})"
            ) from None


# one adapter per event class: a third faster than the discriminated union's, same JSON
_ADAPTERS: dict[type[Event], TypeAdapter[Any]] = {}


def _dump(event: Event) -> str:
    cls = type(event)
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return jsonsafe.dump_json(adapter, event).decode()


_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def _dump_with(event: Event, name: str, value: Any) -> tuple[str, str]:
    """The event's JSON and, dumped once, its field ``name``'s JSON (the whole state, on
    ``RunStarted`` and ``RunFinished``: serialised once, never parsed back)."""
    cls = type(event)
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    head = jsonsafe.dump_json(adapter, event, exclude={name}).decode()
    value_json = jsonsafe.dump_json(_ANY, value).decode()
    return f'{head[:-1]},"{name}":{value_json}}}', value_json


def _apply_delta(values: dict[str, Any], event: dict[str, Any]) -> None:
    """Apply a ``StateUpdated`` event's delta (as JSON data) to ``values``, in place: every
    list in ``values`` was parsed for this rebuild, so nobody else holds it."""
    values.update(event["update"])
    for name, items in (event.get("appended") or {}).items():
        current = values.get(name)
        if isinstance(current, list):
            current.extend(items)
        else:
            values[name] = list(items)


def _names(text: Any) -> tuple[str, ...]:
    """A ``next`` column: a JSON list of node names, or ``ValueError``."""
    names = jsonsafe.loads(text)
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise ValueError(f"next is {text!r:.40}, not a list of node names")
    return tuple(names)


def _load_row(data: Any) -> Event:
    """An ``events`` row's event; ``ValueError`` saying what is wrong with a damaged one."""
    try:
        return load_event(data)
    except ValueError:  # pydantic's ValidationError; also a number JSON cannot hold
        pass
    try:
        return load_event(jsonsafe.loads(data))
    except ValueError as exc:
        first = str(exc).splitlines()
        raise ValueError(" ".join(first[:3])[:300] or type(exc).__name__) from None


_RUN_COLUMNS = (
    "run_id, graph, spec, status, started, finished, input, resumed_from, error, "
    "steps, next, final_values, pid"
)


def _record(row: tuple[Any, ...]) -> RunRecord:
    """A ``runs`` row as a record. A damaged or crafted row (text where a time belongs,
    JSON that is not JSON, a ``next`` that is not a list of names) still gives a record:
    the fields it could not read are empty, and ``damaged`` says which and why."""
    problems: list[str] = []
    (run_id, graph, spec, status, started, finished, inp, resumed_from, error, steps, nxt,
     values, pid) = row  # fmt: skip

    def text(name: str, value: Any, default: str | None) -> Any:
        if value is None or isinstance(value, str):
            return default if value is None else value
        problems.append(f"{name} is {type(value).__name__}, not text")
        return str(value)

    def number(name: str, value: Any, default: float | None) -> Any:
        if value is None and default is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        problems.append(f"{name} is {value!r:.40}, not a time")
        return default

    def parsed(name: str, value: Any) -> Any:
        if value is None:
            return None
        try:
            return jsonsafe.loads(value)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
            return None

    next_nodes = parsed("next", nxt) if nxt else []
    if not (isinstance(next_nodes, list) and all(isinstance(n, str) for n in next_nodes)):
        problems.append(f"next is {nxt!r:.40}, not a list of node names")
        next_nodes = []
    if not isinstance(steps, int) or isinstance(steps, bool):
        problems.append(f"steps is {steps!r:.40}, not a number")
        steps = 0
    return RunRecord(
        run_id=text("run_id", run_id, ""),
        graph=text("graph", graph, ""),
        spec=text("spec", spec, None),
        status=text("status", status, ""),
        started=number("started", started, 0.0),
        finished=number("finished", finished, None),
        input=parsed("input", inp),
        resumed_from=text("resumed_from", resumed_from, None),
        error=text("error", error, None),
        steps=steps or 0,
        next=tuple(next_nodes),
        values=parsed("final_values", values),
        pid=pid if isinstance(pid, int) else None,
        damaged="; ".join(problems) or None,
    )


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
