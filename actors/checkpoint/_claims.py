"""Thread claims in the SQLite saver's file: which run continues a thread, so that one run
at a time does (``claim`` / ``release``; a claim whose process has died is void)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..journal._recovery import _pid_alive
from ._pending import Claim, Pending, View

if TYPE_CHECKING:
    from ..journal import Journal

log = logging.getLogger("graphstage.journal")


class ClaimsInFile:
    """Mixed into ``SqliteSaver``: what it needs of it are the attributes below."""

    _db: Journal
    _pending: Pending
    _pid: int
    _host: str

    def _queue(self, op: Callable[[sqlite3.Connection], None], record: Callable[[], int]) -> int:
        raise NotImplementedError

    def claim(self, thread_id: str, run_id: str) -> str | None:
        """Claim the thread for ``run_id`` unless a live run holds it. Decided at once from
        the file and this process's pending claims (never waiting for a lock); the claim's
        write lands with the others. Two processes claiming the same thread within the same
        instant may both go on: the later write is refused, and logged, naming both."""
        mine = (run_id, self._pid, self._host)

        def write(db: sqlite3.Connection) -> None:
            # taken only if free (or void) when written: another process may have been first
            taken = db.execute(
                "INSERT INTO thread_claims VALUES (?, ?, ?, ?) ON CONFLICT (thread_id) DO "
                "UPDATE SET run_id = excluded.run_id, pid = excluded.pid, host = excluded.host "
                "WHERE thread_claims.run_id = excluded.run_id "
                "OR graphstage_process_gone(thread_claims.pid, thread_claims.host)",
                (thread_id, *mine),
            ).rowcount
            if not taken:
                log.error(
                    "run journal %s: thread %r was claimed by another process at the same "
                    "time as run %s took it; both continue it",
                    self._db.path,
                    thread_id,
                    run_id,
                )

        with self._pending.lock:  # no other claim of this process in between
            holder = self._claim_of(thread_id, self._pending.view(thread_id))
            if holder is not None and holder[0] != run_id and self._alive(holder[1], holder[2]):
                return holder[0]
            n = self._pending.claim(thread_id, "set", mine)
            self._db.queue_op(write, lambda: self._pending.landed(n))
        return None

    def _claim_of(self, thread_id: str, view: View | None) -> Claim | None:
        with self._db._reading("reading a thread's claim") as db:
            row = db.execute(
                "SELECT run_id, pid, host FROM thread_claims WHERE thread_id = ?", (thread_id,)
            ).fetchone()
        on_disk = None if row is None else (row[0], row[1], row[2])
        return on_disk if view is None else view.claim(thread_id, on_disk)

    def _alive(self, pid: int, host: str) -> bool:
        """Whether the process holding a claim may still run (a dead one's claim is void:
        a thread whose process was killed can be continued)."""
        if host != self._host:
            return True
        return pid == self._pid or _pid_alive(pid)

    def release(self, thread_id: str, run_id: str) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM thread_claims WHERE thread_id = ? AND run_id = ?", (thread_id, run_id)
            )

        self._queue(write, lambda: self._pending.claim(thread_id, "release", run_id))
