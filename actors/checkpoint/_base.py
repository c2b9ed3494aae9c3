"""The saver protocol: one abstract class, as LangGraph's ``BaseCheckpointSaver``.

A saver keeps threads: per ``thread_id``, the checkpoints its runs took, oldest to newest,
each pointing at its parent. A checkpoint holds what the next step depends on — the state
values, the nodes to run next, the join progress, and for a step that did not complete
(paused at an ``interrupt()`` or stopped mid-step) the writes of its nodes that did finish,
the questions waiting for an answer and the answers given so far. A continuation of the
thread starts from exactly that, so it does what the uninterrupted run would have done.

The runtime asks the saver only through this class (``put``, ``put_writes``,
``get_tuple``, ``list``, ``claim`` / ``release``, ``threads``); ``InMemorySaver`` and
``SqliteSaver`` are two small files behind it.
"""

from __future__ import annotations

import builtins
import datetime
import os
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from .._interrupt import Interrupt
from ._channel_writes import channel_writes

if TYPE_CHECKING:
    from ..journal import Journal

Source = Literal["input", "loop", "update", "fork"]
"""Why a checkpoint was taken, as LangGraph's ``metadata["source"]``."""

Durability = Literal["sync", "async", "exit"]
"""When a run's checkpoints are saved, as LangGraph's ``durability``: ``"async"`` (the
default) as they are taken, the run going on meanwhile; ``"sync"`` each step's checkpoint
durable before the next step starts; ``"exit"`` only when the run ends (completed,
paused, failed, stopped or killed: its last checkpoint, with its pending writes)."""

DURABILITIES: tuple[str, ...] = ("sync", "async", "exit")


def check_durability(durability: Any) -> Durability:
    """``durability`` if it is one LangGraph accepts (None: ``"async"``), else ValueError."""
    if durability is None:
        return "async"
    if durability not in DURABILITIES:
        raise ValueError(
            f"durability={durability!r} is not one of 'sync', 'async' (the default), 'exit'"
        )
    return durability  # type: ignore[no-any-return]


PauseKind = Literal["interrupt", "before", "after"]
"""Where a thread waits: at an ``interrupt()``, or at a breakpoint before/after a node."""


_GREGORIAN = 0x01B21DD213814000  # 100-ns intervals from 1582-10-15 to the Unix epoch
_last_time = 0
_id_lock = threading.Lock()


_NOT_METADATA = frozenset(
    {
        "thread_id",
        "checkpoint_id",
        "checkpoint_ns",
        "checkpoint_map",
        "langgraph_step",
        "langgraph_node",
        "langgraph_triggers",
        "langgraph_path",
        "langgraph_checkpoint_ns",
    }
)


def run_metadata(config: Mapping[str, Any]) -> dict[str, Any]:
    """What a run's config adds to its checkpoints' metadata, by LangGraph's savers' rule
    (``get_checkpoint_metadata``): the scalar values (str, int, float, bool) of its
    ``metadata`` and ``configurable``, except the thread's and checkpoint's own keys and
    keys beginning with ``__``."""
    out: dict[str, Any] = {}
    for part in (config.get("metadata"), config.get("configurable")):
        if not isinstance(part, Mapping):
            continue
        for key, value in part.items():
            if (
                key in out
                or key in _NOT_METADATA
                or not isinstance(key, str)
                or key.startswith("__")
            ):
                continue
            if isinstance(value, str):
                out[key] = value.replace("\u0000", "")
            elif isinstance(value, int | float | bool):
                out[key] = value
    return out


