"""What a run tells its thread as it goes (``ThreadSteps``, the base of ``ThreadRun``): the
checkpoint of each completed step, each finished task's write as the task finishes, the
pending writes, questions and answers of a step cut short, pauses, and the run's end."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .._constants import START
from .._errors import error_repr
from .._interrupt import GraphInterrupt, Interrupt, is_invalid_resume
from .._messages import Failed, Finished
from .._routing import Task
from ._base import (
    BaseCheckpointSaver,
    Durability,
    PauseKind,
    Source,
    ThreadCheckpoint,
    new_checkpoint_id,
    now_iso,
)
from ._scope import ReplayBound, TaskScope
from ._tasks import NULL_TASK, as_write, null_write, send_record

if TYPE_CHECKING:
    from .._graph import CompiledGraph


@dataclass(slots=True)
class StartPoint:
    """Where a run on a thread begins."""

    step: int
    """The step number of the checkpoint it starts from (the first step run is one more)."""
    fresh: bool
    """True: new input, route from START; False: run ``frontier`` (a continuation)."""
    frontier: list[Task] = field(default_factory=list)
    pending: dict[str, Any] = field(default_factory=dict)
    """Tasks of the first step that had finished: task id -> what they returned."""
    answers: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    """Answers for the first step's ``interrupt()`` calls, per task id, in order."""
    joins: Mapping[str, Any] = field(default_factory=dict)
    skip_before: bool = False
    """The thread paused before these nodes: run them without pausing again."""
    stop_reason: str | None = None
    """Stop the first step as soon as it starts (``stop_thread``): a node waiting at an
    ``interrupt()`` sees CancelledError there."""


