"""``StreamHold``: how the sync ``stream()`` holds its run back, as LangGraph's generator
does (its loop runs only while the consumer asks for the next chunk).

The run goes on from a step only once the consumer has taken every chunk published so far:
it starts the next step, and applies a step whose tasks have all answered (one of several
tasks, or any step with ``eager``), only then — the points where LangGraph's generator
hands chunks over. The stream marks what the consumer has taken (``taken``, after the
consumer asked for the next chunk); the supervisor, at those two points, waits until
nothing published is left untaken, or until a stop or kill comes (the consumer left:
``break``, ``close()``). Tasks already running go on while the consumer holds a chunk, as
LangGraph's do. ``astream()`` holds nothing (LangGraph's does: README, Known limits).

So a ``break`` stops the run where LangGraph's stops: between steps it ends there, its next
step kept (on a thread: the last checkpoint's ``next``; no cleanup route, no node ran);
before a step is applied it ends with that step not applied, its finished tasks' writes
kept on the thread as pending writes; while nodes run (a ``custom`` or ``messages``
chunk) the break is graphstage's stop and reaches them as one (a node answering it with
a Command, or its ``on_cancel`` route, is followed; LangGraph's cancels them).
"""

from __future__ import annotations

from collections.abc import Callable

HOLD_KEY = "__graphstage_hold__"
"""Config key: set by ``stream()`` for the ``astream`` it drives, which takes it out before
the run starts (nodes never see it)."""


class StreamHold:
    """The consumer's progress through one run's events (on the run's event loop)."""

    __slots__ = ("_wake", "eager", "read")

    def __init__(self, eager: bool = False) -> None:
        self.eager = eager
        """Chunks are handed over while a step's tasks run, as LangGraph's stream does with
        ``custom`` or ``messages`` modes or ``subgraphs=True`` (its "waiter"), so a step
        is held before it is applied even when it has one task; without it, a step of one
        task is applied before its chunks are handed over, as LangGraph runs such a task
        inline and emits its chunks after the step."""
        self.read = -1
        """The seq of the last event whose chunks the consumer has taken (-1: none yet);
        it has asked for the next chunk since."""
        # what wakes the supervisor waiting for the consumer (None: nobody waits)
        self._wake: Callable[[], None] | None = None

    def taken(self, seq: int) -> None:
        """The consumer has taken the chunks of event ``seq`` and asks for the next."""
        if seq > self.read:
            self.read = seq
        wake = self._wake
        if wake is not None:
            self._wake = None
            wake()

    def wake_with(self, wake: Callable[[], None] | None) -> None:
        """Call ``wake`` (once) when the consumer next takes something; None: forget it."""
        self._wake = wake


class Taken:
    """The supervisor's wake-up: the consumer took a chunk (look again at what is left)."""

    __slots__ = ()


TAKEN = Taken()
