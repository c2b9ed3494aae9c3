"""``ThreadRun``: one run's view of its thread — where it starts, and the checkpoints it takes.

The supervisor knows nothing of savers: it asks this object where to start (a
``StartPoint``) and tells it about each step (``entered``, ``finished``, ``stepped``,
``partial``, ``pause``, ``ended``: ``_steps.ThreadSteps``). Rules kept here, so every caller
gets them:

* a thread is continued by one run at a time (``claim``): a second continuation of the
  same checkpoint is refused while the first runs, and afterwards starts from where the
  first got to, so nothing is executed twice unless a fork is asked for explicitly
  (``checkpoint_id`` in the config);
* a continuation whose next nodes are not in the graph is refused before any step runs;
* a step cut short (an ``interrupt()``, a stop that left nodes unfinished, the process
  killed) is not a completed step: the thread stays at the checkpoint before it, with the
  writes of the nodes that did finish (each saved as it finished), so the continuation
  re-runs only the others, under the same step number (it does not use up the recursion
  budget); a fork from an older checkpoint runs its step again whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._command import Command, Send
from .._constants import END, START
from .._errors import EmptyInputError, ResumeError
from .._routing import Task
from ._base import (
    BaseCheckpointSaver,
    Durability,
    ThreadCheckpoint,
    run_metadata,
    thread_config,
)
from ._scope import ReplayBound, route_answers
from ._steps import StartPoint, ThreadSteps
from ._tasks import NULL_TASK, as_answer, as_write, null_inputs, tasks_of

if TYPE_CHECKING:
    from .._graph import CompiledGraph


class ThreadRun(ThreadSteps):
    """A run's link to its thread in ``saver``. Created by ``CompiledGraph.start``."""

    def __init__(
        self,
        graph: CompiledGraph,
        saver: BaseCheckpointSaver,
        config: Mapping[str, Any],
        run_id: str,
        *,
        interrupt_before: tuple[str, ...] = (),
        interrupt_after: tuple[str, ...] = (),
        durability: Durability = "async",
        trail: bool = False,
    ) -> None:
        self.graph = graph
        self.durability = durability
        self.trail = [] if trail and durability == "exit" else None
        self._unsaved = False
        self._exit_parent = None
        self.parents = {}  # the thread's own graph (a subgraph's: NestedThreadRun)
        self.saver = saver
        self.thread_id, self._checkpoint_id, self.ns = thread_config(config)
        self.run_id = run_id
        self.interrupt_before = frozenset(interrupt_before)
        self.interrupt_after = frozenset(interrupt_after)
        for name in (*interrupt_before, *interrupt_after):
            if name not in graph.nodes and name != "*":
                raise ValueError(
                    f"interrupt_before/after names node '{name}', which is not in graph "
                    f"{graph.name!r} (nodes: {', '.join(graph.nodes)})"
                )
        # the thread's latest checkpoint as this run knows it: the one pending writes and
        # pause marks are recorded on, and the parent of the next one
        self.head: ThreadCheckpoint | None = None
        self.start = StartPoint(step=-1, fresh=True)
        self.resumed_from: str | None = None
        """The run that took the checkpoint a continuation starts from (None: new input)."""
        self.nested_answers: dict[str, dict[str, Any]] = {}
        self.resumed: dict[str, tuple[Any, ...]] = {}
        """Answers to questions asked inside the graphs the first step's tasks run: task id
        -> interrupt id -> answer (handed to those graphs through their ``TaskScope``)."""
        self._claimed = False
        self.extra_metadata = run_metadata(config)
        self.null_updates: list[Any] = []
        self._checked_before = False
        self.null_goto: tuple[Any, ...] = ()
        self.replay: ReplayBound | None = None
        """Set when this run travels back in the thread: where the stateful subgraphs it
        runs load their state from."""

    # -- before the run --------------------------------------------------------------

    def prepare(self, input: Any, *, stop_reason: str | None = None) -> Any:
        """Claim the thread and work out where the run starts (``self.start``); return the
        state to start from. Raises ``ResumeError`` / ``ValueError`` before anything runs."""
        saver = self.saver
        base = saver.get_tuple(self._config(self._checkpoint_id))
        if self._checkpoint_id is not None and base is None:
            raise ResumeError(
                f"thread {self.thread_id!r} has no checkpoint {self._checkpoint_id!r}; "
                f"get_state_history (or `graphstage state THREAD --history`) lists them"
            )
        holder = saver.claim(self.thread_id, self.run_id)
        if holder is not None:
            raise ResumeError(
                f"thread {self.thread_id!r} is being continued by run {holder}; wait for it "
                f"to end (or stop it) before continuing the thread again"
            )
        self._claimed = True
        try:
            return self._prepare(input, base, stop_reason)
        except BaseException:
            self.ended()
            raise

    async def exclusive(self) -> None:
        """Before the run's first node: ``ResumeError`` if another process claimed the
        thread in the same instant and its claim was written first (``SqliteSaver``)."""
        settled = self.saver.claimed(self.thread_id, self.run_id) if self._claimed else None
        if settled is None:
            return
        holder = await settled
        if holder is not None:
            self._claimed = False  # never ours: nothing to release
            raise ResumeError(
                f"thread {self.thread_id!r} is being continued by run {holder} (another "
                f"process claimed it at the same instant); run {self.run_id} ran no node: "
                f"wait for that run to end (or stop it) before continuing the thread again"
            )

    def _prepare(self, input: Any, base: ThreadCheckpoint | None, stop: str | None) -> Any:
        schema = self.graph.schema
        # running a past checkpoint forks (as LangGraph: a copy of it becomes the head);
        # answering at the thread's latest one is an ordinary continuation
        latest = self.saver.get_tuple(self._config(None)) if self._checkpoint_id else None
        superseded = (
            latest is not None and base is not None and latest.checkpoint_id != base.checkpoint_id
        )
        # None at a named checkpoint, even the latest, is time travel (LangGraph 1.2): the
        # step runs again whole, its questions are asked again (the answers it had are
        # dropped), and a checkpoint the run took branches off as a "fork"
        replay = self._checkpoint_id is not None and input is None and stop is None
        fork = superseded or (replay and base is not None and base.source not in ("update", "fork"))
        if input is None and stop is None and base is not None and base.next == (START,):
            return self._pending_input(base, fork)
        if isinstance(input, Command) or stop is not None or input is None:
            if base is None:
                if input is None and stop is None:
                    return None  # LangGraph: None on an empty thread runs on empty input
                raise ResumeError(
                    f"thread {self.thread_id!r} has no checkpoint to continue; start it "
                    f"with an input first"
                )
            answers = {} if replay else dict(base.answers)
            if isinstance(input, Command):
                if input.resume is None and not input.goto and input.update is None:
                    raise EmptyInputError(
                        "Received empty Command input: as a run's input, a Command needs "
                        "resume=..., goto=... or update=..."
                    )
                if input.resume is not None:
                    self._answer(base, input.resume, answers)
            elif stop is not None and not base.interrupts:
                raise ResumeError(
                    f"thread {self.thread_id!r} is not waiting at an interrupt; there is "
                    f"nothing to stop"
                )
            self._check_nodes(base)
            self.head = base
            self.resumed_from = base.run_id
            if replay:
                # a fork made by update_state was taken after the subgraphs' checkpoints of
                # the step it forked from: they load what they had before that step
                forked = base.source in ("update", "fork") and base.parent_id is not None
                bound = base.parent_id if forked and base.parent_id else base.checkpoint_id
                self.replay = ReplayBound(bound)
            if fork:
                self.head = self._put(
                    "fork",
                    base.step + 1,
                    base.values,
                    base.next,
                    joins=base.joins,
                    sends=base.sends,
                )
            # the updates of Command inputs given at this checkpoint, this one's last: kept
            # with the step's pending writes until the step completes (LangGraph's null
            # writes), so a continuation after another pause applies them again
            self.null_updates, self.null_goto = null_inputs(base)
            if isinstance(input, Command):
                if input.update is not None:
                    self.null_updates.append(input.update)
                self.null_goto += input.destinations
            done = {k: w for k, w in base.writes.items() if k != NULL_TASK}
            self.start = StartPoint(
                step=self.head.step,
                fresh=False,
                frontier=self._with_goto(tasks_of(base), self.null_goto),
                # a fork runs the step again whole (its tasks' writes are a record of the
                # step the thread went on from), as LangGraph's time travel replays it
                pending={} if fork or replay else done,
                answers=answers,
                joins=base.joins,
                skip_before=base.paused == "before" or isinstance(input, Command),
                stop_reason=stop,
            )
            # as LangGraph: Command(resume=..., update=...) writes its update first
            state = schema.validate_input(base.values, restore=True)
            for update in self.null_updates:
                state = self._folded(state, update)
            return state
        # new input on the thread: applied to its state as an update, then from START; the
        # input checkpoint holds it as START's pending write (as LangGraph's), so a thread
        # cut off before its first step goes on from it. Validated before it is written:
        # input the run refuses leaves the thread as it was
        pending = {START: as_write(input)}
        if base is None:
            state = schema.validate_input(input)
            self.head = self._put("input", -1, {}, (START,), writes=pending)
        else:
            self.head = base
            state = self._with_input(base, input)
            self.head = self._put("input", base.step + 1, base.values, (START,), writes=pending)
        self.start = StartPoint(step=self.head.step + 1, fresh=True)
        return state

    def _with_goto(self, frontier: list[Task], goto: tuple[Any, ...]) -> list[Task]:
        """The checkpoint's next tasks and those ``Command(goto=...)`` inputs add (as
        LangGraph: they run in the same step, beside what was pending)."""
        if not goto:
            return frontier
        plain = [t for t in frontier if t.send is None]
        sends = [t for t in frontier if t.send is not None]
        count = Counter(t.node for t in sends)
        for dst in goto:
            node = dst.node if isinstance(dst, Send) else dst
            if node == END:
                continue
            if node not in self.graph.nodes:
                raise ResumeError(
                    f"Command(goto={node!r}) as the input of thread {self.thread_id!r}: graph "
                    f"{self.graph.name!r} has no node {node!r} "
                    f"(nodes: {', '.join(self.graph.nodes)})"
                )
            if isinstance(dst, Send):
                sends.append(Task(f"{node}[{count[node]}]", node, dst, len(sends)))
                count[node] += 1
            elif all(t.node != node for t in plain):
                plain.append(Task(node, node))
        return plain + sends

    def _with_input(self, base: ThreadCheckpoint, input: Any) -> Any:
        """``base``'s state with ``input`` folded in, as START's update."""
        return self._folded(self.graph.schema.validate_input(base.values, restore=True), input)

    def _folded(self, state: Any, input: Any) -> Any:
        schema = self.graph.schema
        update = schema.check_update(START, input)
        if update:
            state, _, _ = schema.merge(state, [(START, update)])
        return state

    def _pending_input(self, base: ThreadCheckpoint, fork: bool) -> Any:
        """Continue a thread whose checkpoint holds an input not yet run (an input
        checkpoint: the run that took it was cut off, or ``update_state(as_node=
        "__input__")``): from START, on that input."""
        write = base.writes.get(START)
        self.head = base
        self.resumed_from = base.run_id
        if fork:
            self.head = self._put("fork", base.step + 1, base.values, base.next, writes=base.writes)
        self.start = StartPoint(step=self.head.step + 1, fresh=True)
        if write is None:  # stored by an older graphstage: the values hold what there is
            return self.graph.schema.validate_input(dict(base.values) or None, restore=True)
        input = as_answer(write).value
        if base.parent_id is None:  # the thread's first input
            return self.graph.schema.validate_input(input)
        return self._with_input(base, input)

    def _answer(self, base: ThreadCheckpoint, resume: Any, answers: dict[str, Any]) -> None:
        waiting = base.pending_interrupts
        if not waiting:
            if base.paused is not None:
                return  # a breakpoint: the answer is not needed, the run just goes on
            raise ResumeError(
                f"thread {self.thread_id!r} has no interrupt waiting for an answer "
                f"(its next nodes: {', '.join(base.next) or 'none'}); continue it with "
                f"None as input, or start it again with an input"
            )
        ids = {i.id for i in waiting}
        if isinstance(resume, Mapping) and resume and set(resume) <= ids:
            by_id = dict(resume)
        elif len(waiting) == 1:
            by_id = {waiting[0].id: resume}
        else:
            raise _AmbiguousResume(
                "When there are multiple pending interrupts, you must specify the interrupt "
                f"id when resuming. Thread {self.thread_id!r} has {len(waiting)} waiting; answer "
                f"them with Command(resume={{interrupt_id: answer, ...}}), ids: "
                + ", ".join(sorted(ids))
            )
        self.nested_answers = route_answers(base, by_id, self.resume_seed, answers)

    def _check_nodes(self, base: ThreadCheckpoint) -> None:
        known = self.graph.nodes
        missing = [t.node for t in tasks_of(base) if t.node not in known]
        if missing:
            raise ResumeError(
                f"thread {self.thread_id!r} cannot be continued: its checkpoint (step "
                f"{base.step}) runs node(s) {', '.join(dict.fromkeys(missing))} next, which "
                f"graph {self.graph.name!r} does not have (nodes: {', '.join(known)}); "
                f"was a node renamed? Load the graph it ran with, or fork from a checkpoint "
                f"with update_state(config, values, as_node=...)"
            )


class _AmbiguousResume(ResumeError, RuntimeError):
    """One answer for several waiting questions: a ``ResumeError`` that is also the
    ``RuntimeError`` LangGraph raises (with its words first)."""
