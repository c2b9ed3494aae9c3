"""The loop's side of writing: each event serialised and buffered as rows, and a snapshot of
the whole state when the deltas since the last one add up."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from pydantic import TypeAdapter

from .. import _jsonsafe as jsonsafe
from .._events import Event, RunFinished, RunStarted, StateUpdated
from ._base import JournalError
from ._final import FinalJson, frozen_values
from ._records import _load_row
from ._recovery import _Recovery

if TYPE_CHECKING:
    from .._graph import CompiledGraph
    from .._run import Run

SNAPSHOT_BYTES = 64 * 1024
"""Deltas written since the last snapshot before another one is due, at the least."""

PAGE = 5_000
"""Events a run's reader reads from the journal at a time (the lines the run let go of)."""


def nested_key(run_id: str, namespace: tuple[str, ...]) -> str:
    """The ``events.run_id`` under which a subgraph run's events inside run ``run_id`` are
    kept: the run's id, then the namespace (control characters no id or name holds
    between them), so that one range of the primary key holds a run's subgraph events and
    ``WHERE run_id = ?`` never meets them; no ``runs`` row names them."""
    return run_id + "\x1e" + "\x1f".join(namespace)


@dataclass(slots=True)
class _Snapshots:
    """One run's snapshot budget (loop thread): bytes of deltas since the last snapshot."""

    last: int
    """Size of the last snapshot (or of the input)."""
    since: int = 0


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


class _Sink(_Recovery):
    """The sink the supervisor gives every event of a run (on the event loop's thread)."""

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

        if next(graph.get_subgraphs(), None) is not None:  # its subgraph runs' events too
            run.watch_subgraphs(partial(self._record_nested, run.run_id))
        run._backfill = partial(self._events_between, run.run_id)
        return sink

    async def _events_between(self, run_id: str, lo: int, hi: int) -> list[Event]:
        """Up to ``PAGE`` of the run's events with ``lo <= seq < hi``, in seq order, once
        they are written (awaited: the loop never waits for the disk, and the read runs
        in a worker thread). ``[]`` if the journal cannot give them (it failed)."""
        written = self._written_future(self._hand_off())
        try:
            if written is not None:
                await written
        except JournalError:
            pass  # some batch could not be written: read what was
        try:
            return await asyncio.to_thread(self._read_between, run_id, lo, hi)
        except JournalError:
            return []

    def _read_between(self, run_id: str, lo: int, hi: int) -> list[Event]:
        with self._reading("reading a run's events") as db:
            rows = db.execute(
                "SELECT data FROM events WHERE run_id = ? AND seq >= ? AND seq < ? "
                "ORDER BY seq LIMIT ?",
                (run_id, lo, hi, PAGE),
            ).fetchall()
        out: list[Event] = []
        for (data,) in rows:
            try:
                out.append(_load_row(data))
            except ValueError:  # a damaged row: the seq shows the gap
                pass
        return out

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
        data: str | FinalJson
        values: str | FinalJson = ""
        if isinstance(event, RunStarted):
            data, inp = _dump_with(event, "input", event.input)
            self._budgets[run_id] = _Snapshots(last=len(inp))
        elif isinstance(event, RunFinished):
            # its state is serialised by the writer thread (see _final), not here
            final = FinalJson(replace(event, values=frozen_values(event.values)))
            data, values = final, final.values()
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
                        self._snapshot(run_id, len(cast(str, data)), run),
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
        else:
            self._flush_soon()
        return None

    def _record_nested(self, run_id: str, namespace: tuple[str, ...], event: Event) -> None:
        """An event of a subgraph run inside run ``run_id`` (on the loop's thread): kept
        with it under ``nested_key`` (the window replays a subgraph's nodes from them)."""
        if self._conn is None:
            return
        kind: str = event.kind  # type: ignore[attr-defined]
        row = (nested_key(run_id, namespace), event.seq, kind, event.time, _dump(event))
        with self._buf_lock:
            self._buf.events.append(row)
        self._flush_soon()

    def _flush_soon(self) -> None:
        """Hand the buffer to the writer after ``flush_interval`` (at once off a loop)."""
        if self._flush_handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._hand_off()
            return
        self._flush_handle = loop.call_later(self.flush_interval, self._on_timer)

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
