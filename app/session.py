"""The run session: what the window's views show, a live run or a replayed one. Qt-free.

Views subscribe with two methods, ``reset_run()`` and ``apply(events)`` (a batch, in seq
order); the live bridge and the history replay both drive them through one session, so a
replay is drawn by exactly the code that drew the run. Writer output (``CustomOutput``) goes
only to views that ask for it (the log): the others never see the flood. A view that also
has ``apply_subgraph(batch)`` gets the subgraph runs' events, as ``(namespace, event)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

from graphstage import Event

Mode = Literal["idle", "live", "replay"]


@dataclass(frozen=True, slots=True)
class Nested:
    """An event of a subgraph run and where it comes from: a replay's list of events holds
    these among the run's own, in the order they happened."""

    namespace: tuple[str, ...]
    """As ``Run.watch_subgraphs`` names it: ``("research:3f2a…",)``, a part per level."""
    event: Event
    kind: ClassVar[str] = "nested"

    @property
    def time(self) -> float:
        return self.event.time


class View(Protocol):
    """What a view implements to be driven by a session."""

    def reset_run(self) -> None:
        """Forget the run shown (a new run or another replay begins). Not ``reset``: item
        views already have a ``reset()`` that Qt calls itself."""

    def apply(self, events: Sequence[Event]) -> None:
        """Show a batch of events, in order."""


class RunSession:
    """The views' one source of events, and whether they show a live run or a replay.

    ``mode`` is ``idle`` (nothing run yet), ``live`` (the window's own run, running or
    finished) or ``replay`` (a journaled run picked in the history); ``run_id`` names the
    run shown. Listeners added with ``on_mode`` hear every change of either.
    """

    def __init__(self) -> None:
        self.mode: Mode = "idle"
        self.run_id: str | None = None
        self.label = ""  # what a banner says about the run shown (replay: graph, status)
        self._views: list[View] = []  # lifecycle events only
        self._writer_views: list[View] = []  # every event, writer output included
        self._listeners: list[Callable[[RunSession], None]] = []

    def subscribe(self, view: View, *, writer_output: bool = False) -> None:
        """Drive ``view``; with ``writer_output`` it also gets every ``CustomOutput``."""
        (self._writer_views if writer_output else self._views).append(view)

    def on_mode(self, listener: Callable[[RunSession], None]) -> None:
        """Call ``listener(session)`` whenever the mode or the run shown changes."""
        self._listeners.append(listener)

    def begin(self, mode: Mode, run_id: str | None, label: str = "") -> None:
        """Reset every view and show ``run_id`` in ``mode`` from its first event on."""
        self.mode, self.run_id, self.label = mode, run_id, label
        for view in (*self._views, *self._writer_views):
            view.reset_run()
        for listener in self._listeners:
            listener(self)

    def apply(self, events: Sequence[Event | Nested]) -> None:
        """Show a batch: all of it to the log, the lifecycle events to the other views;
        ``Nested`` events in it (a replay's) go to ``apply_subgraph``, in their place."""
        if not events:
            return
        if any(type(e) is Nested for e in events):
            start = 0
            for i in range(1, len(events) + 1):
                if i == len(events) or (type(events[i]) is Nested) != (
                    type(events[start]) is Nested
                ):
                    segment = events[start:i]
                    if type(segment[0]) is Nested:
                        self.apply_subgraph([(n.namespace, n.event) for n in segment])  # type: ignore[union-attr]
                    else:
                        self._apply_own(segment)  # type: ignore[arg-type]
                    start = i
            return
        self._apply_own(events)  # type: ignore[arg-type]

    def apply_subgraph(self, batch: Sequence[tuple[tuple[str, ...], Event]]) -> None:
        """Show a batch of the subgraph runs' events on the views that draw them."""
        if not batch:
            return
        for view in (*self._views, *self._writer_views):
            apply = getattr(view, "apply_subgraph", None)
            if apply is not None:
                apply(batch)

    def _apply_own(self, events: Sequence[Event]) -> None:
        for view in self._writer_views:
            view.apply(events)
        lifecycle = [e for e in events if getattr(e, "kind", "") != "custom_output"]
        if lifecycle:
            for view in self._views:
                view.apply(lifecycle)
