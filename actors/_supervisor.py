"""``Supervisor``: owns one run, applies each node's answer, routes, and runs the stop ladder.

It is an actor too: its inbox receives the node actors' answers and the run handle's
``StopRun`` / ``KillRun``. Runs proceed in steps: every node of a step starts together,
their answers are gathered, their updates merged in a deterministic order, and the next
step is chosen from their Commands and the graph's edges.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from ._command import Command, Send, destinations_of, goto_names
from ._constants import DEFAULT_RECURSION_LIMIT, START
from ._errors import (
    GraphRecursionError,
    InvalidUpdateError,
    NodeCancelledError,
    NodeExitError,
    NodeTimeoutError,
    ParentCommand,
    SurvivingTaskError,
    UnknownNodeError,
    recursion_message,
)
from ._events import (
    CustomOutput,
    Event,
    NodeCancelled,
    NodeFailed,
    NodeFinished,
    NodeInterrupted,
    NodeStarted,
    RunFinished,
    RunStarted,
    RunStatus,
    StateUpdated,
    StopRequested,
    Transition,
)
from ._interrupt import GraphInterrupt, Interrupt
from ._ladder import Ladder
from ._mailbox import Mailbox
from ._messages import (
    ESCALATED,
    Cancel,
    Cancelled,
    Envelope,
    Execute,
    Failed,
    Finished,
    Kill,
    KillRun,
    StopRun,
)
from ._routing import Resolved, Route, Router, StepRoutes, Task, task_order
from ._run import Run, RunResult
from ._subgraph import CURRENT_RUN
from .checkpoint._state import apply_writes
from .checkpoint._thread import as_answer, as_write

if TYPE_CHECKING:
    from ._graph import CompiledGraph
    from .checkpoint._thread import ThreadRun
    from .executors import NodeHandle


YIELD_EVERY = 0.002
"""Seconds a run may go on without letting the event loop run other work: nodes that return
without awaiting (run eagerly on 3.12+) would otherwise keep it busy for a whole chain."""


class _RunFailed(Exception):
    def __init__(self, error: BaseException, node: str | None = None) -> None:
        self.error = error
        self.node = node


class _HandOff(Exception):
    """A node returned ``Command(graph=Command.PARENT)``: this run ends and gives the
    Command to the graph that runs it as a node."""

    def __init__(self, command: Command[Any]) -> None:
        self.command = command


def _exit_error(where: str, exc: BaseException) -> NodeExitError:
    """``exc`` (not an ``Exception``) as the run's failure, naming where it came from."""
    who = where if where.startswith(("a ", "the ")) else f"node '{where}'"
    error = NodeExitError(
        f"{who} raised {type(exc).__name__}({', '.join(map(repr, exc.args))}); the run "
        f"failed instead of ending the process (raise an Exception to fail a run)"
    )
    error.__cause__ = exc
    return error


@dataclass(slots=True)
class _Active:
    """A node executing in the current step."""

    shielded: bool
    """Started after a stop: graceful stops do not reach it."""
    deadline: float = math.inf
    """``loop.time()`` by which it must answer (after a Cancel, or as cleanup), else escalate."""
    told_to_stop: bool = False
    """A Cancel was sent to it."""
    node: str = ""
    """The node it runs."""
    task: str | None = None
    """Its task id when it runs a ``Send`` (the key in ``Supervisor._active``), else None."""


