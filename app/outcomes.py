"""One name per way a node can end, used by the graph, the timeline, the log and the CLI.

Qt-free (the headless CLI imports it). The names:

- ``done``: the node returned normally;
- ``stopped``: a stop reached it and it answered: it returned (often a ``Command`` to its
  cleanup) or re-raised the cancellation (then its ``on_cancel`` route runs);
- ``escalated``: it did not answer within ``cancel_grace``, so it was cancelled again
  without a way out;
- ``killed``: Force stop (``run.kill()``) ended it at once;
- ``failed``: it raised an exception.
"""

from __future__ import annotations

from typing import Any, Literal

Outcome = Literal["done", "stopped", "escalated", "killed", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("done", "stopped", "escalated", "killed", "failed")

HOW = {"reraised": "re-raised", "escalated": "no answer in the grace", "killed": "force stop"}


def node_outcome(event: Any) -> tuple[Outcome, str]:
    """(outcome, how) of a NodeFinished, NodeCancelled or NodeFailed event."""
    kind = getattr(event, "kind", "")
    if kind == "node_finished":
        return ("stopped", "returned") if event.answered_cancel else ("done", "")
    if kind == "node_cancelled":
        if event.how == "reraised":
            return "stopped", HOW["reraised"]
        return ("escalated" if event.how == "escalated" else "killed"), HOW.get(event.how, "")
    return "failed", f"{event.error_type}"


class Durations:
    """Node durations measured from their ``NodeStarted`` events, for events that carry no
    duration of their own (a killed or escalated node reports 0)."""

    def __init__(self) -> None:
        self._started: dict[tuple[str, int], float] = {}

    def clear(self) -> None:
        self._started.clear()

    def started(self, event: Any) -> None:
        self._started[_key(event)] = event.time

    def of(self, event: Any) -> float:
        """The event's duration, or the time since its node started when it says 0."""
        duration = float(getattr(event, "duration", 0.0) or 0.0)
        start = self._started.pop(_key(event), None)
        if duration <= 0.0 and start is not None:
            return max(0.0, event.time - start)
        return duration


def _key(event: Any) -> tuple[str, int]:
    """A node execution: a Send runs one node several times in a step, each its own task."""
    return (getattr(event, "task", None) or event.node, event.step)
