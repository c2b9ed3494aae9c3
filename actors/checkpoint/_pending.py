"""Checkpoint writes on their way to disk, merged into every read.

``SqliteSaver`` hands its writes (checkpoints, tasks' writes, thread claims, deletions) to
the journal's writer thread, so the event loop's thread never waits for the file (another
process holding it locked, a slow disk). Until the writer has committed a write, it is kept
here, and every read merges it over the file's rows: a read sees every write made before it
(read-your-writes) without waiting for the disk. The writer drops each write from here once
it is committed (``landed``); a write that failed stays, and is tried again with the next.

One ``Pending`` per journal, shared by every saver on it (the window and the CLI make more
than one ``SqliteSaver`` over the same journal).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Literal

Claim = tuple[str, int, str]
"""A thread's claim: the run continuing it, that run's process id and host."""

ClaimOp = tuple[int, Literal["set", "release", "drop"], Any]
"""A queued change of a thread's claim: (write number, what, the claim / the releasing run)."""

WriteRow = tuple[str, str, str, str, str, str]
"""A task's write as a ``thread_writes`` row: thread id, namespace, checkpoint id, task id,
task path, the write as JSON."""

_CHECKPOINT_ID = 2  # a row's checkpoint_id column (see sqlite._COLUMNS)
_THREAD_ID = 0


@dataclass(slots=True)
class _Row:
    n: int
    """The write that made this version (it has landed once write ``n`` is committed)."""
    first: int
    """When this checkpoint was first queued: its place among the checkpoints not yet on
    disk (an update of a row on disk keeps that row's place)."""
    row: tuple[Any, ...]


@dataclass(slots=True)
class View:
    """A copy of the pending writes of one thread (or of all), taken before the file is
    read: whatever the writer commits meanwhile is then either in the copy or on disk."""

    rows: dict[str, _Row] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    claims: dict[str, list[ClaimOp]] = field(default_factory=dict)
    writes: dict[tuple[str, str], WriteRow] = field(default_factory=dict)
    """Tasks' writes not yet on disk: (checkpoint id, task id) -> the row."""

    @property
    def empty(self) -> bool:
        return not (self.rows or self.dropped or self.claims or self.writes)

    def of(self, thread_id: str) -> View:
        """This view narrowed to one thread."""
        return View(
            {k: r for k, r in self.rows.items() if r.row[_THREAD_ID] == thread_id},
            self.dropped & {thread_id},
            {thread_id: self.claims[thread_id]} if thread_id in self.claims else {},
            {k: w for k, w in self.writes.items() if w[0] == thread_id},
        )

    def merge(self, disk: list[tuple[int, tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
        """The rows as they will be once every pending write has landed, oldest first.
        ``disk``: ``(seq, row)`` pairs read after this view was taken."""
        return [row for _, row in self.merge_keyed(disk)]

    def merge_keyed(
        self, disk: list[tuple[int, tuple[Any, ...]]]
    ) -> list[tuple[tuple[int, int], tuple[Any, ...]]]:
        """``merge``, each row with its place: ``(0, seq)`` on disk, ``(1, n)`` pending."""
        keyed: dict[str, tuple[tuple[int, int], tuple[Any, ...]]] = {
            row[_CHECKPOINT_ID]: ((0, seq), row)
            for seq, row in disk
            if row[_THREAD_ID] not in self.dropped
        }
        for cid, pending in self.rows.items():
            on_disk = keyed.get(cid)
            keyed[cid] = (on_disk[0] if on_disk else (1, pending.first), pending.row)
        return sorted(keyed.values(), key=lambda kv: kv[0])

    def claim(self, thread_id: str, on_disk: Claim | None) -> Claim | None:
        """The thread's claim once its pending claim changes have landed."""
        claim = on_disk
        for _, what, arg in self.claims.get(thread_id, ()):
            if what == "set":
                claim = arg
            elif what == "drop" or (claim is not None and claim[0] == arg):
                claim = None
        return claim


class Pending:
    """The pending writes of one journal. ``lock`` is held by a saver from recording a write
    to queueing it, so writes are numbered in the order the writer thread commits them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._n = 0
        self._rows: dict[str, _Row] = {}
        self._dropped: dict[str, int] = {}
        self._claims: dict[str, list[ClaimOp]] = {}
        # (checkpoint id, task id) -> (write number, row)
        self._writes: dict[tuple[str, str], tuple[int, WriteRow]] = {}

    # -- recording (under ``lock``) ---------------------------------------------------------

    def put(self, row: tuple[Any, ...]) -> int:
        self._n += 1
        old = self._rows.get(row[_CHECKPOINT_ID])
        self._rows[row[_CHECKPOINT_ID]] = _Row(self._n, old.first if old else self._n, row)
        return self._n

    def put_write(self, row: WriteRow) -> int:
        self._n += 1
        self._writes[(row[2], row[3])] = (self._n, row)
        return self._n

    def claim(self, thread_id: str, what: Literal["set", "release"], arg: Any) -> int:
        self._n += 1
        self._claims.setdefault(thread_id, []).append((self._n, what, arg))
        return self._n

    def drop(self, thread_id: str) -> int:
        """A thread deleted: its pending checkpoints go, its rows on disk are hidden."""
        self._n += 1
        self._rows = {k: r for k, r in self._rows.items() if r.row[_THREAD_ID] != thread_id}
        self._writes = {k: w for k, w in self._writes.items() if w[1][0] != thread_id}
        self._dropped[thread_id] = self._n
        self._claims.setdefault(thread_id, []).append((self._n, "drop", None))
        return self._n

    # -- the writer thread ------------------------------------------------------------------

    def landed(self, upto: int) -> None:
        """Writes up to number ``upto`` are committed: the file answers for them now."""
        with self.lock:
            self._rows = {k: r for k, r in self._rows.items() if r.n > upto}
            self._dropped = {k: n for k, n in self._dropped.items() if n > upto}
            if self._writes:
                self._writes = {k: w for k, w in self._writes.items() if w[0] > upto}
            for thread_id in list(self._claims):
                ops = [op for op in self._claims[thread_id] if op[0] > upto]
                if ops:
                    self._claims[thread_id] = ops
                else:
                    del self._claims[thread_id]

    # -- reading ----------------------------------------------------------------------------

    def view(self, thread_id: str | None = None) -> View:
        """A copy of the pending writes of ``thread_id`` (None: of every thread)."""
        with self.lock:
            every = View(
                dict(self._rows),
                set(self._dropped),
                {t: list(ops) for t, ops in self._claims.items()},
                {k: w for k, (_, w) in self._writes.items()},
            )
        return every if thread_id is None else every.of(thread_id)


_BY_JOURNAL: weakref.WeakKeyDictionary[Any, Pending] = weakref.WeakKeyDictionary()
_BY_JOURNAL_LOCK = threading.Lock()


def pending_of(journal: Any) -> Pending:
    """The pending writes of ``journal``, shared by every saver on it."""
    with _BY_JOURNAL_LOCK:
        pending = _BY_JOURNAL.get(journal)
        if pending is None:
            pending = _BY_JOURNAL[journal] = Pending()
        return pending
