"""``Execution``: one run of an entrypoint's function, and the tasks it calls.

The entrypoint is the only node of a one-node graph; its tasks are asyncio tasks of that
node's execution (a sync task's function runs in a worker thread), so a stop that reaches
the node reaches them: ``stop()`` cancels every task still running (each sees
``CancelledError`` at its current ``await``) and wakes every ``.result()`` that waits on one
from a sync entrypoint (it raises ``CancelledError``). Tasks called after the stop (the
entrypoint's cleanup) run normally; a second stop (the ladder's kill) cancels those too.

On a thread (a checkpointer and a ``thread_id``), each call's result is saved as it finishes
as a write on the checkpoint the step started from (key ``__func__:<n>:<name>``, ``n`` the
call's place among the execution's task calls, as LangGraph keys a task by its call
counter); when the step runs again after an ``interrupt()``, a call whose result is saved
returns it without running the task again. A task's own ``interrupt()`` calls are matched
with their answers by the task's key, not the entrypoint's order, as LangGraph's per-task
scratchpad does.
"""

from __future__ import annotations

import asyncio
import contextvars
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pydantic_core

from .._interrupt import ResumeSlot, current_slot, interrupt_id
from .._node import NodeContext, _current_ctx
from .._stream import INPUTS_KEY
from ..checkpoint._scope import TaskScope
from ._codec import decode, encode, with_article

WRITE_PREFIX = "__func__:"
"""The keys of the tasks' writes on a checkpoint (apart from the nodes' own)."""


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    """A task finished: what the ``updates`` stream shows as ``{name: value}``, as
    LangGraph's does for a task (it travels as the node's custom output)."""

    name: str
    """The task's name."""
    value: Any
    """What it returned."""
    cached: bool = False
    """Its result came from the cache (``cache_policy``): LangGraph marks the update."""
    id: str = ""
    """The call's task id (set when the ``tasks``/``debug`` streams are read)."""
    error: BaseException | None = None
    """What it raised, if it failed (``value`` is then None)."""


@dataclass(frozen=True, slots=True)
class TaskStarted:
    """A task call started (for the ``tasks``/``debug`` streams, which show its input)."""

    name: str
    """The task's name."""
    id: str
    """The call's task id."""
    args: tuple[Any, ...]
    """Its positional arguments."""
    kwargs: dict[str, Any]
    """Its keyword arguments."""


_current: contextvars.ContextVar[Execution | None] = contextvars.ContextVar(
    "graphstage_func_execution", default=None
)
_caller: contextvars.ContextVar[str] = contextvars.ContextVar("graphstage_func_caller", default="")
"""The key (without its prefix) of the task running in this context; "" in the entrypoint."""


def current_execution() -> Execution | None:
    """The entrypoint execution running in this task or worker thread; in a graph node
    that calls a task (LangGraph's durable-execution pattern), one made for that node's
    execution on its first call; None elsewhere."""
    execution = _current.get()
    if execution is None:
        ctx = _current_ctx.get()
        if ctx is not None:
            execution = Execution(ctx, current_slot(), None, ctx.node)
            _current.set(execution)  # the node's own context: its later calls find it
    return execution


