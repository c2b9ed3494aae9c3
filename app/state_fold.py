"""The run's state rebuilt from its events, as plain data. Qt-free.

A ``StateUpdated`` carries only what its step changed (``update``: fields set; ``appended``:
items added to list fields); the state after a step is the fold of those deltas over
``RunStarted.input``. The state view keeps one such fold up to date; picking a step in the
timeline folds the deltas up to that step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic_core import to_jsonable_python

from graphstage import Event, jsonable


def plain(values: Any) -> Any:
    """A state (model instance, dict, anything) as plain dicts and lists."""
    dump = getattr(values, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json")
        except Exception:  # a field pydantic cannot dump: the journal's markers
            return jsonable(values)
    return values


def plain_value(value: Any) -> Any:
    """A value from an update as plain data (models inside it become dicts); a value that
    holds itself, or whose repr raises, gets the journal's markers."""
    try:
        return to_jsonable_python(value, fallback=repr)
    except Exception:  # a cycle, a repr() that raises: described, never a traceback
        return jsonable(value)


def as_fields(values: Any) -> dict[str, Any]:
    """A whole state as a dict of plain fields the caller owns (each as ``plain_value``:
    a field holding itself, or whose repr raises, is shown by its marker)."""
    data = plain(values)
    if not isinstance(data, Mapping):
        return {"state": plain_value(data)}
    return {key: _owned(plain_value(value)) for key, value in data.items()}


def _owned(value: Any) -> Any:
    """A list the fold may extend in place: never one an event still holds."""
    return list(value) if isinstance(value, list) else value


class StateFold:
    """The state after the events applied so far, and what the last step changed."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.changed: set[str] = set()  # fields the last step set or grew
        self.grown: dict[str, int] = {}  # list field -> its length before the last step

    def apply(self, events: Iterable[Event]) -> bool:
        """Fold ``events`` in; True if the state (or what changed) moved."""
        moved = False
        for event in events:
            kind = getattr(event, "kind", "")
            e: Any = event
            if kind == "state_updated":
                self.changed, self.grown = set(e.update) | set(e.appended or ()), {}
                for key, value in e.update.items():
                    self.values[key] = _owned(plain_value(value))
                for key, items in (e.appended or {}).items():
                    current = self.values.get(key)
                    if not isinstance(current, list):
                        current = self.values[key] = list(current or ())
                    self.grown[key] = len(current)
                    current.extend(plain_value(items))
                moved = True
            elif kind == "run_started":
                self.values, self.changed, self.grown = as_fields(e.input), set(), {}
                moved = True
            elif kind == "run_finished" and e.values is not None:
                self.values = as_fields(e.values)
                moved = True
        return moved
