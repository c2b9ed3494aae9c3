"""A run's final state, serialised by the writer thread rather than on the loop's thread.

``RunFinished`` carries the whole final state, and the journal stores it twice (the event's
row and the run's ``final_values``): at 50,000 messages that is several milliseconds of JSON,
and when many runs end in the same loop iteration their dumps add up to one long stall of
the event loop. The loop's thread only takes a shallow copy of the state (its lists copied:
pointers, not items, so that a reader of the event appending to a list cannot change what
is written); SQLite asks each row's ``FinalJson`` for its text when the writer thread binds
it (``__conform__``), and the first one to be asked dumps both.

The dump is cut into pieces (a state's fields, a long list ``CHUNK`` items at a time), and
the writer thread lets go of the GIL between them: the loop's thread, waiting for the GIL
while the writer thread serialises, gets it back after a piece, not after the whole state
(or the interpreter's 5 ms switch interval).
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import TypeAdapter

from .. import _jsonsafe as jsonsafe
from .._events import RunFinished

CHUNK = 1_000
"""Items of a long list serialised in one call."""

_ANY: TypeAdapter[Any] = TypeAdapter(Any)
_FINISHED: TypeAdapter[RunFinished] = TypeAdapter(RunFinished)


def frozen_values(values: Any) -> Any:
    """What the writer thread will serialise: a dict state with each list copied (on the
    loop's thread: O(fields + list lengths), no item serialised); any other state as it
    is (a model instance is dumped whole)."""
    if type(values) is not dict:
        return values
    return {k: list(v) if type(v) is list else v for k, v in values.items()}


def values_json(values: Any) -> str:
    """``values`` as JSON text, as ``jsonsafe.dump_json`` gives it, a piece at a time."""
    if type(values) is not dict:
        return _dump(values)
    fields = [
        f"{json.dumps(str(k), ensure_ascii=False)}:{_field_json(v)}" for k, v in values.items()
    ]
    return "{" + ",".join(fields) + "}"


def _field_json(value: Any) -> str:
    if type(value) is not list or len(value) <= CHUNK:
        return _dump(value)
    parts = []
    for i in range(0, len(value), CHUNK):
        part = _dump(value[i : i + CHUNK])[1:-1]
        if part:
            parts.append(part)
        time.sleep(0)  # let the loop's thread have the GIL, if it waits for it
    return "[" + ",".join(parts) + "]"


def _dump(value: Any) -> str:
    return jsonsafe.dump_json(_ANY, value).decode()


class FinalJson:
    """The JSON of a ``RunFinished`` row (``part`` 0: the whole event; 1: its values),
    made when SQLite binds it, in the writer thread."""

    __slots__ = ("_event", "_made", "part")

    def __init__(self, event: RunFinished, made: list[str] | None = None, part: int = 0) -> None:
        self._event = event
        # [event JSON, values JSON] once made: shared by the row's two parts
        self._made: list[str] = [] if made is None else made
        self.part = part

    def values(self) -> FinalJson:
        """The part holding the values alone (the run's ``final_values``)."""
        return FinalJson(self._event, self._made, 1)

    def text(self) -> str:
        made = self._made
        if not made:
            made += _event_and_values(self._event)
        return made[self.part]

    def __conform__(self, protocol: Any) -> str:
        return self.text()


def _event_and_values(event: RunFinished) -> list[str]:
    # never fail the batch (it would be retried for ever): the row says what went wrong
    try:
        values = values_json(event.values)
    except Exception as exc:
        values = json.dumps(jsonsafe.marker(f"not stored: {exc!r}", type(event.values).__name__))
    try:
        head = jsonsafe.dump_json(_FINISHED, event, exclude={"values"}).decode()
    except Exception:
        head = json.dumps(
            {k: getattr(event, k) for k in ("run_id", "seq", "time", "status", "kind")}
        )
    return [f'{head[:-1]},"values":{values}}}', values]
