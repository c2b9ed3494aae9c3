"""``Command``: what a node returns to update the state and choose where the run goes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._errors import InvalidUpdateError


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """Update the state and route the run, as LangGraph's ``Command`` does.

    A node returns ``Command(goto="cleanup_stage")`` (typically from its
    ``except asyncio.CancelledError`` branch) to send the run to its cleanup node, or
    ``Command(goto=END, update={"result": "done"})`` to finish with an update.
    """

    update: Mapping[str, Any] | None = None
    """Partial state update, merged with each field's reducer; ``None`` changes nothing."""
    goto: str | Sequence[str] = ()
    """Node name(s) to run next; ``END`` ends this branch; empty follows the graph's edges."""

    def __repr__(self) -> str:
        parts = []
        if self.update is not None:
            parts.append(f"update={self.update!r}")
        if self.goto:
            parts.append(f"goto={self.goto!r}")
        return f"Command({', '.join(parts)})"

    @property
    def destinations(self) -> tuple[str, ...]:
        """``goto`` as a tuple of node names (a single name becomes a 1-tuple)."""
        if isinstance(self.goto, str):
            return (self.goto,)
        return tuple(self.goto)


def destinations_of(node: str, command: Command) -> tuple[str, ...]:
    """``command.destinations``, or ``InvalidUpdateError`` naming ``node`` and what
    ``goto`` accepts when it is neither a node name nor a sequence of them."""
    goto = command.goto
    if isinstance(goto, str):
        return (goto,)
    if isinstance(goto, Sequence) and all(_is_destination(d) for d in goto):
        return tuple(goto)
    raise InvalidUpdateError(
        f"node '{node}' returned Command(goto={goto!r}); goto accepts a node name, END, or "
        f"a list of them (got {type(goto).__name__})"
    )


def _is_destination(item: object) -> bool:
    # a node name, or a Send-like object addressed to one
    return isinstance(item, str) or isinstance(getattr(item, "node", None), str)
