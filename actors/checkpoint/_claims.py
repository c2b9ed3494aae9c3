"""Thread claims in the SQLite saver's file: which run continues a thread, so that one run
at a time does (``claim`` / ``release``; a claim whose process has died is void)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ..journal._base import JournalError
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
    _claims_queued: dict[tuple[str, str], tuple[int, list[str]]]
    """(thread id, run id) -> the claim's write (its batch number) and what it found."""

    def _queue(self, op: Callable[[sqlite3.Connection], None], record: Callable[[], int]) -> int:
        raise NotImplementedError

    def claim(self, thread_id: str, run_id: str) -> str | None:
        """Claim the thread for ``run_id`` unless a live run holds it, as far as the file
        and this process's pending claims show (never waiting for a lock: a refusal here is
        at once). The claim itself is written by the writer thread inside its ``BEGIN
        IMMEDIATE`` transaction, so two processes claiming at the same instant are decided
        there: the first to commit takes the thread, the other finds it taken and does not
        write; ``claimed`` tells the run which, before it runs any node."""
        mine = (run_id, self._pid, self._host)
        refused: list[str] = []  # the run holding the thread, if the write found one

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
                row = db.execute(
                    "SELECT run_id FROM thread_claims WHERE thread_id = ?", (thread_id,)
                ).fetchone()
                refused.append(str(row[0]) if row else "?")

        with self._pending.lock:  # no other claim of this process in between
            holder = self._claim_of(thread_id, self._pending.view(thread_id))
            if holder is not None and holder[0] != run_id and self._alive(holder[1], holder[2]):
                return holder[0]
            n = self._pending.claim(thread_id, "set", mine)
            number = self._db.queue_op(write, lambda: self._pending.landed(n))
        self._claims_queued[(thread_id, run_id)] = (number, refused)
        return None

    def claimed(self, thread_id: str, run_id: str) -> Awaitable[str | None] | None:
        """Once ``run_id``'s claim is written: the run that holds the thread instead (it
        was claimed by another process in the same instant), else None. If the file stays
        locked beyond the journal's timeout the run cannot be told: it goes on (the claim
        is written later, and a conflict then logged), as before exclusive claims."""
        queued = self._claims_queued.pop((thread_id, run_id), None)
        if queued is None:
            return None
        number, refused = queued
        landing = self._db.written(number)

        async def outcome() -> str | None:
            if landing is not None:
                try:
                    await landing
                except JournalError as exc:
                    log.error(
                        "%s; run %s continues thread %r without knowing whether another "
                        "process continues it too",
                        exc,
                        run_id,
                        thread_id,
                    )
                    return None
            return refused[0] if refused else None

        return outcome()

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
        self._claims_queued.pop((thread_id, run_id), None)

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM thread_claims WHERE thread_id = ? AND run_id = ?", (thread_id, run_id)
            )

        self._queue(write, lambda: self._pending.claim(thread_id, "release", run_id))