class Supervisor:
    """Runs one run to its end. Everything here runs in the supervisor's task, except
    ``deliver`` and ``kill_now``, which the run handle calls on the loop's thread."""

    def __init__(
        self,
        graph: CompiledGraph,
        run: Run,
        state: Any,
        config: dict[str, Any],
        resume: tuple[int, tuple[str, ...], str] | None,
        sinks: list[Callable[[Event], Awaitable[None] | None]],
        thread: ThreadRun | None = None,
    ) -> None:
        self.graph = graph
        self.run = run
        self.config = config
        self.limit = int(config.get("recursion_limit", DEFAULT_RECURSION_LIMIT))
        # the run's private state: changed in place by each step's merge, never handed out
        # (nodes and path functions get shallow copies: graph.node_input, graph.state_view)
        self.state = state
        self._loop = asyncio.get_running_loop()
        # answers from the node actors, and StopRun / KillRun from the run handle
        self._inbox: Mailbox[Envelope] = Mailbox()
        # task id (the node's name, or "node[i]" for a Send) -> its actor (a NodeHandle of
        # the node's executor), created on the task id's first step and reused after
        self._actors: dict[str, NodeHandle] = {}
        # task id -> bookkeeping, for the executions of the current step still to answer
        self._active: dict[str, _Active] = {}
        self._seq = 0
        self.step = 0
        # the step this run began after (0, or a resumed checkpoint's): limits count from it
        self._first_step = 0
        # deferred nodes that were reached while other nodes were still to run
        self._held: list[Task] = []
        self.path: list[str] = []
        # the stop ladder's state and rules (modes, who is cancelled, the final status)
        self.ladder = Ladder()
        self.killed: KillRun | None = None
        self._router = Router(graph, config)
        self._resume = resume
        # whether the current step's nodes were started after a stop (all or none are)
        self._step_shielded = False
        # where a resumed run would start: the current step's nodes, or after a stop the
        # step the stop prevented
        self.resume_next: tuple[str, ...] = ()
        # the supervisor's own task (set by CompiledGraph.start)
        self.task: asyncio.Task[None] | None = None
        # True once the run is settling: stop and kill have nothing left to act on
        self._finishing = False
        # True once RunFinished is published: nothing is published after it
        self._published_end = False
        # loop.time() when this task last let the loop run (see YIELD_EVERY)
        self._yielded_at = 0.0
        # True while awaiting user code (an async path function): kill_now cancels that
        self._in_user_code = False
        # called with every event after it is published (the journal); a sink may return
        # an awaitable (its write of RunFinished) that must be done before the run settles
        self._sinks = sinks
        self._pending_writes: list[Awaitable[None]] = []
        # the first exception a sink raised: the run goes on and reports it at the end
        self.journal_error: BaseException | None = None
        # a node's Command(graph=Command.PARENT), for the graph running this one as a node
        self.handoff: Command[Any] | None = None
        # the run's thread (a checkpointer and a thread_id), told about every step
        self._thread = thread
        # nodes of the current step that called interrupt(): node -> the questions
        self._interrupts: dict[str, tuple[Interrupt, ...]] = {}
        # answers for the current step's interrupt() calls, per node (first step only)
        self._given: dict[str, tuple[Any, ...]] = {}
        # where the run paused (an interrupt, or a breakpoint before/after), if it did
        self._paused: str | None = None

    @property
    def stop_mode(self) -> str | None:
        """``None``, ``drain`` or ``graceful``: the ladder's mode."""
        return self.ladder.mode

    # -- called by the run handle ---------------------------------------------------

    def deliver(self, message: StopRun) -> None:
        if not self._finishing:
            self._inbox.put(Envelope(message, ""))

    def kill_now(self, message: KillRun) -> None:
        """Cancel every node task at once, then let the supervisor's task settle the run."""
        if self.killed is not None or self._finishing:
            return  # already killed, or settling: there is nothing left to kill
        self.killed = message
        self.ladder.kill()
        for actor in self._actors.values():
            actor.tell(Kill())
            task = actor.node_task
            if task is not None and not task.done():
                task.cancel()
        self._inbox.put(Envelope(message, ""))
        if self._in_user_code and self.task is not None:
            self.task.cancel()  # an async path function is running: it must not delay a kill

    # -- events ------------------------------------------------------------------------

    def _emit(self, cls: type[Event], **fields: Any) -> None:
        event = cls(run_id=self.run.run_id, seq=self._seq, time=time.time(), **fields)
        self._seq += 1
        self.run._publish(event)
        for sink in self._sinks:
            try:
                pending = sink(event)
            except Exception as exc:  # the journal failed: keep running, report it
                if self.journal_error is None:
                    self.journal_error = exc
            else:
                if pending is not None:  # RunFinished: the write _finish awaits
                    self._pending_writes.append(pending)

    def emit_custom(self, node: str, step: int, data: Any) -> None:
        """A node's ``writer`` (loop thread); a line that arrives after the run has
        settled (from an abandoned worker thread) is dropped, never published late."""
        if not self._published_end:
            self._emit(CustomOutput, node=node, step=step, data=data)

    # -- the run -------------------------------------------------------------------------

    async def main(self) -> None:
        status: RunStatus = "completed"
        error: BaseException | None = None
        frontier: list[Task] = []
        CURRENT_RUN.set(self.run)  # this task's context, which its node tasks inherit
        try:
            resumed_from = self._resume[2] if self._resume else None
            if self._thread is not None and self._thread.resumed_from is not None:
                resumed_from = self._thread.resumed_from
            inp, self.state = self.state, self.graph.schema.own(self.state)
            self._emit(
                RunStarted,
                graph=self.graph.name,
                input=inp,
                resumed_from=resumed_from,
            )
            thread = self._thread
            start = thread.start if thread is not None else None
            pending: dict[str, Any] = {}
            skip_before = False
            if start is not None and not start.fresh:
                self.step, frontier = start.step, list(start.frontier)
                pending, self._given = start.pending, start.answers
                skip_before = start.skip_before
                self._router.restore_joins(start.joins)
            elif self._resume is not None:
                self.step, nodes, _ = self._resume
                frontier = [Task(node, node) for node in nodes]
            else:
                if start is not None:
                    self.step = start.step
                resolved = await self._resolve_branches([START])
                frontier = self._hold_deferred(self._enter(self._router.entry(resolved)))
                if thread is not None:
                    thread.entered(self.step, self.state, frontier, self._router.joins_snapshot())
            first_step = self._first_step = self.step
            while frontier:
                if thread is not None and not skip_before and thread.pause_before(frontier):
                    self._pause("before", frontier)
                    break
                skip_before = False
                self.step += 1
                answers = await self._run_step(frontier, pending)
                if self.killed is not None:
                    break
                if self._interrupts and "\0failed" not in answers:
                    self._cut_short(frontier, answers)
                    break
                ran, pending = frontier, {}
                frontier = self._hold_deferred(await self._settle_step(frontier, answers))
                self._given = {}
                if self._loop.time() - self._yielded_at > YIELD_EVERY:
                    # nodes that return at once never make this task wait: let the loop
                    # run (a stop from another thread, the window) every YIELD_EVERY s
                    await asyncio.sleep(0)
                    self._yielded_at = self._loop.time()
                # As LangGraph: the limit's last step runs and is applied, then the run
                # fails even if it would end there (a stopped run may end quietly).
                if self.step - first_step >= self.limit and (frontier or not self.stop_mode):
                    self.resume_next = names(frontier)  # the step the limit prevented
                    raise _RunFailed(GraphRecursionError(recursion_message(self.limit)))
                if frontier and thread is not None and thread.pause_after(ran):
                    self._pause("after", frontier)
                    break
            status = self.ladder.status(paused=self._paused is not None)
        except _RunFailed as failed:
            status, error = "failed", failed.error
        except _HandOff as handoff:  # the step's updates are left to the parent's Command
            self.handoff = handoff.command
        except asyncio.CancelledError:  # kill_now cancelled us in the middle of user code
            status = "killed"
        except Exception as exc:  # a bug in a path function or in graphstage itself
            status, error = "failed", exc
        except BaseException as exc:  # never let it end the loop
            status, error = "failed", _exit_error("the supervisor", exc)
        if self.killed is not None:
            status = "killed"
        await self._finish(status, error)

    def _pause(self, kind: str, frontier: list[Task]) -> None:
        """Pause at a breakpoint: the run ends ``paused``; its thread goes on from here."""
        self._paused = kind
        self.resume_next = names(frontier)
        if self._thread is not None and kind != "interrupt":
            self._thread.pause(kind)  # type: ignore[arg-type]

    def _cut_short(self, tasks: list[Task], answers: dict[str, Any]) -> None:
        """A node interrupted: the step does not complete. The tasks that finished keep
        their writes in the thread's checkpoint; the step is run again on resume."""
        if self._thread is not None:
            self._thread.partial(tasks, answers, self._given, self._interrupts)
            # the result shows the finished tasks' writes applied, as LangGraph's does
            writes = [
                (t.node, as_write(a.value))
                for t in tasks
                if isinstance(a := answers.get(t.id), Finished)
            ]
            self.state = apply_writes(self.graph, self.state, writes)
        self.step -= 1
        self._pause("interrupt", tasks)

    async def _finish(self, status: RunStatus, error: BaseException | None) -> None:
        self._finishing = True
        if self._thread is not None:
            self._thread.ended()
        if self.killed is not None:  # published here, once, however the kill landed
            nodes = tuple(a.node for a in self._active.values())
            self._emit(StopRequested, mode="kill", reason=self.killed.reason, nodes=nodes)
        for key, active in list(self._active.items()):
            self._emit(
                NodeCancelled, node=active.node, step=self.step, how="killed", task=active.task
            )
            self._actors[key].tell(Kill())
        self._active.clear()
        survivors = await self._reap()
        survivors += [
            f"{a.spec.name} (its worker thread)" for a in self._actors.values() if a.threads_running
        ]
        if survivors and error is None:
            error = SurvivingTaskError(
                f"node(s) {', '.join(survivors)} did not end when cancelled and were abandoned "
                f"(a sync node's thread cannot be interrupted; an async node must not "
                f"swallow CancelledError)"
            )
        elif (
            error is None
            and status == "killed"
            and self.killed is None
            and self.ladder.escalated_unrouted
        ):
            error = TimeoutError(
                f"node(s) did not answer the stop within cancel_grace={self.graph.cancel_grace}s"
            )
        next_nodes = self.resume_next if status != "completed" else ()
        interrupts = tuple(i for items in self._interrupts.values() for i in items)
        if self._paused is None:
            interrupts = ()
        self._emit(
            RunFinished,
            status=status,
            values=self.state,
            next=next_nodes,
            steps=self.step,
            error=None if error is None else f"{type(error).__name__}: {error}",
            interrupts=interrupts,
        )
        self._published_end = True
        for write in self._pending_writes:  # off the loop: the writer thread writes
            try:
                await write
            except Exception as exc:
                if self.journal_error is None:
                    self.journal_error = exc
        self._inbox.close()
        self.run._settle(
            RunResult(
                run_id=self.run.run_id,
                status=status,
                state=self.state,
                path=tuple(self.path),
                error=error,
                next=next_nodes,
                journal_error=self.journal_error,
                interrupts=interrupts,
                handoff=self.handoff,
            )
        )

    def on_task_done(self, task: asyncio.Task[None]) -> None:
        """The supervisor's task ended: if it did so without settling the run (a fault in
        ``_finish`` itself, or the task cancelled before its first line), settle it here,
        ``failed`` with what ended the task, so no caller waits for a result forever."""
        if self.run.done:
            return
        error: BaseException
        if task.cancelled():
            error = RuntimeError("the run's supervisor task was cancelled before it settled")
        else:
            exc = task.exception()
            error = exc if exc is not None else RuntimeError("the supervisor ended unsettled")
        for actor in self._actors.values():
            actor.close()
            if actor.node_task is not None:
                actor.node_task.cancel()
        self._finishing = True
        if self._thread is not None:
            try:
                self._thread.ended()  # the thread may be continued again
            except Exception:  # the saver failed too: the settling below matters more
                pass
        try:
            self._emit(
                RunFinished,
                status="failed",
                values=self.state,
                next=self.resume_next,
                steps=self.step,
                error=f"{type(error).__name__}: {error}",
            )
        except Exception:  # the run must settle whatever publishing does
            pass
        self._inbox.close()
        self.run._settle(
            RunResult(
                run_id=self.run.run_id,
                status="failed",
                state=self.state,
                path=tuple(self.path),
                error=error,
                next=self.resume_next,
                journal_error=self.journal_error,
            )
        )

    async def _reap(self) -> list[str]:
        """Close every mailbox; keep cancelling node tasks that outlive the run, for up to
        ``kill_timeout``; return the names of those that survive it."""
        for actor in self._actors.values():
            actor.close()
        deadline = self._loop.time() + self.graph.kill_timeout
        while True:
            alive = [a for a in self._actors.values() if a.node_task and not a.node_task.done()]
            if not alive or self._loop.time() >= deadline:
                break
            for actor in alive:
                actor.node_task.cancel()  # type: ignore[union-attr]
            await asyncio.sleep(0.001)
        return [a.spec.name for a in alive]

    # -- one step -------------------------------------------------------------------

    def _actor(self, key: str, node: str) -> NodeHandle:
        actor = self._actors.get(key)
        if actor is None:
            actor = self.graph.executors[node].handle(
                self.graph.nodes[node],
                self.run.run_id,
                self.config,
                self._inbox,
                self.emit_custom,
            )
            self._actors[key] = actor
        return actor

    async def _run_step(self, tasks: list[Task], pending: dict[str, Any]) -> dict[str, Any]:
        shielded = self._step_shielded = self.ladder.shielded
        self.resume_next = names(tasks)
        now = self._loop.time()
        cleanup_timeout = self.graph.cleanup_timeout
        answers: dict[str, Any] = {}
        thread = self._thread
        self._interrupts = {}
        kicks: list[NodeHandle] = []
        for key, node, send, _ in tasks:
            if key in pending:  # finished before the step was cut short: not run again
                answers[key] = as_answer(pending[key])
                continue
            deadline = now + cleanup_timeout if shielded and cleanup_timeout else math.inf
            task = None if send is None else key
            self._active[key] = _Active(shielded, deadline, node=node, task=task)
            if send is None:
                try:
                    state = self.graph.node_input(
                        node, self.state, self.step - self._first_step, self.limit
                    )
                except Exception as exc:  # the node's own schema rejects the state
                    raise _RunFailed(exc, node) from None
            else:
                state = send.arg  # a Send's input goes to the node as it is, as in LangGraph
            actor = self._actor(key, node)
            # told first so that the executor has placed it (``where``); the execution
            # itself starts after this step's events: a local actor at the kick below, on
            # this stack (no loop turn), a remote one when its tell is handled
            resume = None
            if thread is not None:  # interrupt() answers, and the seed of its ids
                resume = (thread.resume_seed(self.step, key), self._given.get(key, ()))
            execute = Execute(state, self.step, "" if send is None else key, resume)
            prepare = getattr(actor, "prepare", None)
            if prepare is not None:  # a local actor: started by the kick below
                prepare(execute)
                kicks.append(actor)
            else:
                actor.tell(execute, self.step)
            self._emit(
                NodeStarted,
                node=node,
                step=self.step,
                shielded=shielded,
                where=actor.where,
                task=task,
            )
            self.path.append(node)
        if thread is not None and thread.start.stop_reason and self.step == self._first_step + 1:
            # stop_thread: the stop reaches the nodes waiting at their interrupt
            self._on_stop(StopRun(False, thread.start.stop_reason))
        for actor in kicks:
            actor.kick()  # type: ignore[attr-defined]
        inbox = self._inbox
        while self._active:
            if len(inbox):
                envelope = inbox.get_nowait()
            else:
                deadline = min(a.deadline for a in self._active.values())
                try:
                    if deadline == math.inf:
                        envelope = await inbox.get()
                        self._yielded_at = self._loop.time()
                    else:
                        with anyio.move_on_after(max(0.0, deadline - self._loop.time())):
                            envelope = await inbox.get()
                            deadline = math.inf
                        if deadline != math.inf:
                            self._escalate_due(answers)
                            continue
                except asyncio.CancelledError:
                    if not self._cancelled_from_outside():
                        raise
                    continue
            message = envelope.message
            if isinstance(message, StopRun):
                self._on_stop(message)
            elif isinstance(message, KillRun):
                return answers
            elif envelope.step == self.step and envelope.sender in self._active:
                self._on_answer(envelope.sender, message, answers)
        return answers

    def _cancelled_from_outside(self) -> bool:
        """This task was cancelled while waiting for answers. By ``kill_now``: let it end
        the run. By anyone else (``asyncio.run`` cancelling every task as it shuts down
        after the caller returned): absorb it and stop the run as ``stop()`` would, so the
        cleanup route still runs; a second such cancellation kills."""
        task = self.task
        if self.killed is not None or task is None:
            return False
        task.uncancel()
        if self.ladder.outside_cancel() == "kill":
            self.kill_now(KillRun("supervisor task cancelled again"))
        else:
            self._on_stop(StopRun(False, "supervisor task cancelled"))
        return True

    def _on_answer(self, key: str, message: Any, answers: dict[str, Any]) -> None:
        active = self._active.pop(key)
        node, task = active.node, active.task
        if isinstance(message, Failed) and isinstance(message.error, ParentCommand):
            # a subgraph run inside this node handed its Command to this graph: the node
            # answered with it
            command = dataclasses.replace(message.error.command, graph=None)
            message = Finished(command, False, message.duration)
        answers[key] = message
        step = self.step
        if isinstance(message, Finished):
            value = message.value
            try:
                if isinstance(value, Command):
                    update, goto = value.update, goto_names(destinations_of(node, value))
                else:
                    update, goto = value, ()
                if update is not None and not isinstance(update, Mapping):
                    self.graph.schema.check_update(node, update)  # a model instance, or raises
            except InvalidUpdateError as exc:  # named here, before any view sees the value
                self._node_failed(node, step, task, message.duration, answers, exc)
                return
            self._emit(
                NodeFinished,
                node=node,
                step=step,
                update=update,
                goto=goto,
                answered_cancel=message.answered_cancel,
                duration=message.duration,
                task=task,
            )
        elif isinstance(message, Cancelled):
            if self.stop_mode is None:  # not an answer to a stop: the node's own failure
                error = NodeCancelledError(
                    f"node '{node}' raised CancelledError though no stop was requested; "
                    f"a node must not cancel itself (raise another exception to fail)"
                )
                self._node_failed(node, step, task, message.duration, answers, error)
            else:
                self._emit(
                    NodeCancelled,
                    node=node,
                    step=step,
                    how="reraised",
                    duration=message.duration,
                    task=task,
                )
        elif isinstance(message, Failed) and isinstance(message.error, GraphInterrupt):
            self._interrupts[key] = message.error.interrupts
            self._emit(
                NodeInterrupted,
                node=node,
                step=step,
                interrupts=message.error.interrupts,
                duration=message.duration,
            )
        elif isinstance(message, Failed):
            err = message.error
            if not isinstance(err, Exception):
                err = _exit_error(node, err)
            self._node_failed(node, step, task, message.duration, answers, err)

    def _node_failed(
        self,
        node: str,
        step: int,
        task: str | None,
        duration: float,
        answers: dict[str, Any],
        error: BaseException,
    ) -> None:
        """Publish that ``node`` (execution ``task``) failed with ``error``; fail the step."""
        self._emit(
            NodeFailed,
            node=node,
            step=step,
            error_type=type(error).__name__,
            error=str(error),
            duration=duration,
            task=task,
        )
        self._fail_step(node, answers, error)

    def _fail_step(self, node: str, answers: dict[str, Any], error: BaseException) -> None:
        """A node failed: the run fails; siblings still running are cancelled, not awaited."""
        for sibling, active in list(self._active.items()):
            self._actors[sibling].tell(Kill())
            self._emit(
                NodeCancelled, node=active.node, step=self.step, how="killed", task=active.task
            )
            del self._active[sibling]
        answers["\0failed"] = _RunFailed(error, node)

    def _on_stop(self, message: StopRun) -> None:
        mode = self.ladder.ask(message.drain)
        if mode is None:
            return
        told: list[str] = []
        if mode == "graceful":
            deadline = self._loop.time() + self.graph.cancel_grace
            for key, active in self._active.items():
                if self.ladder.cancels(active.shielded, active.told_to_stop):
                    active.told_to_stop = True
                    active.deadline = deadline
                    self._actors[key].tell(Cancel(message.reason))
                    told.append(active.node)
        self._emit(
            StopRequested,
            mode=self.stop_mode,
            reason=message.reason,
            grace=0.0 if message.drain else self.graph.cancel_grace,
            nodes=tuple(told),
        )

    def _escalate_due(self, answers: dict[str, Any]) -> None:
        now = self._loop.time()
        for key, active in list(self._active.items()):
            if active.deadline <= now:
                del self._active[key]
                node = active.node
                self._actors[key].tell(Kill())
                self._emit(
                    NodeCancelled, node=node, step=self.step, how="escalated", task=active.task
                )
                if active.shielded:
                    answers["\0failed"] = _RunFailed(
                        NodeTimeoutError(
                            f"cleanup node '{node}' did not finish within "
                            f"cleanup_timeout={self.graph.cleanup_timeout}s"
                        ),
                        node,
                    )
                else:
                    answers[key] = ESCALATED

    # -- between steps --------------------------------------------------------------

    async def _settle_step(self, tasks: list[Task], answers: dict[str, Any]) -> list[Task]:
        """Merge the step's updates, choose the next step, publish the checkpoint.

        Updates are merged in LangGraph's order (``task_order``: nodes reached by edges by
        name, then Sends as they were made), not in answer order, so fan-out is
        deterministic; routing then reads the merged state, as LangGraph's edges do.
        """
        failed = answers.get("\0failed")
        if isinstance(failed, _RunFailed):
            raise failed
        for key, _, _, _ in sorted(tasks, key=task_order):
            answer = answers.get(key)
            if isinstance(answer, Finished) and isinstance(answer.value, Command):
                if answer.value.graph == Command.PARENT:
                    raise _HandOff(answer.value)
        schema = self.graph.schema
        updates: list[tuple[str, dict[str, Any]]] = []
        gotos: dict[str, tuple[str | Send, ...]] = {}
        finished: dict[str, None] = {}
        ordered = sorted(tasks, key=task_order) if len(tasks) > 1 else tasks
        for key, node, _, _ in ordered:
            answer = answers.get(key)
            if isinstance(answer, Finished):
                finished[node] = None
                value = answer.value
                if isinstance(value, Command):
                    update, gotos[key] = value.update, value.destinations
                else:
                    update, gotos[key] = value, ()
                try:
                    checked = schema.check_update(node, update)
                except InvalidUpdateError as exc:
                    raise _RunFailed(exc, node) from None
                if checked:
                    updates.append((node, checked))
        try:
            self.state, changed, appended = schema.merge(self.state, updates)
        except InvalidUpdateError as exc:
            raise _RunFailed(exc) from None

        stopped = self.stop_mode is not None
        resolved = await self._resolve_branches(finished)  # the nodes that finished
        try:
            step = self._router.after_step(
                tasks,
                answers,
                gotos,
                resolved,
                self.step,
                stopped=stopped,
                shielded=self._step_shielded,
            )
        except UnknownNodeError as exc:
            raise _RunFailed(exc) from None
        frontier = names(step.frontier)
        if stopped:
            self.resume_next = frontier or tuple(step.resume_next)
        self.ladder.routed(step.escalated_unrouted, goes_on=bool(step.frontier))
        self._emit(
            StateUpdated,
            step=self.step,
            update=changed,
            appended=appended or None,
            next=self.resume_next if stopped else frontier,
        )
        if self._thread is not None:
            if (
                stopped
                and not step.frontier
                and any(not isinstance(answers.get(t.id), Finished) for t in tasks)
            ):  # a stop left nodes unfinished: the step is run again on resume
                self._thread.partial(tasks, answers, self._given, {})
            else:
                nxt = step.frontier or [Task(n, n) for n in step.resume_next]
                self._thread.stepped(self.step, self.state, nxt, self._router.joins_snapshot())
        self._publish_routes(step.routes, stopped)
        return step.frontier

    def _hold_deferred(self, frontier: list[Task]) -> list[Task]:
        """Hold back ``add_node(defer=True)`` nodes while anything else is left to run;
        run them (each once) when nothing else is, as LangGraph's deferred nodes."""
        deferred = self.graph.deferred
        if not deferred:
            return frontier
        ready = [t for t in frontier if t.node not in deferred or t.send is not None]
        held_ids = {t.id for t in self._held}
        self._held.extend(t for t in frontier if t not in ready and t.id not in held_ids)
        if ready:
            return ready
        held, self._held = self._held, []
        return held

    async def _resolve_branches(self, nodes: Iterable[str]) -> Resolved:
        """Run the conditional edges of ``nodes``, if they have any. They are user code:
        a kill cancels the supervisor's task while it waits here, so an async path
        function cannot delay it; any exception they raise fails the run."""
        branching = [n for n in nodes if n in self.graph.branches]
        if not branching:
            return {}
        self._in_user_code = True
        try:
            view = self.graph.state_view(self.state, self.step - self._first_step, self.limit)
            return await self._router.resolve(branching, view)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise _RunFailed(exc) from None
        except BaseException as exc:  # SystemExit from a path function: fail the run only
            raise _RunFailed(_exit_error("a conditional edge", exc)) from None
        finally:
            self._in_user_code = False

    def _enter(self, entry: StepRoutes) -> list[Task]:
        self._publish_routes(entry.routes, False)
        return entry.frontier

    def _publish_routes(self, routes: list[Route], stopped: bool) -> None:
        at = self.step
        for src, dst, reason, branch, src_step, _, task in routes:
            self._emit(
                Transition,
                src=src,
                dst=dst,
                reason=reason,
                step=at if src_step is None else src_step,
                after_stop=stopped,
                branch=branch,
                task=task,
            )


def names(tasks: list[Task]) -> tuple[str, ...]:
    """The nodes of ``tasks``, each once, in order (a checkpoint's ``next``)."""
    return tuple(dict.fromkeys(t.node for t in tasks))
