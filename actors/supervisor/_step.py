"""One step: start every node of the frontier on its actor, then wait for their answers,
stops and kills, and the deadlines of nodes told to stop."""

from __future__ import annotations

import asyncio
import math
import time
from typing import TYPE_CHECKING, Any

import anyio

from .._actor import NodeActor
from .._events import NodeStarted
from .._messages import Envelope, Execute, Kill, KillRun, StopRun, new_tuple
from .._node_options import send_spec
from .._routing import Task
from .._stream import INPUTS_KEY
from ..checkpoint._tasks import as_answer
from ..executors import LOCAL
from ._answers import Answers
from ._base import Active, RunFailed, names

if TYPE_CHECKING:
    from .._command import Send
    from .._node import NodeSpec
    from ..executors import NodeHandle


class Stepping(Answers):
    """Runs one step's executions to their answers (in the supervisor's task)."""

    def _actor(self, key: str, node: str) -> NodeHandle:
        actor = self._actors.get(key)
        if isinstance(actor, NodeActor) and actor.spec is not self._specs[node]:
            # its last execution's actor was handed on to another node (_start_local)
            if actor.idle:
                actor.bind(self._specs[node])
            else:
                actor = None
        if actor is None:
            actor = self._placed_actor(key, node, self._specs[node])
        return actor

    def _timed_actor(self, key: str, send: Send) -> NodeHandle:
        """An actor of its own for a ``Send`` with a timeout of its own: its node's function
        bounded by that timeout instead of the node's (see ``send_spec``)."""
        assert send.timeout is not None
        return self._placed_actor(key, send.node, send_spec(self.graph, send.node, send.timeout))

    def _placed_actor(self, key: str, node: str, spec: NodeSpec) -> NodeHandle:
        """A new actor running ``spec`` for task ``key``, where ``node``'s executor places
        it (in this process, or on a Ray host)."""
        executor = self._executors[node]
        actor: NodeHandle
        if executor is LOCAL:
            actor = self._local_actor(spec)
        else:
            actor = executor.handle(spec, self._run_id, self.config, self._inbox, self._emit_custom)
        self._actors[key] = actor
        return actor

    def _local_actor(self, spec: NodeSpec) -> NodeActor:
        """A new actor of this run for a local node (what LOCAL.handle makes, without the
        call)."""
        return NodeActor(spec, self._run_id, self.config, self._inbox, self._emit_custom)

    def _start_step(self, tasks: list[Task], pending: dict[str, Any]) -> dict[str, Any]:
        """Start every execution of the step; return the answers dict the step fills (with
        the answers of tasks that finished before the step was cut short). A local node
        starts on this stack: one that returns without awaiting has answered (in
        ``_direct``, or the inbox) by the time this returns."""
        shielded = self._step_shielded = self.ladder.mode is not None
        self.resume_next = names(tasks)
        # a cleanup node (started after a stop) must answer within cleanup_timeout
        cleanup_timeout = self.graph.cleanup_timeout if shielded else None
        deadline = self._loop.time() + cleanup_timeout if cleanup_timeout else math.inf
        sent: dict[str, Active] = {}  # node -> the Active its Sends share
        self._timed = bool(cleanup_timeout)
        answers: dict[str, Any] = {}
        thread = self._thread
        if self._interrupts:
            self._interrupts = {}
        kicks: list[NodeHandle] = []
        show_inputs = INPUTS_KEY in self.config  # a stream shows each task's input
        stop_first = (  # stop_thread: a stop reaches this step's nodes before they start
            thread is not None
            and bool(thread.start.stop_reason)
            and self.step == self._first_step + 1
        )
        # a step of several tasks: the executions of local nodes are given an actor when
        # they start (see _start_local); their Executes and nodes in two lists (no tuple
        # kept alive for each of W tasks). One task (a chain's step) keeps its own actor.
        local: list[Execute] | None = None if stop_first or len(tasks) < 2 else []
        local_nodes: list[str] = []
        executors = self.graph.executors
        run = self.run
        step = self.step
        running, path = self._active, self.path
        # nobody reads events as they come: the step's NodeStarted records are made here,
        # with one clock read, and published together (what _emit_values does for each)
        records: list[tuple[Any, ...]] | None = None
        seq, clock = 0, 0.0
        quiet = not self._sinks and run._tap is None
        publish = not (quiet and run._unread)  # (nobody can ever read them: none made)
        if publish and quiet and len(tasks) > 1:
            records, seq, clock = [], self._seq, time.time()
        try:
            for key, node, send, _ in tasks:
                if key in pending:  # finished before the step was cut short: not run again
                    answers[key] = restored = as_answer(pending[key])
                    if publish:
                        self._restored(node, key if send is not None else None, restored)
                    continue
                if send is None:
                    try:
                        state = self._node_inputs[node](
                            self.state, step - self._first_step, self.limit
                        )
                    except Exception as exc:  # the node's own schema rejects the state
                        raise RunFailed(exc, node) from None
                else:
                    state = send.arg  # a Send's input goes to the node as it is, as in LangGraph
                # active once its input is made (a node whose input failed never started)
                if send is None:
                    task = None
                    running[key] = Active(shielded, deadline, False, node)
                else:  # (one record for a node's Sends: see Active)
                    task = key
                    active = sent.get(node)
                    if active is None:
                        active = sent[node] = Active(shielded, deadline, False, node, True)
                    running[key] = active
                resume = None
                if thread is not None:  # interrupt() answers, and the seed of its ids
                    resume = thread.execution(self.step, key, node, self._given.get(key, ()))
                execute = new_tuple(Execute, (state, step, "" if send is None else key, resume))
                timed = send if send is not None and send.timeout is not None else None
                if local is not None and timed is None and executors[node] is LOCAL:
                    local.append(execute)
                    local_nodes.append(node)
                    where = NodeActor.where
                else:
                    actor = self._timed_actor(key, timed) if timed else self._actor(key, node)
                    # told first so that the executor has placed it (``where``); the
                    # execution itself starts after this step's events: a local actor at
                    # the kick below, on this stack (no loop turn), a remote one when its
                    # tell is handled
                    if isinstance(actor, NodeActor):  # a local actor: started by the kick below
                        actor.prepare(execute)
                        kicks.append(actor)
                        where = NodeActor.where
                    else:
                        actor.tell(execute, self.step)
                        where = actor.where
                # node, step, shielded, where, task, input
                shown = state if show_inputs else None
                if records is not None:
                    records.append(
                        ("NodeStarted", seq, clock, node, step, shielded, where, task, shown)
                    )
                    seq += 1
                elif publish:
                    self._emit_values(NodeStarted, node, step, shielded, where, task, shown)
                path.append(node)
        finally:
            if records:  # (also when a node's input failed: what started is published)
                self._seq = seq
                run._events.extend(records)
                if run._waiter is not None:
                    run._wake()
        if stop_first and thread is not None and thread.start.stop_reason:
            # stop_thread: the stop reaches the nodes waiting at their interrupt
            self._on_stop(StopRun(False, thread.start.stop_reason))
        direct = self._direct
        for actor in kicks:
            actor.kick(direct)  # type: ignore[attr-defined]
        if local:
            self._start_local(local, local_nodes)
        return answers

    def _start_local(self, executes: list[Execute], nodes: list[str]) -> None:
        """Start the step's executions of local nodes, in order, each on an actor: a node
        reached by an edge takes its actor of the last time if that has nothing to do;
        otherwise an actor of the run whose execution answered at once (it returned
        without waiting) is handed on, bound to this node; else a new one. So a fan-out
        of W Sends, or W nodes into a join, whose functions return at once make one actor,
        not W. One that waits keeps its actor: a stop or a kill reaches each waiting
        execution alone."""
        actors = self._actors
        specs = self._specs
        spare = self._spare  # (their actors may have been given another execution since)
        direct = self._direct
        for execute, node in zip(executes, nodes, strict=True):
            spec = specs[node]
            task = execute.task
            actor: NodeActor | None = None
            if not task:
                had = actors.get(node)
                if isinstance(had, NodeActor) and had.idle:
                    actor = had
            handed_on = actor is None  # (a node's own actor is not put among the spare)
            if actor is None:
                while spare:
                    actor = spare.pop()
                    if actor.idle:
                        break
                    actor = None
                if actor is None:
                    actor = self._local_actor(spec)
            if actor.spec is not spec:
                actor.bind(spec)
            actors[task or node] = actor
            if self.killed is not None:  # a node killed the run as it started: as kill_now
                actor.prepare(execute)  # does to every actor (this one starts, then is
                actor.tell(Kill())  # killed)
                continue
            actor.start_now(execute, direct)
            if handed_on and actor.idle:
                spare.append(actor)

    def _take_answers(self, answers: dict[str, Any]) -> bool:
        """Handle the messages already in the inbox, in order, while executions are still
        to answer (no await); False once a ``KillRun`` is among them."""
        direct = self._direct
        if direct:  # answers given on this stack (see NodeActor.kick): before the inbox
            try:
                self._on_direct_answers(direct, answers)
            finally:
                direct.clear()
        take = self._inbox.take
        while self._active:
            envelope = take()
            if envelope is None:
                break
            if not self._on_message(envelope, answers):
                return False
        return True

    def _on_message(self, envelope: Envelope, answers: dict[str, Any]) -> bool:
        """One message of the inbox: a stop, a kill (False), or an answer of this step."""
        message = envelope.message
        if isinstance(message, StopRun):
            self._on_stop(message)
        elif isinstance(message, KillRun):
            return False
        elif envelope.step == self.step and envelope.sender in self._active:
            self._on_answer(envelope.sender, message, answers)
        return True

    async def _await_answers(self, answers: dict[str, Any]) -> None:
        """Wait for the step's answers (and stops, kills, and the deadlines of nodes told
        to stop) until every execution has answered or a kill ends the step."""
        inbox = self._inbox
        while self._active:
            if len(inbox):
                envelope = inbox.get_nowait()
            else:
                deadline = (
                    min(a.deadline for a in self._active.values()) if self._timed else math.inf
                )
                try:
                    if deadline == math.inf:
                        envelope = await inbox.get()
                        self._yielded_at = time.monotonic()
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
            if not self._on_message(envelope, answers):
                return