def new_checkpoint_id() -> str:
    """A fresh checkpoint id: a version-6 UUID, as LangGraph's, whose text sorts in the
    order the ids were made (its first 60 bits are a strictly increasing timestamp), so a
    program may sort a thread's checkpoints by id as it may LangGraph's."""
    global _last_time
    with _id_lock:
        stamp = _last_time = max(time.time_ns() // 100 + _GREGORIAN, _last_time + 1)
    rest = int.from_bytes(os.urandom(8), "big") & 0x3FFF_FFFF_FFFF_FFFF | 1 << 63  # variant
    return str(uuid.UUID(int=(stamp >> 12) << 80 | 6 << 76 | (stamp & 0xFFF) << 64 | rest))


def now_iso() -> str:
    """The current time as LangGraph writes ``created_at``."""
    return datetime.datetime.now(datetime.UTC).isoformat()


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadCheckpoint:
    """One checkpoint of a thread: the state after a step and everything the next needs."""

    thread_id: str
    checkpoint_id: str
    parent_id: str | None
    """The checkpoint this one follows (None for a thread's first)."""
    checkpoint_ns: str = ""
    """The subgraph namespace (``""`` for the graph itself)."""
    step: int
    """LangGraph's step number: -1 for the input, 0 after entering, then one per step."""
    source: Source
    values: dict[str, Any]
    """The state's fields."""
    next: tuple[str, ...]
    """The nodes the next step runs (empty: the thread has reached its end)."""
    created_at: str
    """ISO 8601, UTC."""
    run_id: str | None = None
    """The run that took it (None for ``update_state``)."""
    joins: Mapping[str, Any] = field(default_factory=dict)
    """Wait-for-all edges in progress: join key -> the sources already finished (each
    with the step it finished in)."""
    sends: tuple[Mapping[str, Any], ...] = ()
    """The next step's ``Send`` tasks (``id``, ``node``, ``arg``, ``order``): the last
    ``len(sends)`` names of ``next``; they run on their own input, not the state."""
    writes: Mapping[str, Any] = field(default_factory=dict)
    """Tasks of the next step that finished, by task id (a node's name, or ``"node[i]"``
    for a Send) -> what it returned (``{"update": ...}``, with ``"goto"`` for a Command),
    each saved as the task finished (``put_writes``). A continuation of the thread's latest
    checkpoint applies these instead of running those tasks again (a fork from an older
    one runs them again, as LangGraph's time travel does); for a step that completed they
    are its record (``tasks[i].result`` in the history)."""
    interrupts: Mapping[str, tuple[Interrupt, ...]] = field(default_factory=dict)
    """Tasks of the next step waiting at an ``interrupt()``: task id -> its questions."""
    answers: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    """Answers already given to a task's ``interrupt()`` calls, in order."""
    errors: Mapping[str, str] = field(default_factory=dict)
    """Tasks of the next step that failed, task id -> ``repr`` of the exception (what
    LangGraph's serialiser keeps of an ``ERROR`` write; ``"CancelledError()"`` for a
    sibling cancelled because another failed): ``StateSnapshot.tasks[i].error``. A
    continuation runs these tasks again, and not those in ``writes``."""
    ran: tuple[str, ...] | None = ()
    """The nodes of the last step run on the thread up to here (``("__start__",)`` after
    entering; an update or a new input keeps its parent's): ``update_state`` without
    ``as_node`` acts as that node, as LangGraph infers it from ``versions_seen``. None:
    not recorded (a checkpoint stored by an older graphstage)."""
    paused: PauseKind | None = None
    """Set when a run paused at this checkpoint; ``before`` makes the next continuation
    run the next nodes without pausing before them again."""
    extra_metadata: Mapping[str, Any] = field(default_factory=dict)
    """What its run's config adds to ``metadata`` (``run_metadata``)."""
    parents: Mapping[str, str] = field(default_factory=dict)
    """A subgraph's checkpoint: for each graph around it, its namespace (``""`` for the
    thread's own graph) -> the checkpoint the step running the subgraph started from, as
    LangGraph's ``metadata["parents"]`` (empty for the thread's own graph)."""

    @property
    def config(self) -> dict[str, Any]:
        """The config that names this checkpoint (pass it to run from here: a fork); a
        subgraph's carries LangGraph's ``checkpoint_map`` (its parents' and its own ids)."""
        return self._config_of(self.checkpoint_id)

    @property
    def parent_config(self) -> dict[str, Any] | None:
        if self.parent_id is None:
            return None
        return self._config_of(self.parent_id)

    def _config_of(self, checkpoint_id: str) -> dict[str, Any]:
        conf: dict[str, Any] = {
            "thread_id": self.thread_id,
            "checkpoint_ns": self.checkpoint_ns,
            "checkpoint_id": checkpoint_id,
        }
        if self.checkpoint_ns:
            conf["checkpoint_map"] = {**self.parents, self.checkpoint_ns: checkpoint_id}
        return {"configurable": conf}

    @property
    def checkpoint(self) -> dict[str, Any]:
        """As the ``checkpoint`` of LangGraph's ``CheckpointTuple`` (what ``get_tuple`` and
        ``list`` return): its ``id``, ``ts`` and ``channel_values`` (the state's fields;
        graphstage keeps no channel versions)."""
        return {
            "v": 4,
            "id": self.checkpoint_id,
            "ts": self.created_at,
            "channel_values": dict(self.values),
        }

    @property
    def metadata(self) -> dict[str, Any]:
        """As LangGraph's: ``source``, ``step`` and ``parents``, and what the run's config
        adds (``run_metadata``)."""
        own = {"source": self.source, "step": self.step, "parents": dict(self.parents)}
        return {**self.extra_metadata, **own} if self.extra_metadata else own

    @property
    def pending_writes(self) -> builtins.list[tuple[str, str, Any]]:
        """As LangGraph's ``CheckpointTuple.pending_writes``: the writes of the next step's
        tasks that finished (or paused, or failed), as ``(task_id, channel, value)``
        (``_channel_writes`` says how graphstage's differ: its task ids, no edge triggers)."""
        return channel_writes(self)

    @property
    def pending_interrupts(self) -> tuple[Interrupt, ...]:
        """Every question waiting for an answer, in node order."""
        return tuple(i for items in self.interrupts.values() for i in items)

    def with_pending(self, **changes: Any) -> ThreadCheckpoint:
        """This checkpoint with other pending writes, interrupts, answers or pause mark."""
        return replace(self, **changes)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadInfo:
    """A thread as ``graphstage threads`` lists it."""

    thread_id: str
    status: Literal["idle", "paused", "busy", "done"]
    """``paused``: waits for an answer or at a breakpoint; ``idle``: can be continued
    (it has next nodes); ``done``: reached its end; ``busy``: a run is continuing it."""
    head: ThreadCheckpoint
    """Its latest checkpoint."""
    runs: tuple[str, ...]
    """The runs that took its checkpoints, oldest first."""
    checkpoints: int
    created_at: str
    """When its first checkpoint was taken."""


def thread_config(config: Mapping[str, Any] | None) -> tuple[str, str | None, str]:
    """``(thread_id, checkpoint_id, checkpoint_ns)`` from a LangGraph config."""
    conf = (config or {}).get("configurable") or {}
    thread_id = conf.get("thread_id")
    if thread_id is None or thread_id == "":
        raise ValueError(
            "Checkpointer requires one or more of the following 'configurable' keys: "
            "thread_id, checkpoint_ns, checkpoint_id; pass config={'configurable': "
            "{'thread_id': '1'}}"
        )
    return str(thread_id), conf.get("checkpoint_id"), str(conf.get("checkpoint_ns") or "")


class BaseCheckpointSaver(ABC):
    """Where a graph's threads keep their checkpoints: subclass and implement the
    abstract methods. Every method may be called from any thread.

    ``journal``: where the runs' events go, if the saver keeps them too (``SqliteSaver``:
    one file holds both); ``None`` for ``InMemorySaver``.
    """

    journal: Journal | None = None

    @abstractmethod
    def put(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        """Store a checkpoint; one with an id already stored replaces it (that is how a
        run records the pending writes and interrupts of a step it could not finish:
        LangGraph's ``put_writes``). Returns its config."""

    def put_writes(
        self,
        config: Mapping[str, Any],
        writes: Any,
        task_id: str,
        task_path: str = "",
        *,
        batched: bool = False,
    ) -> None:
        """Store what task ``task_id`` of the step after the checkpoint ``config`` names
        returned (``writes``: the task's write, as ``_tasks.as_write`` makes it), as soon as
        the task has finished, as LangGraph's ``put_writes``: a continuation after the
        process died mid-step applies it instead of running the task again, and the
        checkpoint's ``tasks[i].result`` shows it. Reads give it in the checkpoint's
        ``writes``. ``batched``: the step's last task (its checkpoint follows at once), so
        a durable saver may write both in one go. This default stores the checkpoint again
        with the write added (each call costs the checkpoint's size); the savers here keep
        writes apart."""
        checkpoint = self.get_tuple(config)
        if checkpoint is not None:
            self.put(checkpoint.with_pending(writes={**checkpoint.writes, task_id: writes}))

    async def aput_writes(
        self, config: Mapping[str, Any], writes: Any, task_id: str, task_path: str = ""
    ) -> None:
        self.put_writes(config, writes, task_id, task_path)

    @abstractmethod
    def get_tuple(self, config: Mapping[str, Any]) -> ThreadCheckpoint | None:
        """The checkpoint ``config`` names (``checkpoint_id``), else the thread's latest,
        in the namespace ``checkpoint_ns`` names (``""``: the thread's own graph; a
        subgraph's checkpoints live under its own); None if there is none."""

    @abstractmethod
    def list(
        self,
        config: Mapping[str, Any] | None,
        *,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[ThreadCheckpoint]:
        """A thread's checkpoints in ``config``'s ``checkpoint_ns``, newest first (only
        the one ``checkpoint_id`` names, if it names one; ``config=None``: every thread's
        checkpoints, subgraphs' included). ``threads`` sees only the graphs' own."""

    @abstractmethod
    def claim(self, thread_id: str, run_id: str) -> str | None:
        """Mark the thread as being continued by ``run_id``; returns the id of another
        live run that holds it already (then nothing is marked), else None."""

    def claimed(self, thread_id: str, run_id: str) -> Awaitable[str | None] | None:
        """For a saver whose ``claim`` is decided when it is written (``SqliteSaver``: in
        the file, against other processes): something to await before the run runs any
        node, giving the run that holds the thread instead, or None. None: ``claim``'s
        answer was final (an in-memory saver's)."""
        return None

    @abstractmethod
    def release(self, thread_id: str, run_id: str) -> None:
        """``run_id`` no longer continues the thread (it has ended)."""

    @abstractmethod
    def threads(self) -> builtins.list[ThreadInfo]:
        """Every thread, most recently updated first."""

    @abstractmethod
    def delete_thread(self, thread_id: str) -> None:
        """Forget a thread and all its checkpoints."""

    def written(self) -> Awaitable[None] | None:
        """Something to await until every write made so far is durable, raising what
        failed (None: they already are, as an in-memory saver's). A run's end awaits it, so
        a write its saver could not make is named in ``RunResult.journal_error``. Call it
        on the event loop's thread."""
        return None

    # -- async variants, as LangGraph names them (local savers are quick: called inline)

    async def aput(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        return self.put(checkpoint)

    async def aget_tuple(self, config: Mapping[str, Any]) -> ThreadCheckpoint | None:
        return self.get_tuple(config)

    async def alist(
        self,
        config: Mapping[str, Any] | None,
        *,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[ThreadCheckpoint]:
        for checkpoint in self.list(config, before=before, limit=limit):
            yield checkpoint

    async def adelete_thread(self, thread_id: str) -> None:
        self.delete_thread(thread_id)


def status_of(head: ThreadCheckpoint, busy: bool) -> Literal["idle", "paused", "busy", "done"]:
    """A thread's status from its latest checkpoint."""
    if busy:
        return "busy"
    if head.paused is not None or head.interrupts:
        return "paused"
    return "idle" if head.next else "done"
