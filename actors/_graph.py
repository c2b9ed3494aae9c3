"""``CompiledGraph``: a checked graph, ready to run as many times as you like.

This module holds what a graph is made of and how callers run it (``ainvoke``, ``astream``,
``invoke``, ``stream``); starting a run is ``_starting.Starting``, drawing it
``_drawing.Drawing``, and LangGraph's thread API ``checkpoint._api.ThreadAPI``."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

from ._drawing import Drawing
from ._errors import GraphError, JournalWarning, ParentCommand
from ._events import NodeFinished, NodeStarted
from ._hold import HOLD_KEY, StreamHold, settle_abandoned, watch
from ._policies import InMemoryCache, with_cache
from ._run import Run, RunResult
from ._runnable_api import RunnableAPI
from ._starting import Starting, checked_config
from ._stream import (
    CHECKPOINTS_KEY,
    EVENTS_KEY,
    INPUTS_KEY,
    MESSAGES_KEY,
    Chunker,
    parse_modes,
    wants_callbacks,
)
from ._stream_tasks import listed
from ._subgraph import CURRENT_RUN, nested_chunks
from .checkpoint._api import ThreadAPI
from .checkpoint._nested import raise_if_paused_inside_node
from .executors import LOCAL
from .state import StateSchema
from .state.inputs import NodeInput, PathInput, declared_input_schema

if TYPE_CHECKING:
    from ._branch import Branch
    from ._builder import StateGraph
    from ._node import NodeSpec
    from .checkpoint import BaseCheckpointSaver
    from .checkpoint._base import Durability
    from .executors import Executor


class CompiledGraph(Starting, Drawing, ThreadAPI, RunnableAPI):
    """A runnable graph. ``start`` returns a ``Run`` handle; ``ainvoke`` and ``astream``
    behave as LangGraph's, except that cancelling their caller stops the run gracefully."""

    # what a failed run raises, as the caller catches it: a graph carried over from
    # LangGraph (graphstage.langgraph) raises errors that are LangGraph's types too
    _as_raised: Callable[[BaseException], BaseException] | None = None

    def __init__(
        self,
        builder: StateGraph,
        *,
        cancel_grace: float,
        outer_cancel: str,
        cleanup_timeout: float | None,
        kill_timeout: float,
        journal: Any,
        name: str,
        executors: dict[str, Executor] | None = None,
        checkpointer: BaseCheckpointSaver | bool | None = None,
        interrupt_before: tuple[str, ...] = (),
        interrupt_after: tuple[str, ...] = (),
        cache: InMemoryCache | None = None,
    ) -> None:
        self.name = name
        self.builder = builder
        extra = [s for s in (builder.input_schema, *builder.node_inputs.values()) if s]
        out = builder.output_schema
        self.schema = (
            StateSchema(builder.state_schema, extra=extra, output=out)
            if extra or (out is not None and out is not builder.state_schema)
            else builder.schema
        )
        # the keys input may carry, when an input_schema narrows them
        self._input_fields: frozenset[str] | None = (
            frozenset(StateSchema(builder.input_schema).fields)
            if builder.input_schema is not None and builder.input_schema is not builder.state_schema
            else None
        )
        # as LangGraph: a node without an input schema of its own reads the state schema's
        # keys, not the private keys other nodes' schemas add to the graph
        own = builder.schema if self.schema is not builder.schema else None
        self._node_inputs: dict[str, NodeInput] = {
            node: NodeInput(
                self.schema,
                StateSchema(builder.node_inputs[node]) if node in builder.node_inputs else own,
            )
            for node in builder.nodes
        }
        self._state_view = NodeInput(self.schema, None)
        self.config: dict[str, Any] = {}
        """Defaults for every run's config (``with_config``)."""
        self.store: Any = None
        """The long-term store nodes are given (``compile(store=...)``), or None."""
        self.nodes: dict[str, NodeSpec] = dict(builder.nodes)
        self.cache = cache
        """Where nodes with a ``cache_policy`` keep their results (``compile(cache=...)``)."""
        if cache is not None:
            for node, policy in builder.cache_policies.items():
                spec = self.nodes[node]
                fn = with_cache(spec.fn, node, policy, cache)
                self.nodes[node] = dataclasses.replace(spec, fn=fn)
        self.deferred: frozenset[str] = frozenset(builder.deferred)
        """Nodes that wait until nothing else is left to run (``add_node(defer=True)``)."""
        # node name -> where it runs (compile(executor=...), add_node(..., executor=...))
        self.executors: dict[str, Executor] = {n: LOCAL for n in self.nodes} | (executors or {})
        edges: dict[str, list[str]] = {}
        for src, dst in builder.edges:
            edges.setdefault(src, []).append(dst)
        self.edges: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in edges.items()}
        branches: dict[str, list[Branch]] = {}
        for branch in builder.branches:
            branches.setdefault(branch.source, []).append(branch)
            # as LangGraph: a path function annotated with a schema reads only its keys
            declared = declared_input_schema(branch.path)
            if declared is not None and declared is not builder.state_schema:
                branch.view = PathInput(self.schema, StateSchema(declared))
            elif declared is not None and own is not None:
                branch.view = PathInput(self.schema, own)  # not the private keys
            else:
                branch.view = None
        self.branches: dict[str, tuple[Branch, ...]] = {k: tuple(v) for k, v in branches.items()}
        self.joins: tuple[tuple[tuple[str, ...], str], ...] = tuple(builder.joins)
        self.cancel_grace = cancel_grace
        self.outer_cancel = outer_cancel
        self.cleanup_timeout = cleanup_timeout
        self.kill_timeout = kill_timeout
        # node specs for Sends with a timeout of their own, by (node, seconds): see send_spec
        self._send_specs: dict[tuple[str, float], NodeSpec] = {}
        # compile(checkpointer=True / False), LangGraph's options for a graph run as a
        # subgraph: see graphstage.checkpoint._nested
        self.subgraph_checkpoints: bool | None = (
            checkpointer if isinstance(checkpointer, bool) else None
        )
        if isinstance(checkpointer, bool):
            checkpointer = None
        self.checkpointer = checkpointer
        """Where the graph's threads keep their checkpoints (``compile(checkpointer=...)``)."""
        self.journal = journal if journal is not None else getattr(checkpointer, "journal", None)
        self.interrupt_before = interrupt_before
        """Nodes every run pauses before (LangGraph's breakpoints; ``"*"``: all)."""
        self.interrupt_after = interrupt_after

    @property
    def state_schema(self) -> type[Any]:
        """The state model the graph was built with."""
        return self.builder.state_schema

    def with_config(self, config: dict[str, Any] | None = None, **kwargs: Any) -> CompiledGraph:
        """A copy of this graph whose runs default to ``config`` (and ``kwargs``), as
        LangGraph's ``with_config(recursion_limit=...)``: ``configurable`` and ``metadata``
        merged key by key, ``tags`` joined; a run's own config wins key by key."""
        from ._config_api import merge_configs  # it imports the running-graph helpers

        clone = copy.copy(self)
        clone.config = merge_configs(self.config, {**(config or {}), **kwargs})
        return clone

    def state_view(self, state: Any, step: int, limit: int) -> Any:
        """The state as conditional edges read it after ``step``: the graph's state type,
        with its managed values."""
        return self._state_view(state, step, limit)

    def node_input(self, node: str, state: Any, step: int, limit: int) -> Any:
        """What ``node`` receives at ``step`` (counted from the run's first) of ``state``."""
        return self._node_inputs[node](state, step, limit)

    def on_executor(self, executor: Executor) -> CompiledGraph:
        """A copy of this graph whose every node runs on ``executor`` (the CLI's
        ``--ray``), except subgraph nodes, which stay where they are (a subgraph's own
        nodes run where it was compiled to run them); ``GraphError`` names any node that
        cannot run there."""
        from ._subgraph import subgraph_of

        moved = [n for n, spec in self.nodes.items() if subgraph_of(spec.fn) is None]
        problems = []
        for node in moved:
            try:
                executor.prepare(self.nodes[node])
            except GraphError as exc:
                problems.append(str(exc))
        if problems:
            raise GraphError("; ".join(problems))
        placed = copy.copy(self)
        placed.executors = self.executors | dict.fromkeys(moved, executor)
        return placed

    async def ainvoke(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        durability: Durability | None = None,
        debug: bool | None = None,
        stream_mode: str | list[str] = "values",
    ) -> Any:
        """Run to the end and return the final state as a dict, as LangGraph does
        (with another ``stream_mode``: the list of that stream's chunks, as LangGraph's).

        A node's exception is re-raised. If the awaiting task is cancelled, the run is
        stopped gracefully (``outer_cancel="hard"``: killed); once it has settled, cleanup
        included, the CancelledError is re-raised. A run that paused at ``interrupt()``
        returns its state with the questions under ``"__interrupt__"``, as LangGraph 1.x.
        ``context`` is what nodes read as ``runtime.context``; ``durability`` (``"sync"``,
        ``"async"``, ``"exit"``) when a thread's checkpoints are saved, as LangGraph's.
        ``debug`` is taken, as LangGraph's, and prints nothing (LangGraph prints each step;
        graphstage's window and journal show them).
        """
        checked_config(config)  # before anything reads it
        if stream_mode == "values" and wants_callbacks(config) and not self._reporting(config):
            from .langchain.events import traced_invoke  # reported, then ainvoke'd again

            return await traced_invoke(
                self,
                input,
                config,
                {
                    "interrupt_before": interrupt_before,
                    "interrupt_after": interrupt_after,
                    "context": context,
                    "durability": durability,
                },
            )
        if stream_mode != "values":
            # its chunks are taken at once: nobody's code runs between them, nothing to hold
            return [
                chunk
                async for chunk in self.astream(
                    input,
                    {**(config or {}), HOLD_KEY: False},
                    stream_mode=stream_mode,
                    interrupt_before=interrupt_before,
                    interrupt_after=interrupt_after,
                    context=context,
                    durability=durability,
                )
            ]
        await settle_abandoned(config)
        run = self.start(
            input,
            config,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            context=context,
            durability=durability,
        )
        run._unread = True  # never handed out: nobody can read its events (none kept)
        result = await self._settle(run)
        _raise_failure(result, self._as_raised)
        out = self.schema.output(result.state)
        if result.interrupts:
            out["__interrupt__"] = list(result.interrupts)
        return out

    def astream(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] | None = None,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        subgraphs: bool = False,
        durability: Durability | None = None,
        debug: bool | None = None,
    ) -> AsyncIterator[Any]:
        """Yield the run's chunks: one mode gives bare chunks, a list gives (mode, chunk).
        ``subgraphs=True`` adds the chunks of the subgraphs run as nodes, each as
        ``(namespace, chunk)`` (or ``(namespace, mode, chunk)``), as LangGraph does.

        Modes: ``values`` (the whole state after each step), ``updates`` ({node: update}),
        ``custom`` (what nodes write), ``events`` (graphstage's lifecycle events).
        The run is held while the consumer handles a chunk, as LangGraph's; leaving the loop
        early (``break``) stops it where it is held (``graphstage._hold`` says where).
        Cancelling the iterating task stops the run gracefully, as for ``ainvoke``.
        A config with LangChain ``callbacks`` (or a call inside a traced runnable) reports
        the graph and its nodes to them as LangGraph does (``graphstage.langchain.events``).
        """
        kwargs: dict[str, Any] = {
            "stream_mode": stream_mode,
            "interrupt_before": interrupt_before,
            "interrupt_after": interrupt_after,
            "context": context,
            "subgraphs": subgraphs,
            "durability": durability,
        }
        checked_config(config)  # before anything reads it
        box: list[Run] = []  # the run, once started: stopped if the stream is dropped
        kwargs["box"] = box
        if wants_callbacks(config) and not self._reporting(config):
            from .langchain.events import traced_stream

            stream = traced_stream(self, input, config, kwargs)
        else:
            stream = self._astream(input, config, **kwargs)
        watch(stream, box)
        return stream

    async def _astream(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] | None = None,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        subgraphs: bool = False,
        durability: Durability | None = None,
        box: list[Run] | None = None,
    ) -> AsyncIterator[Any]:
        modes, single = parse_modes(stream_mode)
        holding = True  # as LangGraph's: the run goes on as the consumer asks (_hold.py)
        if config and HOLD_KEY in config:  # False: ainvoke reading the chunks itself
            holding = bool(config[HOLD_KEY])
            config = {k: v for k, v in config.items() if k != HOLD_KEY}
        if "messages" in modes:  # nodes attach the chat-model handler
            config = {**(config or {}), MESSAGES_KEY: True}
        if "tasks" in modes or "debug" in modes:  # NodeStarted carries each task's input
            config = {**(config or {}), INPUTS_KEY: True}
        if "checkpoints" in modes or "debug" in modes:  # shown even if saved only at exit
            config = {**(config or {}), CHECKPOINTS_KEY: True}
        await settle_abandoned(config)
        run = self.start(
            input,
            config,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            context=context,
            durability=durability,
        )
        if box is not None:
            box.append(run)
        # as LangGraph's stream: chunks handed over while tasks run with these modes
        eager = subgraphs or "custom" in modes or "messages" in modes
        hold = run._hold = StreamHold(eager) if holding else None
        # the checkpoints mode reads the run's thread, if it keeps one
        thread = getattr(run._supervisor, "_thread", None)
        chunker = Chunker(modes, self.schema, thread, graph=self, config=config)
        # the run's LangChain callback run, when it reports to callbacks (astream_events)
        graph_run = config.get(EVENTS_KEY) if config else None
        try:
            if subgraphs:
                async for ns, mode, chunk in nested_chunks(run, modes, self.schema, self, config):
                    yield (ns, chunk) if single else (ns, mode, chunk)
            else:
                listing = "tasks" in modes or "debug" in modes  # LangGraph's task order
                async for event in listed(run) if listing else run.events():
                    if graph_run is not None:  # LangGraph's order for astream_events
                        if type(event) is NodeStarted:
                            graph_run.advance(event.step)  # its node may report its start
                        elif graph_run.pending and type(event) is NodeFinished:
                            if hold is not None:  # its edges run once its step is applied
                                hold.taken(event.seq)
                            await graph_run.settled(event.node, run._done)
                    for mode, chunk in chunker.chunks(event):
                        yield chunk if single else (mode, chunk)
                    if hold is not None and not run.published_after(event.seq):
                        hold.taken(event.seq)  # all taken, the next asked for: it may go on
        except asyncio.CancelledError:
            if graph_run is not None:
                graph_run.release()
            await self._settle_outer_cancel(run)
            raise
        except GeneratorExit:  # the consumer closed the stream (aclose, or break then GC)
            if graph_run is not None:
                graph_run.release()
            await self._settle_closed(run)
            raise
        finally:
            if graph_run is not None:
                graph_run.release()
            if not run.done:  # an exception thrown in by the consumer (athrow)
                run.stop(reason="stream closed")
        result = await run.result()
        if graph_run is not None:  # its end reports the final state (langchain/events.py)
            graph_run.result = result
        _raise_failure(result, self._as_raised)

    def _reporting(self, config: dict[str, Any] | None) -> bool:
        """``config`` is one this graph's callback run made (``traced_invoke`` calling
        ``ainvoke`` back): run it as it is."""
        graph_run = config.get(EVENTS_KEY) if config else None
        return graph_run is not None and graph_run.graph is self

    async def _settle(self, run: Run) -> RunResult:
        try:
            return await run.result()
        except asyncio.CancelledError:
            await self._settle_outer_cancel(run)
            handoff = (await run.result()).handoff
            if handoff is not None and CURRENT_RUN.get() is not None:
                # awaited inside a node: the graph answered the stop by handing a Command
                # to the graph running that node, which is the node's answer to the stop
                raise ParentCommand(handoff) from None
            raise

    async def _settle_closed(self, run: Run) -> None:
        """The stream was closed before the run ended: stop it gracefully and wait until it
        has settled, so its cleanup route runs; after ``cancel_grace`` seconds (or if this
        wait is cancelled, as when the event loop shuts down) kill it and wait for that."""
        if run.done:
            return
        run.stop(reason="stream closed")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.cancel_grace
        cancelled = False
        while not run.done:
            remaining = deadline - loop.time()
            if remaining <= 0:
                run.kill(reason="stream closed (grace over)")  # ends it within kill_timeout
            try:
                await asyncio.wait_for(run.result(), None if remaining <= 0 else remaining)
            except TimeoutError:
                pass
            except asyncio.CancelledError:
                # the task closing the stream was cancelled (asyncio.run shutting down):
                # the wait stays bounded by the grace; the cancellation is re-raised after
                cancelled = True
        if cancelled:
            raise asyncio.CancelledError

    async def _settle_outer_cancel(self, run: Run) -> None:
        """The caller's task was cancelled: stop the run (kill it, for
        ``outer_cancel="hard"``) and wait until it has settled; a further cancellation
        while waiting kills it. The caller then re-raises its CancelledError."""
        if self.outer_cancel == "hard":
            run.kill(reason="outer cancel")
        else:
            run.stop(reason="outer cancel")
        while not run.done:
            try:
                await run.result()
            except asyncio.CancelledError:
                run.kill(reason="outer cancel (again)")

    def get_subgraphs(
        self, *, namespace: str | None = None, recurse: bool = False
    ) -> Iterator[tuple[str, CompiledGraph]]:
        """``(name, compiled graph)`` of every node that is a compiled graph added with
        ``add_node(name, graph)``, as LangGraph's ``get_subgraphs``: ``namespace`` (such as
        ``"parent|child"``) yields only that one; ``recurse`` goes into subgraphs'
        subgraphs, naming them ``"parent|child"``."""
        from ._subgraph import subgraph_of

        for name, spec in self.nodes.items():
            if namespace is not None and namespace != name and not namespace.startswith(name + "|"):
                continue
            fn = subgraph_of(spec.fn)
            if fn is None:
                continue
            if name == namespace:
                yield name, fn.graph
                return
            if namespace is None:
                yield name, fn.graph
            if recurse:
                inner = None if namespace is None else namespace[len(name) + 1 :]
                for child, graph in fn.graph.get_subgraphs(namespace=inner, recurse=True):
                    yield f"{name}|{child}", graph

    def __repr__(self) -> str:
        return f"<CompiledGraph {self.name!r} nodes={list(self.nodes)}>"


def _raise_failure(
    result: RunResult, as_raised: Callable[[BaseException], BaseException] | None = None
) -> None:
    """What ``ainvoke``/``astream`` callers, who never see the RunResult, must be told:
    the node's exception for a failed run (as ``as_raised`` makes it), a warning when the
    journal lost part of it."""
    if result.journal_error is not None:
        warnings.warn(
            f"run {result.run_id} was not fully journaled: {result.journal_error}",
            JournalWarning,
            stacklevel=3,
        )
    if result.status == "failed" and result.error is not None:
        raise result.error if as_raised is None else as_raised(result.error)
    if result.handoff is not None:
        raise ParentCommand(result.handoff)
    raise_if_paused_inside_node(result)
