"""What every part of the supervisor shares: its state (one run's), publishing events, and
the exceptions that carry a run's end out of a step."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._command import Command
from .._constants import DEFAULT_RECURSION_LIMIT
from .._errors import NodeExitError, error_repr
from .._events import CustomOutput, Event
from .._interrupt import Interrupt
from .._ladder import Ladder
from .._mailbox import Mailbox
from .._messages import Envelope, KillRun
from .._routing import Router, Task
from .._run import Run, RunResult

if TYPE_CHECKING:
    from .._actor import NodeActor
    from .._graph import CompiledGraph
    from ..checkpoint._thread import ThreadRun
    from ..executors import NodeHandle


YIELD_EVERY = 0.002
"""Seconds a run may go on without letting the event loop run other work: nodes that return
without awaiting (run eagerly, see _eager) would otherwise keep it busy for a whole chain."""


class RunFailed(Exception):
    """The run fails with ``error`` (raised by ``node``, if one did): carried out of a step
    to ``Supervisor.main``, which ends the run ``failed``."""

    def __init__(self, error: BaseException, node: str | None = None) -> None:
        self.error = error
        self.node = node


class HandOff(Exception):
    """A node returned ``Command(graph=Command.PARENT)``: this run ends and gives the
    Command to the graph that runs it as a node."""

    def __init__(self, command: Command[Any]) -> None:
        self.command = command


def exit_error(where: str, exc: BaseException) -> NodeExitError:
    """``exc`` (not an ``Exception``) as the run's failure, naming where it came from."""
    who = where if where.startswith(("a ", "the ")) else f"node '{where}'"
    error = NodeExitError(
        f"{who} raised {type(exc).__name__}({', '.join(map(error_repr, exc.args))}); the run "
        f"failed instead of ending the process (raise an Exception to fail a run)"
    )
    error.__cause__ = exc
    return error


@dataclass(slots=True)
class Active:
    """A node executing in the current step. The Sends of one node in a step share one
    until a stop tells them (``_on_stop`` gives each told one its own): a fan-out of W
    Sends makes one, not W."""

    shielded: bool
    """Started after a stop: graceful stops do not reach it."""
    deadline: float = math.inf
    """``loop.time()`` by which it must answer (after a Cancel, or as cleanup), else escalate."""
    told_to_stop: bool = False
    """A Cancel was sent to it."""
    node: str = ""
    """The node it runs."""
    send: bool = False
    """It runs a ``Send``: its task id (the key in ``Supervisor._active``) is shown in its
    events (``task_of``)."""


def task_of(key: str, active: Active) -> str | None:
    """The ``task`` of an execution's events: its task id if it runs a Send, else None."""
    return key if active.send else None


class SupervisorBase:
    """One run's state, and publishing its events. The parts of ``Supervisor`` (stopping,
    answers, one step, between steps, finishing) are layers on top of it; everything here
    runs in the supervisor's task, except ``emit_custom`` (a node's writer)."""

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
        # answers of the current step given on this task's stack, flat: task id, answer,
        # task id, answer... they come before anything in the inbox (see NodeActor.kick)
        self._direct: list[Any] = []
        # task id (the node's name, or "node[i]" for a Send) -> the actor (a NodeHandle of
        # the node's executor) that ran its last execution; several may share one local
        # actor, handed on once its execution has answered (see Stepping._start_local)
        self._actors: dict[str, NodeHandle] = {}
        # local actors whose execution had answered by the end of its start (they may have
        # been given another since): the next new task id's actor is taken from here
        self._spare: list[NodeActor] = []
        # what making a node's actor and input needs, looked up once per run
        self._executors = graph.executors
        self._specs = graph.nodes
        self._node_inputs = graph._node_inputs
        self._run_id = run.run_id
        self._emit_custom = self.emit_custom
        # task id -> bookkeeping, for the executions of the current step still to answer
        self._active: dict[str, Active] = {}
        # False while no execution of the current step has a deadline (no cleanup_timeout,
        # no Cancel sent): waiting for answers then needs no scan for the nearest one
        self._timed = False
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
        # the result RunFinished published (journal_error still to come), once it is out
        self._ended: RunResult | None = None
        # time.monotonic() when this task last let the loop run (see YIELD_EVERY)
        self._yielded_at = 0.0
        # True while awaiting user code (an async path function): kill_now cancels that
        self._in_user_code = False
        # odd while this task awaits path functions, bumped on entry and exit: which
        # wait a stop's timer was armed in (see Stopping.deliver)
        self._in_branches = 0
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

    def _each_actor(self) -> list[NodeHandle]:
        """Every actor of the run, each once (a step's Sends to one node may share one)."""
        return list(dict.fromkeys(self._actors.values()))

    @property
    def stop_mode(self) -> str | None:
        """``None``, ``drain`` or ``graceful``: the ladder's mode."""
        return self.ladder.mode

    def _emit(self, cls: type[Event], **fields: Any) -> None:
        """Publish the next event, ``cls`` with these fields."""
        event = cls(run_id=self.run.run_id, seq=self._seq, time=time.time(), **fields)
        self._seq += 1
        self._deliver(event)

    def _emit_values(self, cls: type[Event], *values: Any) -> None:
        """Publish the next event, ``cls`` with ``values`` for its fields after ``time``, in
        their order (trailing defaults may be left out): the events of every transition.
        Nobody reads events as they come unless the run has a journal or a tap: the run
        then keeps a plain tuple, and builds the event only if someone reads it."""
        seq = self._seq
        self._seq = seq + 1
        run = self.run
        if self._sinks or run._tap is not None:
            self._deliver(cls._positional(run.run_id, seq, time.time(), *values))
        elif run._unread:
            return
        else:  # Run._publish for a record that is not a writer line, inlined: the hot path
            run._events.append((cls.__name__, seq, time.time(), *values))
            if run._waiter is not None:
                run._wake()

    def _deliver(self, event: Event) -> None:
        run = self.run
        if run._unread and run._tap is None and not self._sinks:
            return  # nobody can read it (see Run._unread)
        run._publish(event)
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
        if self._published_end:
            return
        run = self.run
        if self._sinks or run._tap is not None:
            self._emit(CustomOutput, node=node, step=step, data=data)
        elif not run._unread:  # nobody reads events as they come: a record, built if read
            seq = self._seq
            self._seq = seq + 1
            run._publish(("CustomOutput", seq, time.time(), node, step, data))


def names(tasks: list[Task]) -> tuple[str, ...]:
    """The nodes of ``tasks``, each once, in order (a checkpoint's ``next``)."""
    if len(tasks) == 1:
        return (tasks[0].node,)
    return tuple(dict.fromkeys(t.node for t in tasks))
