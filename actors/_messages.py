"""Messages between the supervisor and the node actors.

Commands to an actor are imperative nouns (``Execute``, ``Cancel``, ``Kill``); answers to
the supervisor are past participles (``Finished``, ``Failed``, ``Cancelled``). Routing
metadata (who sent it, for which step) travels beside a message in its ``Envelope``.
All are immutable: ``Execute`` and ``Finished``, made once per transition, are named
tuples (made in about half the time of a frozen dataclass, see ``_frozen``); the others
are frozen, slotted dataclasses.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ._frozen import frozen

new_tuple = tuple.__new__
"""``new_tuple(Finished, (value, answered, duration))``: a named tuple made from a plain
tuple of all its fields, in about half the time of calling the class (whose ``__new__`` is
Python code): for the named tuples made once per execution on the hot path."""


class Execute(NamedTuple):
    """Run the node function once on this state."""

    state: Any
    """The state as of the last completed step (a model instance or a dict)."""
    step: int
    """The step number this execution belongs to (1-based)."""
    task: str = ""
    """The execution's task id, the ``sender`` of its answer (``""``: the node's name).
    A ``Send`` runs a node several times in one step, each as a task of its own."""
    resume: tuple[str, tuple[Any, ...], Any] | None = None
    """For a run on a thread: the seed of its interrupt ids, the answers its
    ``interrupt()`` calls return, in order, and its ``TaskScope`` (where a graph it starts
    keeps its checkpoints). None: ``interrupt()`` is not available."""


@frozen
class Cancel:
    """Stop gracefully: cancel only the node's own task (or set ``ctx.cancel_requested``)."""

    reason: str
    """Why the run is stopping, for the node's eyes and the log (e.g. ``"stop()"``)."""


@frozen
class Kill:
    """Stop now: cancel the node's task again, whatever it does with the cancellation."""


class Finished(NamedTuple):
    """The node function returned."""

    value: Any
    """What it returned: a dict update, a ``Command`` or ``None``."""
    answered_cancel: bool
    """True when the node was told to stop and returned anyway: its answer to the Cancel."""
    duration: float
    """Seconds the node function ran."""


@frozen
class Failed:
    """The node function raised an exception other than the cancellation."""

    error: BaseException
    """The exception, kept for the run's result."""
    duration: float
    """Seconds the node function ran."""


@frozen
class Cancelled:
    """The node's task ended with the cancellation (re-raised, or never caught)."""

    duration: float
    """Seconds the node function ran."""


@frozen
class Escalated:
    """Not sent by anyone: the supervisor's stand-in for the answer of a node that did not
    answer within its time limit (it was cancelled again and is no longer waited for)."""


ESCALATED = Escalated()


@frozen
class StopRun:
    """To the supervisor: a graceful stop (``drain``: finish the active step first)."""

    drain: bool
    """True for "stop after this step": interrupt nothing."""
    reason: str
    """Who asked: ``"stop()"``, ``"outer cancel"``, ``"SIGINT"``..."""


@frozen
class KillRun:
    """To the supervisor: end everything now."""

    reason: str
    """Who asked, as for ``StopRun``."""


Reply = Finished | Failed | Cancelled


@frozen
class Envelope:
    """A message with its routing metadata, kept apart from the message itself."""

    message: Any
    """The message: one of the classes above."""
    sender: str
    """The node name of the actor that sent it, or ``""`` for the run handle."""
    step: int = 0
    """The step the message belongs to; answers from an abandoned step are dropped."""
