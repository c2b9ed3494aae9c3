"""How a field merges the values written to it in one step: LangGraph's channel semantics.

A plain field keeps the last value and accepts one writer a step (LangGraph's ``LastValue``);
a field declared ``Annotated[T, reducer]`` folds every value into the current one with
``reducer(current, value)``, starting from ``T()`` (``BinaryOperatorAggregate``), and an
``Overwrite(value)`` replaces it outright. Only the fields written are touched, so a merge
costs the size of the update, not of the state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import InvalidUpdateError, error_text, troubleshooting
from .fields import MISSING, Reducer

OVERWRITE_KEY = "__overwrite__"


@dataclass(frozen=True, slots=True)
class Overwrite:
    """Write ``value`` to a reducer field as it is, bypassing its reducer (as LangGraph's
    ``Overwrite``); at most one a step per field."""

    value: Any
    """The field's new value."""


def _overwritten(value: Any) -> tuple[bool, Any]:
    if isinstance(value, Overwrite):
        return True, value.value
    if isinstance(value, Mapping) and len(value) == 1 and OVERWRITE_KEY in value:
        return True, value[OVERWRITE_KEY]
    return False, None


@dataclass(frozen=True, slots=True)
class Channel:
    """One state field's merge rule."""

    name: str
    """The field's name."""
    reducer: Reducer | None
    """``reducer(current, value)`` for a reducer field; None for a last-value field."""
    empty: Any
    """A reducer field's starting value (``T()``), or ``MISSING``."""

    def start(self) -> Any:
        """A fresh starting value (never shared between runs: lists are mutable)."""
        empty = self.empty
        if empty is MISSING:
            return MISSING
        try:
            return type(empty)()
        except Exception:
            return empty

    def reduce(self, current: Any, value: Any, node: str) -> Any:
        """Fold one written value into ``current`` (a reducer field only)."""
        if current is MISSING:
            return value
        try:
            return self.reducer(current, value)  # type: ignore[misc]
        except InvalidUpdateError:
            raise
        except Exception as exc:
            raise InvalidUpdateError(
                f"the reducer of field '{self.name}' raised {type(exc).__name__}: "
                f"{error_text(exc)} (update from node '{node}')"
            ) from exc


def merge_writes(
    channels: Mapping[str, Channel],
    current: Callable[[str], Any],
    updates: Sequence[tuple[str, Mapping[str, Any]]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Fold one step's writes, in the given order: field -> new value, field -> last writer.

    ``current(field)`` reads a field's value before the step (``MISSING`` if it has none).
    Raises ``InvalidUpdateError`` (LangGraph's message, plus the nodes) when two nodes write
    a last-value field, or a field receives two ``Overwrite``s, in one step.
    """
    values: dict[str, Any] = {}
    writer_of: dict[str, str] = {}
    overwritten: set[str] = set()
    for node, update in updates:
        for field, value in update.items():
            channel = channels[field]
            if channel.reducer is None:
                if field in writer_of:
                    raise InvalidUpdateError(
                        f"At key '{field}': Can receive only one value per step (it received "
                        f"one from '{writer_of[field]}' and one from '{node}'). Use an "
                        f"Annotated key to handle multiple values."
                        + troubleshooting("INVALID_CONCURRENT_GRAPH_UPDATE")
                    )
            else:
                is_overwrite, replacement = _overwritten(value)
                if is_overwrite:
                    if field in overwritten:
                        raise InvalidUpdateError(
                            f"Can receive only one Overwrite value per super-step (at key "
                            f"'{field}', the second from '{node}')."
                            + troubleshooting("INVALID_CONCURRENT_GRAPH_UPDATE")
                        )
                    overwritten.add(field)
                    value = replacement
                elif field in overwritten:
                    continue  # an Overwrite wins over the step's other writes
                else:
                    old = values[field] if field in values else current(field)
                    value = channel.reduce(old, value, node)
            writer_of[field] = node
            values[field] = value
    return values, writer_of
