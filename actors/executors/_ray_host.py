"""``NodeHost``: the long-lived Ray actor that runs node executions (the worker side).

One host process runs many executions at once, each a local ``NodeActor`` on the host's
event loop, so the local stop contract holds unchanged: ``cancel(exec_id)`` tells that
actor ``Cancel`` (an async node's task sees ``CancelledError`` and the Command it returns is
sent back; a sync node sees ``ctx.cancel_requested``), ``cancel(exec_id, kill=True)`` tells
it ``Kill``. ``ray.cancel`` is never used: it throws the node's Command away.

This module is imported in the host processes; it must not import the driver side.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, cast

from .._actor import NodeActor
from .._context import STORE_KEY
from .._mailbox import Mailbox
from .._messages import Cancel, Envelope, Execute, Failed, Kill
from .._node import NodeSpec
from ._ray_store import HostStore, StoreCall, StoreInDriver

# writer lines gathered for at most this long (seconds) before a batch goes back to the
# driver's poll; a reply is never held back
BATCH_SECONDS = 0.005
# cancels remembered for executions that have not registered yet (Ray does not order an
# async actor's calls); older ones are forgotten past this many
EARLY_CANCELS_KEPT = 10_000
# store calls' ids, unique in this host process
_CALL_IDS = itertools.count()


class _Execution:
    """One execution on this host: its actor, and what it has produced and not yet sent."""

    __slots__ = ("actor", "calls", "lines", "reply", "urgent", "wake")

    def __init__(self) -> None:
        # the local NodeActor running it (set once created)
        self.actor: NodeActor | None = None
        # writer chunks not yet sent to the driver, oldest first
        self.lines: list[Any] = []
        # the node's reply (Finished / Failed / Cancelled) once it has answered
        self.reply: Any = None
        # set whenever lines or the reply arrive
        self.wake = asyncio.Event()
        # the node's store calls waiting for the driver's answer: call id -> its future
        self.calls: dict[int, asyncio.Future[Any]] = {}
        # a store call waits among the lines: the driver's poll takes them at once
        self.urgent = False

    def put(self, envelope: Envelope) -> None:
        """The actor's answer (it takes this for the supervisor's mailbox)."""
        self.reply = envelope.message
        self.wake.set()

    def emit(self, _node: str, _step: int, chunk: Any) -> None:
        self.lines.append(chunk)
        self.wake.set()

    async def call(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Call the graph's store in the driver (``HostStore``): the call goes with the
        writer lines, the answer comes back through ``NodeHost.answer``."""
        call_id = next(_CALL_IDS)
        future = self.calls[call_id] = asyncio.get_running_loop().create_future()
        self.lines.append(StoreCall(call_id, method, args, kwargs))
        self.urgent = True
        self.wake.set()
        try:
            ok, value = await future
        finally:
            self.calls.pop(call_id, None)
        if not ok:
            raise value
        return value


