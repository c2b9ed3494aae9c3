"""Reading the journal: runs, a run's events and checkpoints, and where to resume one."""

from __future__ import annotations

import asyncio
import heapq
from typing import Any

from .. import _jsonsafe as jsonsafe
from .._constants import START
from .._events import Event
from .._starting import Checkpoint
from ._base import JournalError
from ._records import (
    _RUN_COLUMNS,
    RESUMABLE_STATUSES,
    RunRecord,
    _apply_delta,
    _describe_resumable,
    _like_prefix,
    _load_row,
    _names,
    _record,
)
from ._sink import _Sink, nested_key


class _Reader(_Sink):
    """The reading API; a file has a second connection for it (see ``_reading``)."""

    def _flush_for_read(self) -> None:
        """Make buffered rows visible to a read: wait for them, unless this thread runs an
        event loop (the GUI's), which must never wait for the disk; hand them off then."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self.flush_quietly()
            return
        self._hand_off()

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

    def nested_events(self, run_id: str) -> list[tuple[tuple[str, ...], Event]]:
        """The events of the subgraph runs inside run ``run_id`` (its subgraph nodes'
        runs, level by level), as ``(namespace, event)`` in the order they happened, as
        ``Run.watch_subgraphs`` gave them. Damaged rows are left out."""
        self._flush_for_read()
        low = nested_key(run_id, ())
        with self._reading("reading subgraph events") as db:
            rows = db.execute(
                "SELECT run_id, data FROM events WHERE run_id > ? AND run_id < ? "
                "ORDER BY run_id, seq",
                (low, run_id + "\x1f"),
            ).fetchall()
        runs: dict[str, list[tuple[tuple[str, ...], Event]]] = {}
        for key, data in rows:
            try:
                event = _load_row(data)
            except ValueError:
                continue
            namespace = tuple(key[len(low) :].split("\x1f"))
            runs.setdefault(key, []).append((namespace, event))
        return list(heapq.merge(*runs.values(), key=lambda pair: pair[1].time))

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
