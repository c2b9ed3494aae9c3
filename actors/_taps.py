"""A run's tap: the subscribers that receive every event of the run and of the subgraph
runs its nodes start, as they are published.

Three users share one run's tap: its journal (which keeps the subgraph runs' events for
History), ``Run.watch_subgraphs`` (the window) and ``astream(..., subgraphs=True)``. Each
subscribes and unsubscribes on its own, and each receives every event, in publication
order. A subscriber that raises is dropped and named in a warning on the
``graphstage.taps`` logger: the run and the other subscribers go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ._events import Event

log = logging.getLogger("graphstage.taps")

Subscriber = Callable[[tuple[str, ...], Any, Event], None]
"""Called with ``(namespace, schema, event)``: ``namespace`` is ``()`` for the run's own
events, ``("node:id", ...)`` for a subgraph run's (see ``graphstage._subgraph``), and
``schema`` the state schema of the run the event comes from."""


class _Subscription:
    __slots__ = ("fn", "label", "live")

    def __init__(self, fn: Subscriber, label: object) -> None:
        self.fn = fn
        self.label = label  # what a warning names: the caller's own callback
        self.live = True


class Taps:
    """The subscribers of one run's tap, called in the order they subscribed.

    Used on the run's event loop thread only. The object lives as long as the run: a
    subgraph run's events are forwarded to it (not to ``Run._tap``, which is ``None``
    while nobody subscribes, so the supervisor's hot path builds no events)."""

    __slots__ = ("_on_change", "_subs", "run_id")

    def __init__(self, run_id: str, on_change: Callable[[bool], None]) -> None:
        self.run_id = run_id
        # a tuple replaced on every change: a subscriber may add or remove one while
        # an event is being handed out
        self._subs: tuple[_Subscription, ...] = ()
        self._on_change = on_change  # told whether anyone subscribes now

    def __bool__(self) -> bool:
        return bool(self._subs)

    def add(self, fn: Subscriber, label: object = None) -> Callable[[], None]:
        """Subscribe ``fn`` (named ``label`` in a warning, if given); returns the function
        that unsubscribes it (idempotent, and it never removes another subscriber, even
        one of the same function)."""
        sub = _Subscription(fn, fn if label is None else label)
        self._subs = (*self._subs, sub)
        self._on_change(True)

        def remove() -> None:
            self._remove(sub)

        return remove

    def _remove(self, sub: _Subscription) -> None:
        if not sub.live:
            return
        sub.live = False  # not called again, even for the event being handed out
        self._subs = tuple(s for s in self._subs if s is not sub)
        self._on_change(bool(self._subs))

    def __call__(self, namespace: tuple[str, ...], schema: Any, event: Event) -> None:
        for sub in self._subs:
            if not sub.live:
                continue
            try:
                sub.fn(namespace, schema, event)
            except Exception:
                # isolated: the run publishing this event and the other subscribers go on
                log.warning(
                    "run %s: subgraph event subscriber %r raised on %s (namespace %r); "
                    "it receives no further events",
                    self.run_id,
                    sub.label,
                    getattr(event, "kind", type(event).__name__),
                    namespace,
                    exc_info=True,
                )
                self._remove(sub)