class NodeHost:
    """Runs node executions for drivers; made a Ray actor by ``RayExecutor`` (async, so
    ``cancel`` runs while executions are in flight)."""

    def __init__(self, index: int) -> None:
        self.index = index
        # exec_id -> its execution, while it runs
        self._running: dict[str, _Execution] = {}
        # exec_id -> kill? for cancels that arrived before their execution
        self._early: OrderedDict[str, bool] = OrderedDict()
        # function key -> the node function, unpickled once per host process
        self._functions: dict[str, Callable[..., Any]] = {}

    async def info(self) -> tuple[str, int, str]:
        """(Ray node id, pid, host name) of this host process."""
        import ray

        node_id = ray.get_runtime_context().get_node_id()
        return node_id, os.getpid(), socket.gethostname()

    async def running(self) -> list[str]:
        """The exec ids running here now."""
        return list(self._running)

    async def run(
        self,
        exec_id: str,
        name: str,
        function: tuple[str, Any],
        packed: tuple[Any, ...],
        step: int,
        run_id: str,
        config: dict[str, Any],
        resume: tuple[str, tuple[Any, ...]] | None = None,
        early: bool | None = None,
    ) -> tuple[str, list[Any], Any]:
        """Run the node once (``resume``: its ``interrupt()`` ids' seed and the answers
        its calls return, on a thread; ``early``: a stop the driver was told before it sent
        this, True for a kill); return ``(kind, lines, reply)``: the writer lines no
        ``lines()`` call has taken, and ``Finished | Failed | Cancelled``. ``kind`` is
        ``"reply"``, or ``"abandoned"`` when a Kill left the node's worker thread running
        (only ending this process ends it)."""
        execution = _Execution()
        self._running[exec_id] = execution
        try:
            try:
                fn = await self._function(*function)
                spec = NodeSpec(name, fn)
                state = await self._state(packed)
            except Exception as exc:
                return "reply", [], Failed(_shippable(_LoadError(name, exc)), 0.0)
            if isinstance(config.get(STORE_KEY), StoreInDriver):  # the store stays there
                store = HostStore(execution.call, asyncio.get_running_loop())
                config = {**config, STORE_KEY: store}
            # the execution stands in for the supervisor's mailbox: it only needs put()
            inbox = cast(Mailbox[Envelope], execution)
            execution.actor = actor = NodeActor(spec, run_id, config, inbox, execution.emit)
            actor.tell(Execute(state, step, "", None if resume is None else (*resume, None)), step)
            kill = self._early.pop(exec_id, None)
            if early is not None:
                kill = early or bool(kill)
            if kill is not None:  # a stop arrived before this execution did
                actor.tell(Kill() if kill else Cancel("stop()"), step)
            await _replied(execution)
            reply = execution.reply
            if isinstance(reply, Failed):
                reply = Failed(_shippable(reply.error), reply.duration)
            kind = "abandoned" if actor.threads_running else "reply"
            lines, execution.lines = execution.lines, []
            return kind, lines, reply
        finally:
            del self._running[exec_id]
            if execution.actor is not None:
                execution.actor.close()

    async def lines(self, exec_id: str) -> list[Any] | None:
        """A long poll: the execution's next writer lines, gathered for up to
        ``BATCH_SECONDS``; ``[]`` once it has answered (``run`` returns the rest), None if
        it is not running here (not yet, or no longer)."""
        execution = self._running.get(exec_id)
        if execution is None:
            return None
        while not execution.lines and execution.reply is None:
            execution.wake.clear()
            await execution.wake.wait()
        if execution.reply is None and not execution.urgent:
            # more lines may follow at once: gather them, but not past the reply (nor
            # while a store call waits for its answer)
            try:
                await asyncio.wait_for(_replied(execution), BATCH_SECONDS)
            except TimeoutError:
                pass
        if execution.reply is not None:
            return []  # what is left goes back with run()'s reply, in order after these
        batch, execution.lines = execution.lines, []
        execution.urgent = False
        return batch

    async def answer(self, exec_id: str, call_id: int, outcome: tuple[bool, Any]) -> None:
        """The driver's answer to a store call of a running execution."""
        execution = self._running.get(exec_id)
        future = None if execution is None else execution.calls.get(call_id)
        if future is not None and not future.done():
            future.set_result(outcome)

    async def cancel(self, exec_id: str, kill: bool = False) -> bool:
        """Stop one execution (``kill``: cancel it again, whatever it did with the first).
        Returns whether it was running; a cancel for an execution not seen yet is kept
        for it."""
        execution = self._running.get(exec_id)
        if execution is None or execution.actor is None:
            self._early[exec_id] = kill or self._early.get(exec_id, False)
            while len(self._early) > EARLY_CANCELS_KEPT:
                self._early.popitem(last=False)
            return False
        execution.actor.tell(Kill() if kill else Cancel("stop()"))
        return True

    async def _state(self, packed: tuple[Any, ...]) -> Any:
        """The state as the driver's ``RayExecutor.pack_state`` sent it."""
        if packed[0] != "model":
            return packed[1]
        cls: Any = await self._function(*packed[1])
        state = cls.__new__(cls)
        state.__setstate__(packed[2])
        return state

    async def _function(self, key: str, blob: Any) -> Callable[..., Any]:
        fn = self._functions.get(key)
        if fn is None:
            import ray.cloudpickle

            data = await blob[0] if not isinstance(blob[0], bytes) else blob[0]
            fn = self._functions[key] = ray.cloudpickle.loads(data)
        return fn


async def _replied(execution: _Execution) -> None:
    while execution.reply is None:
        execution.wake.clear()
        await execution.wake.wait()


class _LoadError(RuntimeError):
    def __init__(self, name: str, exc: Exception) -> None:
        super().__init__(
            f"node '{name}' could not be loaded on its Ray host: {type(exc).__name__}: {exc} "
            f"(the host must be able to import what the node uses: install it there, or "
            f"pass RayExecutor(runtime_env={{'pip': [...], 'py_modules': [...]}}))"
        )


def _shippable(error: BaseException) -> BaseException:
    """The error itself if it can travel back to the driver, else a RuntimeError with its
    type and message."""
    import ray.cloudpickle

    try:
        ray.cloudpickle.dumps(error)
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
