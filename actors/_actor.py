"""``NodeActor``: one graph node, its mailbox, and the task that runs its function.

Messages to an actor go into its mailbox; the first message into an empty mailbox
schedules the actor's dispatch as an event-loop callback, which handles every queued
message in order (``on_receive``) — never on the sender's stack, and without a task of its
own parked on the mailbox while the actor is idle. Each ``Execute`` starts the node
function in a task of its own, so that a ``Cancel`` reaches that task and nothing else.
The node task answers the supervisor itself (``Finished``, ``Failed`` or ``Cancelled``);
a done-callback on the task answers for it if the task ends without answering (a fault in
this module's own code, or a task cancelled before its first line), so the supervisor never
waits for a reply that cannot come.

The supervisor hands a step's ``Execute`` over with ``prepare`` (held ahead of anything in
the mailbox) and, once it has published the step's ``NodeStarted`` events, starts it with
``kick`` on its own stack: no loop turn between a step and its nodes. Once an execution has
answered, the actor lets go of its task and context (a run with many nodes, or many runs at
once, would otherwise keep every finished task alive until the run settles).

The node's task starts eagerly (``_eager.start_task``, on every Python): it runs at once,
up to its first ``await``, and a node that returns without awaiting costs no loop turn. It
is still a task of its own (``current_task()`` is the node's), so a ``Cancel`` reaches only
the node.

A sync callable that returns an awaitable (``lambda s: work(s)``, a decorator) runs as an
async node from that moment: the awaitable runs in the node's task, so a ``Cancel`` reaches
it as ``CancelledError``, not only as ``ctx.cancel_requested``.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial
from types import CoroutineType
from typing import Any

import anyio

from ._eager import start_task
from ._interrupt import ResumeSlot, set_slot
from ._mailbox import Mailbox
from ._messages import Cancel, Cancelled, Envelope, Execute, Failed, Finished, Kill, new_tuple
from ._node import NodeContext, NodeSpec, _current_ctx
from ._stream import EVENTS_KEY, MESSAGES_KEY

_clock = time.perf_counter


class NodeActor:
    """Runs one node for one run, in this process: the ``LocalExecutor``'s ``NodeHandle``.
    Created by the supervisor on the node's first step."""

    where = ""  # in this process (see NodeHandle.where)

    # What every actor starts with, as class attributes: a chain or a fan-out makes an
    # actor per node (per Send) per run, so its __init__ sets only what differs.

    node_task: asyncio.Task[None] | None = None
    """The task running the node function now (the last one's between executions)."""
    threads_running = 0
    """Sync node executions whose worker thread has not returned yet (a Kill abandons the
    thread, which Python cannot interrupt, so this can outlive the node task)."""
    # the mailbox: the supervisor's only way to talk to this actor (made by the first
    # tell: most actors are only ever told to start, through prepare)
    _waiting: deque[Envelope] | None = None
    # True once the run has settled: messages are dropped
    _closed = False
    # the context of the current execution (None before the first)
    _ctx: NodeContext | None = None
    # True once the current execution's task has begun to run (before that, a
    # task.cancel() would end it silently, without an answer to the supervisor)
    _started = False
    # True once a Cancel reached the current execution while it was still running
    _cancel_delivered = False
    # True while a dispatch callback is scheduled to drain the mailbox
    _scheduled = False
    # the Execute that prepare() left for kick() (or the dispatch) to start: it comes
    # before everything in the mailbox
    _prepared: Execute | None = None
    # while kick() starts an execution: where its answer goes if it answers at once (see
    # kick); None: the supervisor's inbox
    _direct: list[Any] | None = None

    def __init__(
        self,
        spec: NodeSpec,
        run_id: str,
        config: dict[str, Any],
        supervisor: Mailbox[Envelope],
        emit_custom: Callable[[str, int, Any], None],
    ) -> None:
        self.spec = spec
        self._run_id = run_id
        self._config = config
        self._supervisor = supervisor
        self._emit_custom = emit_custom
        self._loop = asyncio.get_running_loop()
        # True while the current execution runs on the loop (an async node, or the awaitable
        # a sync callable returned): a Cancel then cancels the task, not only sets the flag.
        self._on_loop = spec.is_async
        # the sender of the current execution's answer (see Execute.task)
        self._task_id = spec.name
        # the loop's thread (the writer's, to tell a call from a worker thread)
        self._thread = threading.get_ident()
        # no LangChain handler needs a config: a node that takes the state alone is called
        # with [state] (see NodeSpec.call_args)
        self._plain_config = not (MESSAGES_KEY in config or config.get("callbacks"))
        self._plain = not spec.inject and self._plain_config

    def bind(self, spec: NodeSpec) -> None:
        """Run ``spec``'s node from its next execution on: an idle actor (``idle``) of this
        run may be given another node's execution (see ``Stepping._start_local``)."""
        self.spec = spec
        self._on_loop = spec.is_async
        self._task_id = spec.name
        self._plain = not spec.inject and self._plain_config

    def tell(self, message: Any, step: int = 0) -> None:
        """Put a message in the mailbox (never blocks: the mailbox is unbounded).

        Loop thread only. Ignored once the actor is closed (the run has settled).
        """
        if self._closed:
            return
        waiting = self._waiting
        if waiting is None:
            waiting = self._waiting = deque()
        waiting.append(Envelope(message, "", step))
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._dispatch)

    def prepare(self, message: Execute) -> None:
        """Hold an ``Execute`` without scheduling it: ``kick`` starts it (or, if a message
        was told meanwhile, the dispatch that message scheduled, before that message)."""
        if not self._closed:
            self._prepared = message

    def kick(self, direct: list[Any] | None = None) -> None:
        """Start the prepared ``Execute`` now, on the caller's (the supervisor's) stack.

        An execution that answers before its start returns (it never waited) appends its
        answer to ``direct`` as its task id then the answer (flat: no pair kept alive
        for each of a step's W answers) instead of putting it in the
        supervisor's inbox, as long as the inbox is empty: the supervisor handles ``direct``
        before its inbox, so the order of answers and stops is the same either way."""
        if self._scheduled:
            return  # a message was told meanwhile: its dispatch starts the execution first
        prepared = self._prepared
        if prepared is not None:
            self._prepared = None
            self.start_now(prepared, direct)
        waiting = self._waiting
        while waiting:
            self.on_receive(waiting.popleft())

    def start_now(self, message: Execute, direct: list[Any] | None) -> None:
        """Start ``message`` on the caller's stack, its answer into ``direct`` if it
        answers at once (see ``kick``): ``prepare`` then ``kick`` in one call, for an
        ``idle`` actor (nothing prepared, told or running)."""
        self._direct = direct
        try:
            self._start(message)
        finally:
            self._direct = None

    def _dispatch(self) -> None:
        """An event-loop callback: start the prepared execution, then handle every message
        in the mailbox, in order."""
        self._scheduled = False
        prepared = self._prepared
        if prepared is not None:
            self._prepared = None
            self._start(prepared)
        waiting = self._waiting
        while waiting:
            self.on_receive(waiting.popleft())

    def on_receive(self, envelope: Envelope) -> None:
        """Handle one message; runs in the actor's dispatch callback on the loop thread."""
        message = envelope.message
        if isinstance(message, Execute):
            self._start(message)
        elif isinstance(message, Cancel):
            self._cancel(again=False)
        elif isinstance(message, Kill):
            self._cancel(again=True)

    def _start(self, message: Execute) -> None:
        spec = self.spec
        step = message.step
        ctx = self._ctx = NodeContext(
            self._run_id, spec.name, step, self, self._config, message.task or None
        )
        # the sender of this execution's answer: the node's name, or a Send's task id
        self._task_id = message.task or spec.name
        self._cancel_delivered = self._started = False
        self._on_loop = spec.is_async
        resume = message.resume
        slot = (
            None if resume is None else ResumeSlot(*resume, cancelled=lambda: ctx.cancel_requested)
        )
        if self._waiting and any(isinstance(e.message, Cancel | Kill) for e in self._waiting):
            # A stop already queued behind this Execute: the task starts eagerly
            # and runs up to its first await before that Cancel is read, so a node that
            # checks for a stop without awaiting (interrupt() while stop_thread() reaches
            # it, ctx.cancel_requested) must see it from its first line.
            ctx.request_cancel()
        task = self.node_task = start_task(
            self._loop, self._run_node(message.state, step, ctx, slot), spec.task_name
        )
        if self._ctx is None:  # it ran to its end at once, and answered (_run_node)
            self.node_task = None
            return
        task.add_done_callback(partial(self._on_task_done, step))

    def _on_task_done(self, step: int, task: asyncio.Task[None]) -> None:
        """Answer for a node task that ended without answering: cancelled before its first
        line, or failed in this module's own code (never in the node: that is a Failed)."""
        if task.cancelled():
            reply: Any = Cancelled(0.0)
        else:
            error = task.exception()
            if error is None:
                return  # it returned: its last line answered
            reply = Failed(error, 0.0)
        self._reply(Envelope(reply, self._task_id, step))

    def _reply(self, envelope: Envelope) -> None:
        try:
            self._supervisor.put(envelope)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            pass  # the run has already settled (this node was abandoned or killed)

    def _cancel(self, again: bool) -> None:
        task, ctx = self.node_task, self._ctx
        if task is None or task.done() or ctx is None:
            return
        ctx.request_cancel()
        if not self._started and not again:
            # The task has not run its first line: cancelling it now would end it before
            # it could answer. _run_node delivers the cancel at the node's first await.
            self._cancel_delivered = self._on_loop
            return
        if self._on_loop or again:
            # A sync node's thread cannot be interrupted: it is told through
            # ctx.cancel_requested, and only a Kill abandons its thread.
            task.cancel()
            self._cancel_delivered = True

    async def _run_node(
        self, state: Any, step: int, ctx: NodeContext, slot: ResumeSlot | None = None
    ) -> None:
        """The node task: run the function, answer the supervisor, never raise.

        Whatever the node raises is its answer, also a
        ``BaseException`` that is not an ``Exception`` (``SystemExit``, ``KeyboardInterrupt``,
        ``GeneratorExit``): caught here, it fails the run instead of the event loop.
        """
        traced = None
        if not self._plain and EVENTS_KEY in ctx.config:
            # the run reports to LangChain callbacks (astream_events): the node's own run
            # starts first; a Cancel meanwhile is delivered at the node's first await
            from .langchain.callback_runs import NodeRun

            traced = await NodeRun.start(ctx, state, self._task_id)
        self._started = True
        spec = self.spec
        if self._cancel_delivered:  # a Cancel arrived before this task ran
            asyncio.current_task().cancel()  # type: ignore[union-attr]
        # (the task's context is its own: what is set in it needs no reset)
        _current_ctx.set(ctx)
        if slot is not None:
            set_slot(slot)
        started = _clock()
        try:
            if not spec.is_async:
                value = await self._in_thread(spec, state, ctx)
            elif self._plain:
                value = spec.fn(state)
            else:
                value = spec.fn(*spec.call_args(state, ctx))
            if type(value) is CoroutineType or inspect.isawaitable(value):
                value = await value
        except asyncio.CancelledError:
            reply: Any = Cancelled(_clock() - started)
        except BaseException as exc:  # a node's SystemExit must not end the loop
            reply = Failed(exc, _clock() - started)
        else:
            # cancelling(): the task was cancelled by someone else (asyncio.run cancelling
            # every task at shutdown) and the node caught it: an answer to a stop too
            answered = self._cancel_delivered or ctx._observed
            if not answered:
                me = asyncio.current_task(self._loop)
                answered = me is not None and me.cancelling() > 0
            # (tuple.__new__: half the cost of the named tuple's own __new__, per execution)
            reply = new_tuple(Finished, (value, answered, _clock() - started))
        if traced is not None:
            # the node has answered: a Cancel now has nothing left to interrupt (it is
            # kept from cancelling the report of the node's end; a Kill still does)
            self._started = False
            await traced.end(reply)
        ctx.end()
        if self._ctx is ctx:
            # it has answered: let go of its context and task (the coroutine) now, not
            # when the run settles; nothing waits for or cancels an answered execution.
            # (Started eagerly and answering at once, it is not node_task yet: _start
            # sees the context gone.)
            self._ctx = None
            if self.node_task is not None and self.node_task is asyncio.current_task(self._loop):
                self.node_task = None
        direct = self._direct
        # (given a direct list, the supervisor is a local run's Mailbox: its queue is read
        # as is; a Ray host's actor is never given one)
        if direct is not None and not self._supervisor._items:
            direct += (self._task_id, reply)  # answered on the supervisor's stack
        else:
            self._reply(Envelope(reply, self._task_id, step))

    @property
    def idle(self) -> bool:
        """Nothing runs or waits here: the last execution has answered and let go of its
        task, no message is queued, no worker thread runs. The supervisor may give such an
        actor its node's next execution (a step's next ``Send`` to the node)."""
        return (
            self.node_task is None
            and self._prepared is None
            and not self._waiting
            and not self._scheduled
            and not self.threads_running
            and not self._closed
        )

    async def _in_thread(self, spec: NodeSpec, state: Any, ctx: NodeContext) -> Any:
        """A sync node: its function in a worker thread (an awaitable it returns is awaited
        by the caller, in the node's task)."""
        args = [state] if self._plain else spec.call_args(state, ctx)
        value = await anyio.to_thread.run_sync(
            partial(self._call_in_thread, spec.fn, args, ctx), abandon_on_cancel=True
        )
        if inspect.isawaitable(value):
            self._on_loop = True
            if ctx._flag and not self._cancel_delivered:
                # a Cancel came while the thread built the awaitable: deliver it at the
                # awaitable's first await, as for an async node
                self._cancel_delivered = True
                asyncio.current_task().cancel()  # type: ignore[union-attr]
        return value

    def close(self) -> None:
        """Accept no more messages (the supervisor calls this when the run settles)."""
        self._closed = True
        self._prepared = None
        if self._waiting:
            self._waiting.clear()

    def _call_in_thread(self, fn: Callable[..., Any], args: list[Any], ctx: NodeContext) -> Any:
        """Runs in an anyio worker thread: a sync node's function."""
        self.threads_running += 1
        token = _current_ctx.set(ctx)
        try:
            return fn(*args)
        finally:
            _current_ctx.reset(token)
            self.threads_running -= 1