class Execution:
    """The state of one entrypoint execution (made by the node, in its task)."""

    def __init__(
        self,
        ctx: NodeContext,
        slot: ResumeSlot | None,
        cache: Any,
        name: str,
        *,
        entrypoint: bool = False,
    ) -> None:
        self.ctx = ctx
        self.name = name
        """The entrypoint's name (or the graph node's that calls tasks)."""
        self.entrypoint = entrypoint
        """An entrypoint's execution (its tasks' results go to the ``updates`` stream),
        not a graph node's."""
        self.detailed = entrypoint and INPUTS_KEY in ctx.config
        """The ``tasks``/``debug`` streams are read: each call reports its start and end."""
        source = ctx._source  # the node's actor: its loop and the loop's thread
        self.loop: asyncio.AbstractEventLoop = source._loop
        self.thread: int = source._thread
        """The loop's thread: a task called from any other is started through the loop."""
        self.cache = cache
        """The entrypoint's cache (``entrypoint(cache=...)``), for tasks with a policy."""
        self.slot = slot
        """The node's resume slot (None without a thread): the seed of the tasks' slots."""
        scope = slot.scope if slot is not None else None
        self.scope: TaskScope | None = scope if isinstance(scope, TaskScope) else None
        # task calls made so far by each caller (the entrypoint: ""; a task: its key): the
        # next call's index (calls are keyed by their order)
        self.calls: dict[str, int] = {}
        # tasks started and not finished (asyncio tasks on the loop)
        self.running: set[asyncio.Task[Any]] = set()
        # those of them that run on the loop (async tasks): a stop cancels them
        self.interruptible: set[asyncio.Task[Any]] = set()
        # futures a sync entrypoint may be waiting on, woken by a stop
        self.waiting: set[Any] = set()
        # how many stops reached the execution (1: cancel, 2: the kill)
        self.stops = 0
        # the saved writes of the step, read once when it runs again after a pause
        self.saved: Mapping[str, Any] = self._read_saved()

    def _config(self) -> dict[str, Any]:
        scope = self.scope
        assert scope is not None
        return {
            "configurable": {
                "thread_id": scope.thread_id,
                "checkpoint_ns": scope.parent_ns,
                "checkpoint_id": scope.checkpoint_id,
            }
        }

    def _read_saved(self) -> Mapping[str, Any]:
        scope = self.scope
        if scope is None or not scope.resuming or not scope.checkpoint_id:
            return {}
        checkpoint = scope.saver.get_tuple(self._config())
        if checkpoint is None:
            return {}
        return {k: w for k, w in checkpoint.writes.items() if k.startswith(WRITE_PREFIX)}

    def task_id(self, key: str) -> str:
        """The task id of call ``key`` (a UUID, as LangGraph's)."""
        return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{self.ctx.run_id}:{key}"))

    def enter(self) -> contextvars.Token[Execution | None]:
        return _current.set(self)

    def next_key(self, task: str) -> tuple[str, int]:
        """The key of the next task call (its write's, and its interrupts' seed) and its
        index among its caller's calls: a task's own calls are counted apart, under its
        key, so that parallel tasks calling tasks keep their keys from run to run."""
        caller = _caller.get()
        index = self.calls.get(caller, 0)
        self.calls[caller] = index + 1
        own = f"{caller}/{index}:{task}" if caller else f"{index}:{task}"
        return WRITE_PREFIX + own, index

    @staticmethod
    def enter_task(key: str) -> None:
        """In a task's own context: the calls it makes are counted under ``key``."""
        _caller.set(key[len(WRITE_PREFIX) :])

    def saved_result(self, key: str) -> tuple[bool, Any]:
        """``(True, result)`` if the call ``key`` finished before the step was cut short."""
        record = self.saved.get(key)
        if isinstance(record, Mapping) and "result" in record:
            return True, decode(record["result"])
        return False, None

    def task_slot(self, key: str) -> ResumeSlot | None:
        """The resume slot of task call ``key``: its answers so far, and the one just given
        to the question it asked last (routed to the node's scope by its interrupt id)."""
        node = self.slot
        if node is None:
            return None
        base = f"{node.base}/{key}"
        record = self.saved.get(key)
        answers = decode(list(record.get("answers", ()))) if isinstance(record, Mapping) else []
        scope = self.scope
        if scope is not None:
            new = interrupt_id(base, len(answers))
            if new in scope.answers:
                answers.append(scope.answers[new])
                self.save(key, {"answers": answers})
        return ResumeSlot(base, tuple(answers), node.scope, cancelled=node.cancelled)

    def save(self, key: str, record: Mapping[str, Any]) -> None:
        """Save a task call's record on the step's checkpoint (nothing without a thread)."""
        scope = self.scope
        if scope is None or not scope.checkpoint_id:
            return
        try:  # tagged, so that a saver keeping JSON gives the types back (see _codec)
            stored = encode(dict(record))
            # what JSON (pydantic's) cannot hold is refused, as LangGraph's serialiser
            # refuses it, rather than stored as its repr by a JSON saver
            pydantic_core.to_json(stored)
            scope.saver.put_writes(self._config(), stored, key)
        except (TypeError, ValueError, pydantic_core.PydanticSerializationError) as exc:
            name = key.rsplit(":", 1)[-1]
            raise TypeError(
                f"task '{name}' returned {with_article(type(record.get('result')).__name__)} value "
                f"that the checkpointer cannot save ({exc}); with a checkpointer, a task must "
                f"return something serialisable (JSON-like data, pydantic models, messages)"
            ) from exc

    def started(self, task: asyncio.Task[Any], interruptible: bool) -> None:
        """Loop thread: a task call's task has started (``interruptible``: an async task,
        which a cancel reaches at its ``await``; a sync one's thread runs to its end)."""
        self.running.add(task)
        if interruptible:
            self.interruptible.add(task)
        task.add_done_callback(self._ended)
        if self.stops >= 2:  # started after the kill: it goes too
            task.cancel()

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self.running.discard(task)
        self.interruptible.discard(task)

    def stop(self) -> None:
        """A stop reached the entrypoint: cancel its running async tasks, wake its waiters.
        Loop thread only; a second call (the kill) cancels every task left, the cleanup's
        and the sync ones' (whose threads are then abandoned)."""
        self.stops += 1
        for task in list(self.running if self.stops >= 2 else self.interruptible):
            task.cancel()
        for future in list(self.waiting):
            future.stopped()
        self.waiting.clear()

    async def drain(self, cancel: bool) -> None:
        """Wait for the tasks still running when the entrypoint ended (cancelled first if
        it failed or paused), so none outlives its node."""
        while self.running:
            pending = list(self.running)
            if cancel:
                for task in pending:
                    task.cancel()
            await asyncio.wait(pending)
