"""The timeline's data: one bar per node execution, from a run's events. Qt-free.

A bar starts at ``NodeStarted`` and ends at the node's end event; transitions leaving it
are attached to it; ``StateUpdated`` keeps the state after each step, so picking a bar can
show that step's state. At most ``max_bars`` bars are kept (the oldest are dropped).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graphstage import END, Event
from graphstage.app.outcomes import Durations, node_outcome
from graphstage.app.state_fold import StateFold
from graphstage.app.theme import reason_label

MAX_BARS = 2000
"""Bars kept; a graph looping for thousands of steps drops its oldest."""


@dataclass(slots=True)
class Bar:
    """One node execution."""

    node: str
    step: int
    start: float
    """Seconds since the run started."""
    end: float | None = None
    """Seconds since the run started; None while the node runs."""
    outcome: str = "running"
    """``running``, ``stopping``, or an ``outcomes`` name (done, stopped, ...)."""
    state: str = "running"
    """How it is coloured: a ``theme.NodeState``."""
    how: str = ""
    transitions: list[tuple[str, str]] = field(default_factory=list)
    """(destination, reason label) of each transition it led to."""
    stop_reason: str = ""
    """Why a stop reached it (the ``StopRequested`` reason), if one did."""

    def transition_text(self) -> str:
        return ";  ".join(f"→ {dst} · {label}" for dst, label in self.transitions)


class TimelineModel:
    """Bars of the run shown, in start order."""

    def __init__(self, max_bars: int = MAX_BARS) -> None:
        self.bars: deque[Bar] = deque(maxlen=max_bars)
        self.t0: float | None = None  # RunStarted.time
        self.last_time = 0.0  # seconds since t0 of the newest event
        # RunStarted and every StateUpdated (references, not copies): the state after any
        # step is their fold up to it (``state_after``)
        self.state_events: list[Event] = []
        self.dropped = 0
        self._open: dict[tuple[str, int], Bar] = {}  # running bars by (task or node, step)
        self._durations = Durations()

    def reset(self) -> None:
        self.bars.clear()
        self.t0 = None
        self.last_time = 0.0
        self.state_events = []
        self.dropped = 0
        self._open.clear()
        self._durations.clear()

    def apply(self, events: Sequence[Event]) -> None:
        for event in events:
            kind = getattr(event, "kind", "")
            e: Any = event
            if self.t0 is None:
                self.t0 = e.time
            self.last_time = max(self.last_time, e.time - self.t0)
            if kind == "run_started":
                self.reset()
                self.t0 = e.time
                self.state_events.append(e)
            elif kind == "node_started":
                if len(self.bars) == self.bars.maxlen:
                    self.dropped += 1
                bar = Bar(e.node, e.step, e.time - self.t0)
                self.bars.append(bar)
                self._open[_key(e)] = bar
                self._durations.started(e)
            elif kind == "stop_requested":
                for bar in self._open.values():
                    if bar.node in e.nodes:
                        bar.outcome = bar.state = "stopping"
                        bar.stop_reason = f"{e.mode} stop: {e.reason}"
            elif kind in ("node_finished", "node_cancelled", "node_failed"):
                bar = self._open.pop(_key(e), None)
                if bar is None:
                    continue
                outcome, how = node_outcome(e)
                duration = self._durations.of(e)
                bar.end = bar.start + duration
                bar.outcome, bar.how = outcome, how
                bar.state = {"done": "done", "failed": "failed"}.get(outcome, "cancelled")
            elif kind == "transition":
                bar = self._find(e.src, e.step)
                if bar is not None:
                    label = reason_label(e.reason, e.after_stop, getattr(e, "branch", None))
                    bar.transitions.append(("END" if e.dst == END else e.dst, label))
            elif kind == "state_updated":
                self.state_events.append(e)
            elif kind == "run_finished":
                for bar in self._open.values():  # a node the run ended without an event
                    bar.end = e.time - self.t0
                    bar.outcome, bar.state = e.status, "cancelled"
                self._open.clear()

    def state_after(self, step: int) -> StateFold | None:
        """The state after ``step`` (None if that step left no state update)."""
        if not any(getattr(e, "step", None) == step for e in self.state_events):
            return None
        fold = StateFold()
        fold.apply(e for e in self.state_events if getattr(e, "step", -1) <= step)
        return fold

    def _find(self, node: str, step: int) -> Bar | None:
        bar = self._open.get((node, step))
        if bar is not None:
            return bar
        for bar in reversed(self.bars):
            if bar.node == node and bar.step == step:
                return bar
            if bar.step < step - 1:
                break
        return None

    def span(self) -> float:
        """Seconds from the run's start to its newest event or bar end."""
        ends = [b.end for b in list(self.bars)[-50:] if b.end is not None]
        return max([self.last_time, *ends, 0.001])


def _key(event: Any) -> tuple[str, int]:
    """A node execution: a Send runs one node several times in a step, each its own task."""
    return (getattr(event, "task", None) or event.node, event.step)
