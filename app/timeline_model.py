"""The timeline's data: one bar per node execution, from a run's events (and its subgraph
runs' events). Qt-free.

A bar starts at ``NodeStarted`` and ends at the node's end event; transitions leaving it
are attached to it; ``StateUpdated`` keeps the state after each step, so picking a bar can
show that step's state. A node run inside a subgraph is a bar of its own, named by its
path (``research`` then ``search``) and placed after its subgraph node's bar and the bars already
under it, so a subgraph's nodes are grouped under the node that ran them. At most
``max_bars`` bars are kept (the oldest are dropped).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graphstage import END, Event
from graphstage.app.outcomes import Durations, node_outcome
from graphstage.app.state_fold import StateFold
from graphstage.app.theme import PATH_SEP, reason_label

MAX_BARS = 2000
"""Bars kept; a graph looping for thousands of steps drops its oldest."""

Namespace = tuple[str, ...]
"""Where a subgraph run's event comes from (``("research:3f2a…",)``; ``()``: the run)."""


@dataclass(slots=True)
class Bar:
    """One node execution."""

    node: str
    """The node's key: its name, or its path ``research/search`` inside a subgraph."""
    step: int
    """The step of the run that ran it (of the subgraph's run, inside a subgraph)."""
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
    path: tuple[str, ...] = ()
    """The subgraph nodes it ran inside, outermost first (``()``: a node of the run)."""
    namespace: Namespace = ()
    """The subgraph run it belongs to (whose state its step is a step of)."""
    task: str = ""
    """Its task id (a subgraph node's task names the subgraph run inside it)."""

    @property
    def name(self) -> str:
        """The node's own name (the last part of its path)."""
        return self.node.rsplit("/", 1)[-1] if self.path else self.node

    @property
    def label(self) -> str:
        """Its name with the subgraph nodes it ran inside, joined by ``PATH_SEP``."""
        return PATH_SEP.join((*self.path, self.name))

    def transition_text(self) -> str:
        return ";  ".join(f"→ {dst} · {label}" for dst, label in self.transitions)


@dataclass(slots=True)
class _Track:
    """One run's bookkeeping: the run's own, or one subgraph run's."""

    path: tuple[str, ...]
    """The subgraph node names leading to this run (``()``: the run itself)."""
    open: dict[tuple[str, int], Bar] = field(default_factory=dict)
    """Running bars by (task or node, step)."""
    durations: Durations = field(default_factory=Durations)
    states: list[Event] = field(default_factory=list)
    """Its RunStarted and every StateUpdated (references): the state after any step."""


