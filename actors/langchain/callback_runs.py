"""The callback runs of a graph run, as LangGraph reports them to LangChain's callbacks.

``GraphRun``: the graph's chain run, the parent of its nodes' runs; it runs conditional
edges' path functions as runs inside their source node's and holds the ends of nodes
that wait for them. ``NodeRun``: one node execution's run, made in the node's task (the
node actor asks for it only when its run has callbacks), whose config LangChain runnables
called by the node inherit. Built on langchain-core's callback managers; the events
themselves are langchain-core's tracers' (``events.py``).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tracers._streaming import _StreamingCallbackHandler

from .._constants import START
from .._messages import Cancelled, Failed, Finished
from .._stream import EVENTS_KEY, node_metadata, task_id

if TYPE_CHECKING:
    from langchain_core.callbacks.manager import AsyncCallbackManagerForChainRun

    from .._graph import CompiledGraph
    from .._node import NodeContext
    from .._run import RunResult

HIDDEN = "langsmith:hidden"
"""The tag LangGraph gives its own bookkeeping runs (the ``__start__`` task)."""

_NODE_RUN: contextvars.ContextVar[NodeRun | None] = contextvars.ContextVar(
    "graphstage_node_run", default=None
)
"""The callback run of the node execution running in this task (set in the node's task)."""


class GraphRun:
    """One graph run's callback run (the parent of its nodes' runs).

    While ``astream`` streams the run, a node's run starts only once the stream has read
    the node's ``NodeStarted``: the chunks of the steps before it have gone to the tracer
    by then, so events come in LangGraph's order (a step's ``on_chain_stream`` of the
    graph before the next step's nodes), where graphstage's supervisor would otherwise
    run ahead of the stream."""

    __slots__ = (
        "_advanced",
        "_flushed",
        "_flushing",
        "graph",
        "manager",
        "ns",
        "pending",
        "result",
        "stream_step",
        "streaming",
    )

    def __init__(self, graph: CompiledGraph, manager: AsyncCallbackManagerForChainRun, ns: str):
        self.graph = graph
        self.manager = manager
        """langchain-core's run manager of the graph's chain run."""
        self.ns = ns
        """The checkpoint namespace of the node running this graph ('' at the top)."""
        self.result: RunResult | None = None
        """How the run ended, set by ``astream`` once it has (the end's output)."""
        self.streaming = False
        """True while ``astream`` reads the run's events: nodes wait for it (see above)."""
        self.stream_step = 0
        """The step of the last ``NodeStarted`` the stream has read."""
        # set (and replaced) when the stream reaches a further step
        self._advanced: asyncio.Event | None = None
        self.pending: dict[str, list[tuple[NodeRun, Finished]]] = {}
        """Node runs whose end waits for their conditional edges (node -> its executions
        that finished): LangGraph runs a node's path functions inside the node's run, so
        their events come before the node's output and end."""
        # set (and replaced) when pending ends are reported
        self._flushed: asyncio.Event | None = None
        # node -> how many tasks are reporting its pending ends now
        self._flushing: dict[str, int] = {}

    def advance(self, step: int) -> None:
        """The stream has read a ``NodeStarted`` of ``step``: its nodes may report."""
        if step > self.stream_step:
            self.stream_step = step
            self._wake()

    def release(self) -> None:
        """The stream is done reading (ended, closed or cancelled): nobody waits for it."""
        self.streaming = False
        self._wake()

    def _wake(self) -> None:
        advanced, self._advanced = self._advanced, None
        if advanced is not None:
            advanced.set()

    async def caught_up(self, step: int) -> None:
        """Wait until the stream has read the start of ``step`` (or stopped reading)."""
        while self.streaming and self.stream_step < step:
            if self._advanced is None:
                self._advanced = asyncio.Event()
            await self._advanced.wait()

    async def end(self, output: Any) -> None:
        await self.flush_all()
        await self.manager.on_chain_end(output)

    async def flush(self, node: str) -> None:
        """Report the ends of ``node``'s executions that waited for its conditional edges.
        The node stays pending until every end is reported (the stream's chunk for it
        waits for that), also when two tasks flush it at once."""
        waiting = self.pending.get(node)
        if not waiting:
            return
        self._flushing[node] = self._flushing.get(node, 0) + 1
        try:
            while waiting:
                node_run, reply = waiting.pop(0)
                await node_run.finish(reply)
        finally:
            self._flushing[node] -= 1
            if not self._flushing[node]:
                del self._flushing[node]
                if not waiting and self.pending.get(node) is waiting:
                    del self.pending[node]
                flushed, self._flushed = self._flushed, None
                if flushed is not None:
                    flushed.set()

    async def flush_all(self) -> None:
        """Report every end still waiting (a step's edges were not all resolved: a stop,
        a failure, the run's end)."""
        for node in list(self.pending):
            await self.flush(node)

    async def settled(self, node: str, done: asyncio.Future[Any]) -> None:
        """The stream read ``node``'s ``NodeFinished``: wait until its end is reported
        (after its conditional edges), so the graph's chunk for it comes after, as in
        LangGraph; or until the run is over (then report it here)."""
        while node in self.pending and not done.done():
            if self._flushed is None:
                self._flushed = asyncio.Event()
            waiter = asyncio.ensure_future(self._flushed.wait())
            try:
                await asyncio.wait((waiter, done), return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
        if node in self.pending:
            await self.flush(node)

    async def route(self, branch: Any, state: Any, config: dict[str, Any], call: Any) -> Any:
        """Run a conditional edge's path function (``call()``) as LangGraph does: a chain
        run under its source node's run (tagged ``seq:step:N``, its place after the node's
        function and writer), or for START's under a hidden ``__start__`` run of its own."""
        source = branch.source
        index = self.graph.branches[source].index(branch)
        start_run = None
        if source == START:
            start_run = await self._start_node(state)
            parent, tag = start_run, f"seq:step:{2 + index}"
        else:
            waiting = self.pending.get(source)
            parent, tag = (waiting[0][0].run if waiting else self.manager), f"seq:step:{3 + index}"
        manager = parent.get_child()
        manager.tags.insert(0, tag)
        if source == START:
            manager.tags.append(HIDDEN)
        run = None
        child = dict(var_child_runnable_config.get() or {})
        if getattr(branch.path, "traces_itself", False):  # a LangGraph branch's runnable
            child["callbacks"] = manager
        else:
            name = getattr(branch.path, "__name__", None) or type(branch.path).__name__
            run = await manager.on_chain_start(None, state, name=name)
            child["callbacks"] = run.get_child()
        # the path function (in the supervisor's task) sees its run's config: in a context
        # of its own, so that nodes started later by this task do not inherit it
        context = contextvars.copy_context()
        context.run(var_child_runnable_config.set, child)  # type: ignore[arg-type]
        try:
            result = context.run(call)
            if inspect.isawaitable(result):
                result = await asyncio.get_running_loop().create_task(
                    _awaited(result), context=context
                )
        except BaseException as exc:
            if run is not None:
                await run.on_chain_error(exc)
            if start_run is not None:
                await start_run.on_chain_error(exc)
            raise
        if run is not None:
            await run.on_chain_end(result)
        if start_run is not None:
            await _stream_then_end(start_run, state)
        elif branch is self.graph.branches[source][-1]:
            await self.flush(source)
        return result

    async def _start_node(self, state: Any) -> AsyncCallbackManagerForChainRun:
        """LangGraph's ``__start__`` task, which runs START's conditional edges."""
        from .._subgraph import CURRENT_RUN

        run = CURRENT_RUN.get()
        supervisor = getattr(run, "_supervisor", None)
        step = getattr(supervisor, "step", 0)
        run_id = str(getattr(run, "run_id", ""))
        meta = {
            "langgraph_step": step,
            "langgraph_node": START,
            "langgraph_triggers": (START,),
            "langgraph_path": ("__pregel_pull", START),
            "langgraph_checkpoint_ns": f"{START}:{task_id(run_id, START, step)}",
        }
        if self.ns:
            meta["langgraph_checkpoint_ns"] = f"{self.ns}|{meta['langgraph_checkpoint_ns']}"
        manager = self.manager.get_child()
        manager.tags[:0] = [f"graph:step:{step}", HIDDEN]
        manager.add_metadata(meta)
        return await manager.on_chain_start(None, state, name=START)

    async def error(self, error: BaseException) -> None:
        await asyncio.shield(self._error(error))

    async def _error(self, error: BaseException) -> None:
        await self.flush_all()
        await self.manager.on_chain_error(error)


class NodeRun:
    """One node execution's callback run, made in the node's task before its function."""

    __slots__ = ("config", "ctx", "run")

    def __init__(
        self, ctx: NodeContext, run: AsyncCallbackManagerForChainRun, config: dict[str, Any]
    ) -> None:
        self.ctx = ctx
        self.run = run
        self.config = config
        """What runnables called by the node inherit (and the node's ``config``)."""

    @classmethod
    async def start(cls, ctx: NodeContext, state: Any, task: str) -> NodeRun:
        graph_run: GraphRun = ctx.config[EVENTS_KEY]
        node, step = ctx.node, ctx.step
        meta = node_metadata(
            node, step, task_id(ctx.run_id, task, step), task if task != node else None
        )
        if graph_run.ns:
            meta["langgraph_checkpoint_ns"] = f"{graph_run.ns}|{meta['langgraph_checkpoint_ns']}"
        # ends still waiting for edges: a stop or a failure skipped them, the step is over
        await graph_run.flush_all()
        await graph_run.caught_up(step)
        manager = graph_run.manager.get_child()
        manager.tags.insert(0, f"graph:step:{step}")  # its own, first (as LangGraph's)
        own = graph_run.graph.builder.metadata.get(node)
        manager.add_metadata({**own, **meta} if own else meta)
        shown = _shown_input(graph_run.graph.nodes.get(node))
        run = await manager.on_chain_start(
            None, state if shown is None else shown(state), name=node
        )
        config = {
            k: v for k, v in ctx.config.items() if not (isinstance(k, str) and k.startswith("__"))
        }
        config.pop("run_name", None)
        config.pop("run_id", None)
        config["configurable"] = dict(config.get("configurable") or {})
        config["metadata"] = {
            **(config.get("metadata") or {}),
            **meta,
            "checkpoint_ns": meta["langgraph_checkpoint_ns"],
        }
        config["callbacks"] = run.get_child("seq:step:1")
        node_run = cls(ctx, run, config)
        _NODE_RUN.set(node_run)
        return node_run

    async def end(self, reply: Any) -> None:
        """The node answered: its output streamed then its end (once its conditional
        edges have run, if it has any: ``GraphRun.pending``), or its error."""
        graph_run: GraphRun = self.ctx.config[EVENTS_KEY]
        if isinstance(reply, Finished) and self.ctx.node in graph_run.graph.branches:
            graph_run.pending.setdefault(self.ctx.node, []).append((self, reply))
            return
        await self.finish(reply)

    async def finish(self, reply: Any) -> None:
        run = self.run
        if isinstance(reply, Finished):
            await _stream_then_end(run, reply.value)
        elif isinstance(reply, Failed):
            await run.on_chain_error(reply.error)
        elif isinstance(reply, Cancelled):
            await run.on_chain_error(asyncio.CancelledError())


def current_node_run(ctx: NodeContext) -> NodeRun | None:
    """The callback run of ``ctx``'s execution, if the run reports to callbacks."""
    node_run = _NODE_RUN.get()
    return node_run if node_run is not None and node_run.ctx is ctx else None


def _shown_input(spec: Any) -> Any:
    """A node function's ``events_input`` (how the LangGraph adapter shows what its node
    was given), through the wrappers policies put around it; else None."""
    fn = getattr(spec, "fn", None)
    for _ in range(8):  # cache, retry, error handler, keyword wrappers
        if fn is None:
            return None
        shown = getattr(fn, "events_input", None)
        if shown is not None:
            return shown
        fn = getattr(fn, "__wrapped__", None) or getattr(fn, "wraps", None)
    return None


async def _stream_then_end(run: AsyncCallbackManagerForChainRun, output: Any) -> None:
    """A run's output streamed to the streaming tracer (``on_chain_stream``), then its end,
    as langchain-core reports a runnable LangGraph streams."""
    stream = next(
        (
            h
            for h in run.handlers
            if isinstance(h, _StreamingCallbackHandler) and type(h).__name__ != "MessagesHandler"
        ),
        None,
    )
    if stream is not None:
        async for _ in stream.tap_output_aiter(run.run_id, _one(output)):
            pass
    await run.on_chain_end(output)


async def _one(value: Any) -> AsyncIterator[Any]:
    yield value


async def _awaited(awaitable: Any) -> Any:
    return await awaitable
