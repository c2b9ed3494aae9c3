"""``RayNodeHandle``: one node of one run whose executions run on a Ray host.

It keeps the local contract (``NodeHandle``): ``Execute`` starts the node on the least
busy host (one Ray call for a quick node) and relays its writer lines, batched, through a
long poll while it runs; ``Cancel`` is ``host.cancel(exec_id)``,
so an async node sees ``CancelledError`` in its own task and the Command it returns comes
back as its reply (``ray.cancel`` would throw it away); ``Kill`` cancels again, and if the
node has not ended ``kill_after`` seconds later, kills its whole host (Ray restarts it;
nothing is re-run: ``max_task_retries=0``). A host that dies is the named failure of the
nodes it was running, never a hang.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio
from ray.exceptions import RayActorError

from .._context import STORE_KEY
from .._messages import Cancel, Cancelled, Envelope, Execute, Failed, Kill
from ._ray_store import STORE_IN_DRIVER, StoreCall, serve

# seconds a node runs before its writer lines are fetched by a long poll (until then they
# come back with its answer)
POLL_AFTER = 0.005
ABANDONED = "whose worker thread did not return when killed"

if TYPE_CHECKING:
    from .._mailbox import Mailbox
    from .._node import NodeSpec
    from ._ray_pool import RayExecutor


class _Remote:
    """One execution on a host, as the driver tracks it."""

    __slots__ = (
        "early",
        "ended",
        "exec_id",
        "generation",
        "index",
        "killing",
        "result",
        "step",
    )

    def __init__(self, exec_id: str, index: int, step: int) -> None:
        self.exec_id = exec_id
        self.index = index
        self.step = step
        # the host's kill generation when this execution was placed there
        self.generation = 0
        # the ObjectRef of the host's run(), once submitted
        self.result: Any = None
        # set once the execution is known to have ended on the host (reply or host death)
        self.ended = asyncio.Event()
        # True once a Kill reached it (the second cancel was sent; a host kill may follow)
        self.killing = False
        # a stop told before run() was submitted: it goes with the execution (None: none;
        # True: a kill), so it is in the node's mailbox before the node starts (stop_thread:
        # the stop must reach a node's interrupt() call)
        self.early: bool | None = None


class RayNodeHandle:
    """The supervisor's ``NodeHandle`` for a node placed on a ``RayExecutor``."""

    threads_running = 0  # a sync node's thread lives in the host process, not here

    def __init__(
        self,
        executor: RayExecutor,
        spec: NodeSpec,
        run_id: str,
        config: dict[str, Any],
        supervisor: Mailbox[Envelope],
        emit_custom: Callable[[str, int, Any], None],
    ) -> None:
        self.spec = spec
        self._executor = executor
        self._run_id = run_id
        # the graph's store stays here: the host's nodes call it through their execution
        self._store = config.get(STORE_KEY)
        if self._store is not None:
            config = {**config, STORE_KEY: STORE_IN_DRIVER}
        self._config = config
        self._supervisor = supervisor
        self._emit_custom = emit_custom
        self._loop = asyncio.get_running_loop()
        # the local task that submits the current execution and relays its output
        self.node_task: asyncio.Task[None] | None = None
        self.where = ""
        # the current execution (None before the first)
        self._remote: _Remote | None = None
        # True once the run has settled
        self._closed = False

    def tell(self, message: Any, step: int = 0) -> None:
        if self._closed:
            return
        if isinstance(message, Execute):
            self._start(message)
            return
        remote = self._remote
        if remote is None or remote.ended.is_set():
            return
        if isinstance(message, Cancel):
            self._cancel(remote, kill=False)
        elif isinstance(message, Kill):
            self._kill(remote)

    def close(self) -> None:
        self._closed = True

    def _start(self, message: Execute) -> None:
        executor = self._executor
        index = executor.place()
        remote = self._remote = _Remote(uuid.uuid4().hex, index, message.step)
        executor.inflight[remote.exec_id] = (index, self.spec.name, self._run_id)
        self.where = executor.where(index)
        # interrupt()'s seed and answers travel; its TaskScope (where a graph the node
        # starts keeps its checkpoints) stays here
        resume = None if message.resume is None else message.resume[:2]
        self.node_task = self._loop.create_task(
            self._run(remote, message.state, message.task or self.spec.name, resume),
            name=f"graphstage ray node {self.spec.name} step {message.step} ({self._run_id})",
        )

    async def _run(
        self, remote: _Remote, state: Any, task_id: str, resume: tuple[Any, ...] | None
    ) -> None:
        """Submit the execution, relay its lines, answer the supervisor; never raises."""
        executor, spec, step = self._executor, self.spec, remote.step
        started = time.perf_counter()
        reply: Any = None
        try:
            await executor.astart()
            await executor.ready(remote.index)
            executor.ship_module_of(state)
            remote.generation = executor._generation[remote.index]
            host = executor._hosts[remote.index]
            result = remote.result = host.run.remote(
                remote.exec_id,
                spec.name,
                executor.function_of(spec),
                executor.pack_state(state),
                step,
                self._run_id,
                self._config,
                resume,
                remote.early,
            )
            answer = asyncio.ensure_future(result)
            answer.add_done_callback(_retrieved)  # a host death may be heard elsewhere first
            # a quick node costs one call; one still running after POLL_AFTER has its
            # lines fetched by a long poll until it answers
            done, _ = await asyncio.wait((answer,), timeout=POLL_AFTER)
            if not done:
                await self._relay_lines(host, remote, answer)
            kind, tail, reply = await answer
            for chunk in tail:
                if not isinstance(chunk, StoreCall):  # (left by a node that was stopped)
                    self._emit_custom(spec.name, step, chunk)
            if kind == "abandoned":
                self._kill_host(remote, ABANDONED)
            remote.ended.set()
        except asyncio.CancelledError:
            # the supervisor cancelled this task (kill(), or the run settling): the node
            # must end on its host too; a task of the executor hears when it does
            if remote.result is not None and not remote.ended.is_set():
                executor.spawn(self._await_end(remote))
                self._kill(remote)
            reply = Cancelled(time.perf_counter() - started)
        except RayActorError as exc:
            remote.ended.set()
            error = executor.lost(remote.index, remote.generation, spec.name, step, exc)
            reply = Failed(_node_lost(error), time.perf_counter() - started)
        except Exception as exc:  # the state or config could not be sent, or a Ray error
            remote.ended.set()
            reply = Failed(_unsent(spec.name, exc), time.perf_counter() - started)
        finally:
            executor.inflight.pop(remote.exec_id, None)
        try:
            self._supervisor.put(Envelope(reply, task_id, step))
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            pass  # the run has already settled (this node was abandoned or killed)

    async def _relay_lines(self, host: Any, remote: _Remote, answer: asyncio.Future[Any]) -> None:
        """Emit the execution's writer lines as the host's long poll returns them, until
        the execution has answered (its remaining lines come with the answer, after
        these: both are taken from one buffer on the host's loop)."""
        name, step = self.spec.name, remote.step
        while not answer.done():
            batch = await host.lines.remote(remote.exec_id)
            if batch is None:  # not registered on the host yet, or already answered
                await asyncio.wait((answer,), timeout=POLL_AFTER)
                continue
            for chunk in batch:
                if isinstance(chunk, StoreCall):  # made here, in order; answered there
                    outcome = await serve(self._store, chunk)
                    if not outcome[0]:
                        outcome = (False, _shippable(outcome[1]))
                    # not awaited: the poll goes on at once (a host that died is reported
                    # by the execution's own call)
                    sent = asyncio.ensure_future(
                        host.answer.remote(remote.exec_id, chunk.call_id, outcome)
                    )
                    sent.add_done_callback(_retrieved)
                else:
                    self._emit_custom(name, step, chunk)
            if not batch:  # it has answered
                return

    async def _await_end(self, remote: _Remote) -> None:
        """Wait for an execution nobody waits for any more to end on its host."""
        try:
            kind, _, _ = await remote.result
            if kind == "abandoned":
                self._kill_host(remote, ABANDONED)
        except Exception:
            pass  # lost with its host: that is an end too
        finally:
            remote.ended.set()

    def _cancel(self, remote: _Remote, kill: bool) -> None:
        if remote.result is None:  # not submitted yet: the stop goes with it
            remote.early = kill or bool(remote.early)
            return
        executor = self._executor

        async def send() -> None:
            await executor.astart()
            try:
                await executor._hosts[remote.index].cancel.remote(remote.exec_id, kill)
            except RayActorError:
                pass  # the host died: the execution's own call reports it

        executor.spawn(send())

    def _kill(self, remote: _Remote) -> None:
        """Cancel again; kill the host if the node has not ended ``kill_after`` later."""
        if remote.killing:
            return
        remote.killing = True
        self._cancel(remote, kill=True)
        executor = self._executor
        why = f"which did not end within kill_after={executor.kill_after}s of being cancelled again"

        async def terminate() -> None:
            try:
                await asyncio.wait_for(remote.ended.wait(), executor.kill_after)
            except TimeoutError:
                self._kill_host(remote, why)

        executor.spawn(terminate())

    def _kill_host(self, remote: _Remote, why: str) -> None:
        reason = f"to end node '{self.spec.name}' (run {self._run_id}, step {remote.step}), {why}"
        self._executor.spawn(self._executor.kill_host(remote.index, reason, remote.exec_id))


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _node_lost(message: str) -> Exception:
    from ._ray_hosts import NodeLostError

    return NodeLostError(message)


def _unsent(name: str, exc: Exception) -> Exception:
    text = f"{type(exc).__name__}: {exc}".strip()
    if "pickl" in text.lower() or "serializ" in text.lower():
        return TypeError(
            f"node '{name}': its state or config could not be sent to its Ray host ({text}); "
            f"keep the state and config picklable"
        )
    return exc


def _shippable(error: BaseException) -> BaseException:
    """A store's error as it can travel to the host: itself, or a RuntimeError naming it."""
    import ray.cloudpickle

    try:
        ray.cloudpickle.dumps(error)
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