class TimelineModel:
    """Bars of the run shown, in start order (a subgraph's under its node's bar)."""

    def __init__(self, max_bars: int = MAX_BARS) -> None:
        self.bars: deque[Bar] = deque(maxlen=max_bars)
        self.t0: float | None = None  # RunStarted.time
        self.last_time = 0.0  # seconds since t0 of the newest event
        self.dropped = 0
        self.label_chars = 0  # the longest row label's length, its indent included
        self._tracks: dict[Namespace, _Track] = {(): _Track(())}

    @property
    def state_events(self) -> list[Event]:
        """The run's RunStarted and every StateUpdated, in order."""
        return self._tracks[()].states

    def reset(self) -> None:
        self.bars.clear()
        self.t0 = None
        self.last_time = 0.0
        self.dropped = 0
        self.label_chars = 0
        self._tracks = {(): _Track(())}

    def apply(self, events: Sequence[Event]) -> None:
        """The run's own events, in order."""
        track = self._tracks[()]
        for event in events:
            if getattr(event, "kind", "") == "run_started":
                self.reset()
                track = self._tracks[()]
            self._apply(track, (), event)

    def apply_subgraph(self, batch: Sequence[tuple[Namespace, Event]]) -> None:
        """``(namespace, event)`` of the subgraph runs, in order: their nodes' bars."""
        for namespace, event in batch:
            track = self._tracks.get(namespace)
            if track is None or getattr(event, "kind", "") == "run_started":
                names = tuple(part.split(":", 1)[0] for part in namespace)
                track = self._tracks[namespace] = _Track(names)
            self._apply(track, namespace, event)

    def _apply(self, track: _Track, namespace: Namespace, event: Event) -> None:
        kind = getattr(event, "kind", "")
        e: Any = event
        if self.t0 is None:
            self.t0 = e.time
        t0 = self.t0
        self.last_time = max(self.last_time, e.time - t0)
        prefix = "".join(f"{name}/" for name in track.path)
        if kind == "run_started":
            track.states.append(e)
        elif kind == "node_started":
            bar = Bar(
                prefix + e.node,
                e.step,
                e.time - t0,
                path=track.path,
                namespace=namespace,
                task=getattr(e, "task", None) or "",
            )
            self._add(bar, namespace)
            track.open[_key(e)] = bar
            track.durations.started(e)
        elif kind == "stop_requested":
            for bar in track.open.values():
                if bar.name in e.nodes:
                    bar.outcome = bar.state = "stopping"
                    bar.stop_reason = f"{e.mode} stop: {e.reason}"
        elif kind in ("node_finished", "node_cancelled", "node_failed"):
            bar = track.open.pop(_key(e), None)
            if bar is None:
                return
            outcome, how = node_outcome(e)
            bar.end = bar.start + track.durations.of(e)
            bar.outcome, bar.how = outcome, how
            bar.state = {"done": "done", "failed": "failed"}.get(outcome, "cancelled")
        elif kind == "transition":
            bar = self._find(track, prefix + e.src, e.step)
            if bar is not None:
                label = reason_label(e.reason, e.after_stop, getattr(e, "branch", None))
                bar.transitions.append(("END" if e.dst == END else e.dst, label))
        elif kind == "state_updated":
            track.states.append(e)
        elif kind == "run_finished":
            for bar in track.open.values():  # a node the run ended without an event
                bar.end = e.time - t0
                bar.outcome, bar.state = e.status, "cancelled"
            track.open.clear()

    def _add(self, bar: Bar, namespace: Namespace) -> None:
        """Append a bar of the run; a subgraph's after its subgraph node's bar and the
        bars already under that bar."""
        bars = self.bars
        chars = len(f"{bar.step:>3}  {bar.label}") + 2 * len(bar.path)
        self.label_chars = max(self.label_chars, chars)
        if len(bars) == bars.maxlen:
            self.dropped += 1
            if namespace:
                bars.popleft()  # insert() refuses a full deque; append() drops it itself
        owner = self._owner(namespace) if namespace else None
        if owner is None:
            bars.append(bar)
            return
        group = (*owner.path, owner.name)
        index = _index(bars, owner)
        if index is None:
            bars.append(bar)
            return
        index += 1
        while index < len(bars) and bars[index].path[: len(group)] == group:
            index += 1
        bars.insert(index, bar)

    def _owner(self, namespace: Namespace) -> Bar | None:
        """The bar of the subgraph node whose run ``namespace`` is: the running bar of
        that node with the task the namespace names, else its newest bar."""
        parent = self._tracks.get(namespace[:-1])
        name, _, task = namespace[-1].partition(":")
        if parent is None:
            return None
        running = [b for b in parent.open.values() if b.name == name]
        for bar in running:
            if bar.task and bar.task == task:
                return bar
        if running:
            return running[-1]
        for bar in reversed(self.bars):
            if bar.namespace == namespace[:-1] and bar.name == name:
                return bar
        return None

    def state_after(self, step: int, namespace: Namespace = ()) -> StateFold | None:
        """The state after ``step`` of the run (or of the subgraph run ``namespace``);
        None if that step left no state update."""
        track = self._tracks.get(namespace)
        if track is None or not any(getattr(e, "step", None) == step for e in track.states):
            return None
        fold = StateFold()
        fold.apply(e for e in track.states if getattr(e, "step", -1) <= step)
        return fold

    def _find(self, track: _Track, node: str, step: int) -> Bar | None:
        for bar in track.open.values():
            if bar.node == node and bar.step == step:
                return bar
        for bar in reversed(self.bars):
            if bar.path != track.path:
                continue  # another run's bar (a subgraph's, placed under its node)
            if bar.node == node and bar.step == step:
                return bar
            if bar.step < step - 1:
                break
        return None

    def span(self) -> float:
        """Seconds from the run's start to its newest event or bar end."""
        ends = [b.end for b in list(self.bars)[-50:] if b.end is not None]
        return max([self.last_time, *ends, 0.001])


def _index(bars: deque[Bar], bar: Bar) -> int | None:
    """Where ``bar`` (the object itself) is, searched from the newest end."""
    for i in range(len(bars) - 1, -1, -1):
        if bars[i] is bar:
            return i
    return None


def _key(event: Any) -> tuple[str, int]:
    """A node execution: a Send runs one node several times in a step, each its own task."""
    return (getattr(event, "task", None) or event.node, event.step)
