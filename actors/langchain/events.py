"""LangChain callbacks for graph runs, and ``astream_events`` on top of them, as LangGraph.

A run whose config carries callbacks (``astream_events``' tracer, a LangSmith tracer, any
handler) reports itself to them as LangGraph's does: the graph is a chain run (named
``"LangGraph"`` unless the graph was given a name), each node execution a chain run under
it (tagged ``graph:step:N``, with LangGraph's ``langgraph_*`` metadata), and what a node
calls (a chat model, a tool, a retriever, ``adispatch_custom_event``, a graph it invokes, a
subgraph node's graph) a run under the node's, through the config LangChain runnables find
in the node's task. The node's output is streamed to the tracer (``on_chain_stream``) before
its end, and the graph's stream chunks are the graph run's, so ``astream_events`` is
langchain-core's own ``_astream_events_implementation_v2`` running ``graph.astream``.

Nothing here runs unless a run has callbacks: the node actor asks for a ``NodeRun`` only
then (``EVENTS_KEY`` in the run's config).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from langchain_core.callbacks.base import BaseCallbackManager
from langchain_core.runnables.config import (
    get_async_callback_manager_for_config,
    merge_configs,
    var_child_runnable_config,
)
from langchain_core.tracers._streaming import _StreamingCallbackHandler
from langchain_core.utils.aiter import aclosing

from .._constants import START
from .._messages import Cancelled, Failed, Finished
from .._stream import EVENTS_KEY, node_metadata, task_id

if TYPE_CHECKING:
    from langchain_core.callbacks.manager import AsyncCallbackManagerForChainRun

    from .._graph import CompiledGraph
    from .._node import NodeContext
    from .._run import RunResult

# configurable keys LangGraph copies into the metadata of a run's callbacks
_PROPAGATED = (
    "thread_id",
    "checkpoint_id",
    "checkpoint_ns",
    "task_id",
    "run_id",
    "assistant_id",
    "graph_id",
)

HIDDEN = "langsmith:hidden"
"""The tag LangGraph gives its own bookkeeping runs (the ``__start__`` task)."""

_NODE_RUN: contextvars.ContextVar[NodeRun | None] = contextvars.ContextVar(
    "graphstage_node_run", default=None
)
"""The callback run of the node execution running in this task (set in the node's task)."""


def events_name(graph: CompiledGraph) -> str:
    """The graph run's name: the one it was compiled with, else LangGraph's ``"LangGraph"``
    (graphstage names an unnamed graph after its state class, LangGraph does not)."""
    name = graph.name
    return "LangGraph" if name == graph.builder.state_schema.__name__ else name


def ambient_manager() -> bool:
    """Whether this task runs inside a traced runnable (a node of a traced run, a tool...):
    a graph started here reports itself under it, as LangGraph's ``ensure_config`` does."""
    ambient = var_child_runnable_config.get()
    return ambient is not None and isinstance(ambient.get("callbacks"), BaseCallbackManager)


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
        """Report the ends of ``node``'s executions that waited for its conditional edges."""
        for node_run, reply in self.pending.pop(node, ()):
            await node_run.finish(reply)
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


async def open_graph_run(
    graph: CompiledGraph, input: Any, config: dict[str, Any] | None
) -> tuple[dict[str, Any], GraphRun]:
    """Report the start of a run of ``graph`` to its callbacks; the config to run it with
    (which carries the ``GraphRun`` its nodes report under)."""
    config = dict(config or {})
    nested = EVENTS_KEY in config or not config.get("callbacks")
    if nested and ambient_manager():
        # a subgraph node's graph, or a graph a node (a tool...) invokes: under the runnable
        # running it, with its metadata; the parent run's own callbacks are not inherited
        inherited = {
            k: v
            for k, v in config.items()
            if k not in (EVENTS_KEY, "callbacks", "run_name", "run_id")
        }
        ambient = {
            k: v
            for k, v in (var_child_runnable_config.get() or {}).items()
            if k not in ("run_name", "run_id")
        }
        config = dict(merge_configs(ambient, inherited))  # type: ignore[arg-type]
    config.pop(EVENTS_KEY, None)
    metadata = dict(config.get("metadata") or {})
    ns = metadata.get("checkpoint_ns", "") if nested else ""
    for key in _PROPAGATED:
        value = (config.get("configurable") or {}).get(key)
        if value and key not in metadata:
            metadata[key] = value
    config["metadata"] = metadata
    manager = get_async_callback_manager_for_config(config)  # type: ignore[arg-type]
    if "ls_integration" not in manager.metadata:
        manager.add_metadata({"ls_integration": "langgraph"})
    run_id = config.get("run_id")
    run = await manager.on_chain_start(
        None,
        input,
        name=config.get("run_name") or events_name(graph),
        run_id=run_id if isinstance(run_id, UUID) else None,
    )
    graph_run = GraphRun(graph, run, ns)
    config[EVENTS_KEY] = graph_run
    return config, graph_run


async def traced_stream(
    graph: CompiledGraph, input: Any, config: dict[str, Any] | None, kwargs: dict[str, Any]
) -> AsyncIterator[Any]:
    """``graph.astream`` reported to the config's callbacks (LangGraph's ``astream``)."""
    config, graph_run = await open_graph_run(graph, input, config)
    # astream(subgraphs=True) reads its events elsewhere: its nodes do not wait for it
    graph_run.streaming = not kwargs.get("subgraphs")
    try:
        # (a subclass's astream that called this shapes these chunks itself)
        async with aclosing(graph._astream(input, config, **kwargs)) as chunks:
            async for chunk in chunks:
                yield chunk
    except BaseException as exc:
        await graph_run.error(exc)
        raise
    result = graph_run.result
    await graph_run.end(None if result is None else graph.schema.output(result.state))


async def traced_invoke(
    graph: CompiledGraph, input: Any, config: dict[str, Any] | None, kwargs: dict[str, Any]
) -> Any:
    """``graph.ainvoke`` reported to the config's callbacks."""
    config, graph_run = await open_graph_run(graph, input, config)
    try:
        out = await graph.ainvoke(input, config, **kwargs)
    except BaseException as exc:
        await graph_run.error(exc)
        raise
    await graph_run.end({k: v for k, v in out.items() if k != "__interrupt__"})
    return out


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
        run = await manager.on_chain_start(None, state, name=node)
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


def astream_events(
    graph: CompiledGraph,
    input: Any,
    config: dict[str, Any] | None,
    *,
    version: str,
    include_names: Sequence[str] | None,
    include_types: Sequence[str] | None,
    include_tags: Sequence[str] | None,
    exclude_names: Sequence[str] | None,
    exclude_types: Sequence[str] | None,
    exclude_tags: Sequence[str] | None,
    kwargs: dict[str, Any],
) -> AsyncIterator[Any]:
    """langchain-core's v2 event stream over ``graph.astream``."""
    from langchain_core._api import warn_deprecated
    from langchain_core.tracers import event_stream

    if version == "v1":  # as langchain-core: deprecated, built on astream_log's tracer
        warn_deprecated(
            since="1.3.3",
            message="astream_events version='v1' is deprecated. Use version='v2' or "
            "astream instead.",
            removal="2.0.0",
        )
        implementation = event_stream._astream_events_implementation_v1
    elif version == "v2":
        implementation = event_stream._astream_events_implementation_v2
    elif version == "v3":
        raise NotImplementedError(
            "astream_events(version='v3') is not supported by graphstage: LangGraph's v3 "
            "streaming protocol is experimental; use version='v2'"
        )
    else:
        raise NotImplementedError(
            f"Unsupported version: {version!r}. Expected 'v1', 'v2', or 'v3'."
        )
    return implementation(
        graph,  # type: ignore[arg-type]  # a runnable to langchain-core: it calls astream
        input,
        config,  # type: ignore[arg-type]
        include_names=include_names,
        include_types=include_types,
        include_tags=include_tags,
        exclude_names=exclude_names,
        exclude_types=exclude_types,
        exclude_tags=exclude_tags,
        **kwargs,
    )
