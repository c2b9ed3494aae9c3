"""Rows read back: ``RunRecord`` (damaged rows included), the resumable statuses, and the
helpers that parse ``events`` and ``checkpoints`` rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import _jsonsafe as jsonsafe
from .._events import Event, load_event

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
