"""``StreamHold``: how ``astream()`` and the sync ``stream()`` hold their run back, as
LangGraph's generators do (their loop runs only while the consumer asks for the next chunk).

The run goes on from a step only once the consumer has taken every chunk published so far:
it starts the next step, and applies a step whose tasks have all answered (one of several
tasks, or any step with ``eager``), only then — the points where LangGraph's generator
hands chunks over. The stream marks what the consumer has taken (``taken``, once it has
taken every event published so far and asked for the next chunk: one wake-up of the
supervisor per step, not per chunk, run at once on the consumer's stack by ``resume``, so a
step costs no loop turn); the supervisor, at those two points, waits until
nothing published is left untaken, or until a stop or kill comes (the consumer left:
``break`` then ``aclose()`` or garbage collection, ``close()``). Tasks already running go
on while the consumer holds a chunk, as LangGraph's do. A subgraph's steps are not held,
on either engine: its run goes on inside its node's task while its chunks wait.

So a ``break`` stops the run where LangGraph stops: between steps it ends there, its next
step kept (on a thread: the last checkpoint's ``next``; no cleanup route, no node ran);
before a step is applied it ends with that step not applied, its finished tasks' writes
kept on the thread as pending writes; while nodes run (a ``custom`` or ``messages``
chunk) the break is graphstage's stop and reaches them as one (a node answering it with
a Command, or its ``on_cancel`` route, is followed; LangGraph's cancels them). Once a stop
is in effect nothing is held: its cleanup route runs whether the consumer reads or not.

An ``astream`` left with ``break`` is closed when Python collects it (the loop closes a
dropped generator at its next turn), which stops the run; a run started on the same thread
from this loop meanwhile waits for it to end (``abandoned``, ``settle_abandoned``) rather
than failing on the thread being in use.
"""

from __future__ import annotations

import asyncio
import weakref
from asyncio.tasks import _enter_task, _leave_task
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._run import Run

HOLD_KEY = "__graphstage_hold__"
"""Config key: False when ``ainvoke`` reads an ``astream``'s chunks itself (nobody's code
runs between them: nothing to hold); ``astream`` takes it out before the run starts (nodes
never see it)."""

_ABANDONED: weakref.WeakSet[Run] = weakref.WeakSet()
"""Runs whose stream was dropped before they ended, until they have settled."""


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
        """The consumer has taken the chunks of event ``seq`` and asks for the next. A
        supervisor waiting for that goes on at once, on the consumer's stack (``resume``)."""
        if seq > self.read:
            self.read = seq
        wake = self._wake
        if wake is not None:
            self._wake = None
            resume(wake)

    def wake_with(self, wake: Callable[[], None] | None) -> None:
        """Call ``wake`` (once) when the consumer next takes something; None: forget it."""
        self._wake = wake


class Taken:
    """The supervisor's wake-up: the consumer took a chunk (look again at what is left)."""

    __slots__ = ()


TAKEN = Taken()


_BOXES: weakref.WeakKeyDictionary[Any, list[Run]] = weakref.WeakKeyDictionary()
"""A stream -> its box (its run, once started), for a stream wrapping it (``watch``)."""


def watch(stream: Any, box: list[Run], inner: Any = None) -> None:
    """Stop the run in ``box`` when ``stream`` is dropped; ``inner``: a stream ``stream``
    reads, whose box is used (a wrapper's drop does not drop what it wraps)."""
    if inner is not None:
        box = _BOXES.get(inner, box)
    _BOXES[stream] = box
    weakref.finalize(stream, abandoned, box)


def abandoned(box: list[Run]) -> None:
    """The stream that read the run in ``box`` was dropped (a ``break``, the generator
    collected): the loop closes it at its next turn, which stops the run; until the run has
    ended, a run started on its thread waits for it (``settle_abandoned``). Called by a
    ``weakref.finalize`` on the stream. (Stopping here already would make a second stop of
    the ``asyncio.run`` shutdown that cancels every task left, which kills the run.)"""
    if box and not box[0].done:
        _ABANDONED.add(box[0])


async def settle_abandoned(config: Mapping[str, Any] | None) -> None:
    """Before a run starts on the thread ``config`` names: wait until the runs on that
    thread whose streams were dropped have ended (they let go of the thread then), as a
    LangGraph thread can be continued right after leaving its stream."""
    if not _ABANDONED:
        return
    thread_id = ((config or {}).get("configurable") or {}).get("thread_id")
    loop = asyncio.get_running_loop()
    for run in list(_ABANDONED):
        if run.done:
            _ABANDONED.discard(run)
        elif thread_id is not None and run._loop is loop and _thread_of(run) == thread_id:
            run.stop(reason="stream closed")  # as closing the stream would (it may never be)
            await run.result()


def _thread_of(run: Run) -> Any:
    thread = getattr(run._supervisor, "_thread", None)
    return None if thread is None else thread.thread_id


class _Steps:
    """Stands in for ``loop.call_soon`` while a wake-up is made: keeps what it schedules."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps: list[tuple[Any, tuple[Any, ...], Any]] = []

    def __call__(self, callback: Any, *args: Any, context: Any = None) -> None:
        self.steps.append((callback, args, context))


# loop types whose call_soon cannot be shadowed (an extension type without a __dict__)
_PLAIN: set[type[Any]] = set()


def resume(wake: Callable[[], None]) -> None:
    """Call ``wake`` (it wakes the supervisor waiting in its inbox) and run the step it
    schedules now, on this stack, the consumer's task stepped aside, as ``graphstage._eager``
    starts a task: the supervisor goes on with the run until it waits again (the next
    hold, or its nodes' answers), and the consumer then reads what it published, with no
    loop turn for either (LangGraph's loop runs in its consumer's task: it has none)."""
    loop = asyncio.get_running_loop()
    caller = asyncio.current_task(loop)
    if caller is None or type(loop) in _PLAIN:
        wake()
        return
    steps = _Steps()
    try:
        loop.call_soon = steps  # type: ignore[method-assign,assignment]
    except (AttributeError, TypeError):
        _PLAIN.add(type(loop))
        wake()
        return
    try:
        wake()
    finally:
        del loop.call_soon
    for callback, args, context in steps.steps:
        _leave_task(loop, caller)
        try:
            if context is None:
                callback(*args)
            else:
                context.run(callback, *args)
        finally:
            _enter_task(loop, caller)