class ThreadSteps:
    """A run's link to its thread, as the supervisor drives it (``ThreadRun`` adds where the
    run starts). Every method runs in the supervisor's task."""

    graph: CompiledGraph
    saver: BaseCheckpointSaver
    thread_id: str
    ns: str
    run_id: str
    interrupt_before: frozenset[str]
    interrupt_after: frozenset[str]
    head: ThreadCheckpoint | None
    """The thread's latest checkpoint as this run knows it: the one pending writes and
    pause marks are recorded on, and the parent of the next one."""
    start: StartPoint
    nested_answers: dict[str, dict[str, Any]]
    resumed: dict[str, tuple[Any, ...]]
    """Task id -> the ``interrupt()`` answers its execution of the running step was given,
    kept with its write when it finishes (LangGraph's ``__resume__`` pending write)."""
    _claimed: bool
    durability: Durability
    """When the checkpoints are saved (``"exit"``: only ``head``, when the run ends)."""
    trail: list[ThreadCheckpoint] | None
    """Every checkpoint the run took, for a ``checkpoints`` stream under ``"exit"`` (which
    shows them though they are not saved, as LangGraph's); None when nobody reads them."""
    _unsaved: bool
    """``"exit"``: the run has taken or changed ``head`` since it was last saved."""
    parents: dict[str, str]
    replay: ReplayBound | None
    extra_metadata: dict[str, Any]
    """What the run's config adds to its checkpoints' metadata (``_base.run_metadata``)."""
    null_updates: list[Any]
    """The ``Command(update=...)`` inputs given at the checkpoint the run continues."""
    _checked_before: bool
    """``pause_before`` was asked once already in this run."""
    null_goto: tuple[Any, ...]
    """The ``Command(goto=...)`` destinations given there (tasks added to its step)."""
    """Set when the run travels back in its thread (``_scope.ReplayBound``)."""
    """``ThreadCheckpoint.parents`` of every checkpoint this run takes."""
    _exit_parent: tuple[str | None] | None
    """``"exit"``: once the run has taken a checkpoint, the parent of its first one (the
    thread's latest saved checkpoint): the parent of the one saved at the end, as
    LangGraph's (those in between are never saved)."""

    # -- during the run (called by the supervisor) --------------------------------------

    def entered(self, step: int, state: Any, frontier: list[Task], joins: Any) -> None:
        """The run routed out of START."""
        self.stepped(step, state, frontier, joins, ran=(START,))

    def stepped(
        self, step: int, state: Any, nxt: list[Task], joins: Any, *, ran: Iterable[str]
    ) -> None:
        """A step completed (``ran``: its nodes): its checkpoint (the next step's tasks,
        Sends included)."""
        sends = tuple(
            send_record(t.send, {"id": t.id, "node": t.node, "arg": t.send.arg, "order": t.order})
            for t in nxt
            if t.send is not None
        )
        self.head = self._put(
            "loop",
            step,
            self.graph.schema.as_dict(state),
            tuple(t.node for t in nxt),
            joins=dict(joins),
            sends=sends,
            ran=tuple(dict.fromkeys(ran)),
        )

    def finished(self, task: str, value: Any, *, last: bool) -> None:
        """Task ``task`` of the step running now finished with ``value``: its write is saved
        at once on the checkpoint before the step (LangGraph's ``put_writes``), so if the
        process dies before the step ends, the continuation does not run it again.
        ``last``: no other task of the step still runs (the step's checkpoint or pending
        writes follow at once: a durable saver writes them together)."""
        head = self.head
        if head is not None and self.durability != "exit":  # exit: partial() keeps it
            self.saver.put_writes(head.config, self._write(task, value), task, batched=last)

    def _write(self, task: str, value: Any) -> Any:
        """What a finished task's write keeps: its value, and the answers its interrupt()
        calls were given in this step (shown as LangGraph's ``__resume__`` write)."""
        write = as_write(value)
        given = self.resumed.get(task)
        if given:
            write["resume"] = list(given)
        return write

    def partial(
        self,
        tasks: list[Task],
        answers: Mapping[str, Any],
        given: Mapping[str, tuple[Any, ...]],
        interrupts: Mapping[str, tuple[Interrupt, ...]],
    ) -> None:
        """A step was cut short (an interrupt, a node that failed, a stop or a kill that left
        nodes unfinished): the thread stays at the checkpoint before it, with the writes of
        the nodes that finished, the errors of those that failed, the questions asked, and
        the answers the others had been given. As LangGraph's pending writes: continuing
        the thread runs only the tasks that did not finish."""
        if self.head is None:
            return
        ids = [t.id for t in tasks]
        writes = {
            key: self._write(key, answer.value)
            for key in ids
            if isinstance(answer := answers.get(key), Finished)
        }
        errors = {
            key: error_repr(answer.error)
            for key in ids
            if isinstance(answer := answers.get(key), Failed)
            and not isinstance(answer.error, GraphInterrupt)
        }
        if self.null_updates or self.null_goto:  # kept until the step completes (LangGraph's)
            writes[NULL_TASK] = null_write(self.null_updates, self.null_goto)
        kept = {k: tuple(given[k]) for k in ids if k in given and k not in writes}
        asked = {n: tuple(i) for n, i in interrupts.items()}
        for key in ids:
            answer = answers.get(key)
            if isinstance(answer, Failed) and is_invalid_resume(answer.error):
                # an answer that did not fit its interrupt's response_schema is not saved,
                # so the question stays open and can be answered again (as LangGraph)
                asked[key] = self.head.interrupts.get(key, ())
                kept.pop(key, None)
                if self.head.answers.get(key):
                    kept[key] = self.head.answers[key]
        self.head = self.head.with_pending(
            writes=writes,
            errors=errors,
            interrupts={n: i for n, i in asked.items() if i},
            answers=kept,
            paused="interrupt" if any(asked.values()) else None,
            run_id=self.run_id,
        )
        self._save(self.head)

    def pause(self, kind: PauseKind) -> None:
        """The run pauses at a breakpoint (``before`` / ``after``) at the current head."""
        if self.head is not None:
            self.head = self.head.with_pending(paused=kind)
            self._save(self.head)

    def pause_before(self, frontier: list[Task]) -> bool:
        nodes = self.interrupt_before
        if not nodes:
            return False
        start = self.start
        done: Collection[str] = ()
        if not start.fresh and not start.skip_before and not self._checked_before:
            # the continued step's first check: a task that finished before the step was
            # cut short does not pause before itself again (LangGraph's versions_seen)
            done = start.pending.keys()
        self._checked_before = True
        waiting = [t.node for t in frontier if t.id not in done]
        return bool(waiting) and ("*" in nodes or not nodes.isdisjoint(waiting))

    def pause_after(self, ran: list[Task]) -> bool:
        nodes = self.interrupt_after
        return bool(nodes) and ("*" in nodes or not nodes.isdisjoint(t.node for t in ran))

    def ended(self) -> None:
        """The run has ended: under ``"exit"`` its last checkpoint is saved now; the thread
        may be continued again."""
        if self._unsaved and self.head is not None:
            self._unsaved = False
            head = self.head
            if self._exit_parent is not None:
                head = replace(head, parent_id=self._exit_parent[0])
            self.saver.put(head)
        if self._claimed:
            self._claimed = False
            self.saver.release(self.thread_id, self.run_id)

    def resume_seed(self, step: int, task: str) -> str:
        return f"{self.thread_id}:{self.ns}:{step}:{task}"

    def execution(
        self, step: int, task: str, node: str, given: tuple[Any, ...]
    ) -> tuple[str, tuple[Any, ...], TaskScope]:
        """An execution's ``Execute.resume``: the seed of its interrupt ids, the answers its
        ``interrupt()`` calls return, and the scope the graphs it starts inherit."""
        start = self.start
        first = not start.fresh and step == start.step + 1  # the step cut short, run again
        head_id = self.head.checkpoint_id if self.head is not None else ""
        scope = TaskScope(
            self.saver,
            self.thread_id,
            self.ns,
            node,
            task,
            head_id,
            resuming=first,
            answers=self.nested_answers.get(task, {}) if first else {},
            stop_reason=start.stop_reason if first else None,
            parents={**self.parents, self.ns: head_id},
            durability=self.durability,
            replay=self.replay,
            metadata=self.extra_metadata,
        )
        if given:
            self.resumed[task] = tuple(given)
        elif self.resumed:
            self.resumed.pop(task, None)  # an earlier step's
        return self.resume_seed(step, task), given, scope

    # -- helpers --------------------------------------------------------------------------

    def _config(self, checkpoint_id: str | None) -> dict[str, Any]:
        conf: dict[str, Any] = {"thread_id": self.thread_id, "checkpoint_ns": self.ns}
        if checkpoint_id is not None:
            conf["checkpoint_id"] = checkpoint_id
        return {"configurable": conf}

    def _put(
        self,
        source: Source,
        step: int,
        values: Any,
        nxt: tuple[str, ...],
        *,
        joins: Mapping[str, Any] | None = None,
        sends: tuple[Mapping[str, Any], ...] = (),
        ran: tuple[str, ...] | None = None,
        writes: Mapping[str, Any] | None = None,
    ) -> ThreadCheckpoint:
        if ran is None:  # not a step: who ran last is unchanged
            ran = self.head.ran if self.head is not None else ()
        checkpoint = ThreadCheckpoint(
            thread_id=self.thread_id,
            checkpoint_ns=self.ns,
            checkpoint_id=new_checkpoint_id(),
            parent_id=self.head.checkpoint_id if self.head is not None else None,
            step=step,
            source=source,
            values=dict(values),
            next=nxt,
            created_at=now_iso(),
            run_id=self.run_id,
            joins=dict(joins or {}),
            sends=sends,
            ran=ran,
            writes=dict(writes or {}),
            parents=self.parents,
            extra_metadata=self.extra_metadata,
        )
        if self.trail is not None:
            self.trail.append(checkpoint)
        if self.durability == "exit" and self._exit_parent is None:
            self._exit_parent = (checkpoint.parent_id,)
        self._save(checkpoint)
        return checkpoint

    def _save(self, checkpoint: ThreadCheckpoint) -> None:
        if self.durability == "exit":
            self._unsaved = True
        else:
            self.saver.put(checkpoint)
