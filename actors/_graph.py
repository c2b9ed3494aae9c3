"""``CompiledGraph``: a checked graph, ready to run as many times as you like."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._command import Command
from ._constants import DEFAULT_RECURSION_LIMIT, END, START
from ._context import CONTEXT_KEY, coerce_context
from ._errors import GraphError, InvalidUpdateError, JournalWarning, ParentCommand, ResumeError
from ._policies import InMemoryCache, with_cache
from ._run import Run, RunResult
from ._stream import MESSAGES_KEY, Chunker, parse_modes
from ._subgraph import CURRENT_RUN, nested_chunks
from .checkpoint._api import ThreadAPI
from .checkpoint._nested import nested_thread, raise_if_paused_inside_node
from .checkpoint._thread import ThreadRun
from .executors import LOCAL
from .state import StateSchema
from .state.inputs import NodeInput
from .supervisor import Supervisor

if TYPE_CHECKING:
    from ._builder import Branch, StateGraph
    from ._node import NodeSpec
    from .checkpoint import BaseCheckpointSaver
    from .executors import Executor

# Runs in flight: the runtime owns their supervisor tasks, so it keeps them referenced.
_RUNNING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where to resume a run: the state after its last completed step and what comes next."""

    run_id: str
    """The run this checkpoint was taken from."""
    step: int
    """The last completed step."""
    values: Any
    """The state after that step (a dict or a model instance)."""
    next: tuple[str, ...]
    """The nodes to run next."""


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """An edge for drawing: ``kind`` is edge, conditional, join, on_cancel or command."""

    src: str
    dst: str
    kind: Literal["edge", "conditional", "join", "on_cancel", "command"]
    label: str | None = None
    """For a conditional edge: the path_map key(s) leading to ``dst`` (``"revise"``; several
    joined by ``" / "``), when they differ from ``dst``'s name (as LangGraph draws them)."""


@dataclass(frozen=True, slots=True)
class DrawableGraph:
    """What ``CompiledGraph.get_graph()`` returns: the nodes and edges, and Mermaid."""

    nodes: tuple[str, ...]
    """START, every node, END."""
    edges: tuple[GraphEdge, ...]

    def draw_mermaid(self) -> str:
        """The graph as a Mermaid flowchart; conditional edges carry their keys."""
        arrow = {
            "edge": "-->",
            "join": "-->",
            "conditional": "-.->",
            "on_cancel": "-. on_cancel .->",
            "command": "-. command .->",
        }
        lines = ["flowchart TD"]
        for name in self.nodes:
            shape = {START: "([START])", END: "([END])"}.get(name, f"[{name}]")
            lines.append(f"    {name}{shape}")
        for e in self.edges:
            if e.kind == "conditional" and e.label:
                lines.append(f"    {e.src} -. &nbsp;{e.label}&nbsp; .-> {e.dst}")
            else:
                lines.append(f"    {e.src} {arrow[e.kind]} {e.dst}")
        return "\n".join(lines) + "\n"


class CompiledGraph(ThreadAPI):
    """A runnable graph. ``start`` returns a ``Run`` handle; ``ainvoke`` and ``astream``
    behave as LangGraph's, except that cancelling their caller stops the run gracefully."""

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
        checkpointer: BaseCheckpointSaver | None = None,
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
        self._node_inputs: dict[str, NodeInput] = {
            node: NodeInput(
                self.schema,
                StateSchema(builder.node_inputs[node]) if node in builder.node_inputs else None,
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
        self.branches: dict[str, tuple[Branch, ...]] = {k: tuple(v) for k, v in branches.items()}
        self.joins: tuple[tuple[tuple[str, ...], str], ...] = tuple(builder.joins)
        self.cancel_grace = cancel_grace
        self.outer_cancel = outer_cancel
        self.cleanup_timeout = cleanup_timeout
        self.kill_timeout = kill_timeout
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
        LangGraph's ``with_config(recursion_limit=...)``; a run's own config wins."""
        clone = copy.copy(self)
        clone.config = {**self.config, **(config or {}), **kwargs}
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
        from ._subgraph import SubgraphNode

        moved = [n for n, spec in self.nodes.items() if not isinstance(spec.fn, SubgraphNode)]
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

    # -- running ------------------------------------------------------------------------

    def start(
        self,
        input: Any = None,
        config: dict[str, Any] | None = None,
        *,
        journal: Any = None,
        resume: Checkpoint | None = None,
        interrupt_before: tuple[str, ...] | list[str] | None = None,
        interrupt_after: tuple[str, ...] | list[str] | None = None,
        stop_waiting: str | None = None,
        context: Any = None,
        checkpointer: BaseCheckpointSaver | None = None,
    ) -> Run:
        """Start a run on the running event loop and return its handle at once.

        The input is validated first: pydantic's ``ValidationError`` is raised here, before
        any node runs. ``journal`` overrides the graph's journal for this run.

        With a checkpointer and ``config={"configurable": {"thread_id": ...}}`` the run
        belongs to that thread: new input is applied to the thread's state and the run
        starts from START; ``None`` continues from the thread's latest checkpoint (or the
        one ``checkpoint_id`` names: a fork); ``Command(resume=answer)`` answers the
        ``interrupt()`` it waits at. ``ResumeError`` says why a thread cannot be continued
        (its next node is not in the graph, another run continues it...), before any step.
        ``checkpointer`` overrides the compiled one for this run (how the window keeps its
        runs' threads in its journal).
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "graph.start() needs a running event loop: call it from async code, or use "
                "graph.invoke() from sync code"
            ) from None
        config = {**self.config, **(config or {})}
        if context is not None:
            config[CONTEXT_KEY] = coerce_context(self.builder.context_schema, context)
        limit = config.get("recursion_limit", DEFAULT_RECURSION_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError(
                f"config['recursion_limit'] must be a whole number of steps >= 1, got {limit!r}"
            )
        run_id = str(config.get("run_id") or uuid.uuid4().hex)
        # inside a node of a run on a thread, a graph keeps its checkpoints in that thread
        thread = nested_thread(self, run_id) or self._thread_for(
            config, run_id, interrupt_before, interrupt_after, checkpointer or self.checkpointer
        )
        if thread is not None:
            try:
                if input is not None and not isinstance(input, Command):
                    input = self._check_input(input)
                state = self.schema.validate_input(
                    thread.prepare(input, stop_reason=stop_waiting), restore=True
                )
            except BaseException:
                thread.ended()  # release the thread: nothing runs
                raise
        elif isinstance(input, Command) or stop_waiting is not None:
            raise ResumeError(
                "answering an interrupt needs a thread: compile the graph with a "
                "checkpointer and pass config={'configurable': {'thread_id': ...}}"
            )
        elif resume is not None and input is None:
            self._check_resumable(resume)
            state = self.schema.validate_input(resume.values, restore=True)
        else:
            state = self.schema.validate_input(self._check_input(input))
        run = Run(run_id, loop)
        journal = journal if journal is not None else self.journal
        sinks = [journal.sink_for(self, run)] if journal is not None else []
        resume_at = (resume.step, resume.next, resume.run_id) if resume is not None else None
        supervisor = Supervisor(self, run, state, config, resume_at, sinks, thread)
        run._supervisor = supervisor
        task = loop.create_task(supervisor.main(), name=f"graphstage supervisor ({run.run_id})")
        supervisor.task = task
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)
        task.add_done_callback(supervisor.on_task_done)
        return run

    def _check_input(self, value: Any) -> Any:
        wanted = self._input_fields
        if wanted is not None and isinstance(value, Mapping):
            unknown = [k for k in value if k not in wanted]
            if unknown:
                raise InvalidUpdateError(
                    f"unknown input field(s) {', '.join(map(repr, unknown))}; the graph's "
                    f"input_schema accepts: {', '.join(sorted(wanted))}"
                )
        return value

    def _thread_for(
        self,
        config: dict[str, Any],
        run_id: str,
        before: Any,
        after: Any,
        saver: BaseCheckpointSaver | None,
    ) -> ThreadRun | None:
        conf = config.get("configurable") or {}
        if saver is None or conf.get("thread_id") in (None, ""):
            if saver is not None:  # LangGraph's rule: a checkpointer needs a thread
                ThreadRun(self, saver, config, run_id)  # raises, naming the missing key
            if before or after:
                raise ValueError(
                    "interrupt_before/interrupt_after need a checkpointer and a thread_id"
                )
            return None
        return ThreadRun(
            self,
            saver,
            config,
            run_id,
            # as LangGraph: an empty per-call list falls back to the compiled one
            interrupt_before=tuple(before or self.interrupt_before),
            interrupt_after=tuple(after or self.interrupt_after),
        )

    def _check_resumable(self, checkpoint: Checkpoint) -> None:
        missing = [n for n in checkpoint.next if n not in self.nodes]
        if missing:
            raise ResumeError(
                f"run {checkpoint.run_id} cannot be resumed: it runs node(s) "
                f"{', '.join(missing)} next, which graph {self.name!r} does not have "
                f"(nodes: {', '.join(self.nodes)}); was a node renamed? Load the graph it "
                f"ran with"
            )

    def resume(
        self, checkpoint: Checkpoint, config: dict[str, Any] | None = None, *, journal: Any = None
    ) -> Run:
        """Start a new run from a checkpoint: its state, at the nodes it names as next.
        ``ResumeError`` if one of them is not in this graph (nothing is run)."""
        return self.start(None, config, journal=journal, resume=checkpoint)

    async def ainvoke(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
    ) -> dict[str, Any]:
        """Run to the end and return the final state as a dict, as LangGraph does.

        A node's exception is re-raised. If the awaiting task is cancelled, the run is
        stopped gracefully (``outer_cancel="hard"``: killed); once it has settled, cleanup
        included, the CancelledError is re-raised. A run that paused at ``interrupt()``
        returns its state with the questions under ``"__interrupt__"``, as LangGraph 1.x.
        ``context`` is what nodes read as ``runtime.context``.
        """
        run = self.start(
            input,
            config,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            context=context,
        )
        result = await self._settle(run)
        _raise_failure(result)
        out = self.schema.output(result.state)
        if result.interrupts:
            out["__interrupt__"] = list(result.interrupts)
        return out

    async def astream(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] | None = None,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        subgraphs: bool = False,
    ) -> AsyncIterator[Any]:
        """Yield the run's chunks: one mode gives bare chunks, a list gives (mode, chunk).
        ``subgraphs=True`` adds the chunks of the subgraphs run as nodes, each as
        ``(namespace, chunk)`` (or ``(namespace, mode, chunk)``), as LangGraph does.

        Modes: ``values`` (the whole state after each step), ``updates`` ({node: update}),
        ``custom`` (what nodes write), ``events`` (graphstage's lifecycle events).
        Cancelling the iterating task stops the run gracefully, as for ``ainvoke``.
        """
        modes, single = parse_modes(stream_mode)
        if "messages" in modes:  # nodes attach the chat-model handler
            config = {**(config or {}), MESSAGES_KEY: True}
        run = self.start(
            input,
            config,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            context=context,
        )
        # the checkpoints mode reads the run's thread, if it keeps one
        thread = getattr(run._supervisor, "_thread", None)
        chunker = Chunker(modes, self.schema, thread)
        try:
            if subgraphs:
                async for ns, mode, chunk in nested_chunks(run, modes, self.schema):
                    yield (ns, chunk) if single else (ns, mode, chunk)
            else:
                async for event in run.events():
                    for mode, chunk in chunker.chunks(event):
                        yield chunk if single else (mode, chunk)
        except asyncio.CancelledError:
            await self._settle_outer_cancel(run)
            raise
        except GeneratorExit:  # the consumer closed the stream (aclose, or break then GC)
            await self._settle_closed(run)
            raise
        finally:
            if not run.done:  # an exception thrown in by the consumer (athrow)
                run.stop(reason="stream closed")
        _raise_failure(await run.result())

    def invoke(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
    ) -> dict[str, Any]:
        """``ainvoke`` from sync code (a new event loop; Ctrl+C stops the run gracefully)."""
        return asyncio.run(
            self.ainvoke(
                input,
                config,
                interrupt_before=interrupt_before,
                interrupt_after=interrupt_after,
                context=context,
            )
        )

    def stream(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] | None = None,
        interrupt_before: list[str] | None = None,
        interrupt_after: list[str] | None = None,
        context: Any = None,
        subgraphs: bool = False,
    ) -> Iterator[Any]:
        """``astream`` from sync code: the chunks are collected, then yielded."""

        async def collect() -> list[Any]:
            return [
                c
                async for c in self.astream(
                    input,
                    config,
                    stream_mode=stream_mode,
                    interrupt_before=interrupt_before,
                    interrupt_after=interrupt_after,
                    context=context,
                    subgraphs=subgraphs,
                )
            ]

        yield from asyncio.run(collect())

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

    # -- describing ---------------------------------------------------------------------

    def edges_for_drawing(self) -> list[GraphEdge]:
        """Every edge the graph may take, with its kind, for the graph view and Mermaid."""
        out: list[GraphEdge] = []
        for src, dsts in self.edges.items():
            out.extend(GraphEdge(src, dst, "edge") for dst in dsts)
        for src, branches in self.branches.items():
            for branch in branches:
                keys: dict[str, list[str]] = {}
                for key, dst in branch.labelled_targets():
                    keys.setdefault(dst, []).append(key)
                for dst, names in keys.items():
                    shown = [k for k in names if k != dst]
                    out.append(GraphEdge(src, dst, "conditional", " / ".join(shown) or None))
        for sources, dst in self.joins:
            out.extend(GraphEdge(src, dst, "join") for src in sources)
        for spec in self.nodes.values():
            if spec.on_cancel:
                out.append(GraphEdge(spec.name, spec.on_cancel, "on_cancel"))
            out.extend(GraphEdge(spec.name, dst, "command") for dst in spec.destinations)
        return out

    def get_subgraphs(
        self, *, namespace: str | None = None, recurse: bool = False
    ) -> Iterator[tuple[str, CompiledGraph]]:
        """``(name, compiled graph)`` of every node that is a compiled graph added with
        ``add_node(name, graph)``, as LangGraph's ``get_subgraphs``: ``namespace`` (such as
        ``"parent|child"``) yields only that one; ``recurse`` goes into subgraphs'
        subgraphs, naming them ``"parent|child"``."""
        from ._subgraph import SubgraphNode

        for name, spec in self.nodes.items():
            if namespace is not None and namespace != name and not namespace.startswith(name + "|"):
                continue
            fn = spec.fn
            while not isinstance(fn, SubgraphNode) and hasattr(fn, "__wrapped__"):
                fn = fn.__wrapped__  # a cached node keeps its function here
            if not isinstance(fn, SubgraphNode):
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

    def get_graph(
        self, config: dict[str, Any] | None = None, *, xray: bool | int = False
    ) -> DrawableGraph:
        """The graph's nodes and edges, as LangGraph's ``get_graph()``; ``.draw_mermaid()``
        draws it. ``config`` and ``xray`` are accepted for compatibility."""
        return DrawableGraph((START, *self.nodes, END), tuple(self.edges_for_drawing()))

    def draw_mermaid(self) -> str:
        """The graph as a Mermaid flowchart (conditional edges labelled with their keys)."""
        return self.get_graph().draw_mermaid()

    def __repr__(self) -> str:
        return f"<CompiledGraph {self.name!r} nodes={list(self.nodes)}>"


def _raise_failure(result: RunResult) -> None:
    """What ``ainvoke``/``astream`` callers, who never see the RunResult, must be told:
    the node's exception for a failed run, a warning when the journal lost part of it."""
    if result.journal_error is not None:
        warnings.warn(
            f"run {result.run_id} was not fully journaled: {result.journal_error}",
            JournalWarning,
            stacklevel=3,
        )
    if result.status == "failed" and result.error is not None:
        raise result.error
    if result.handoff is not None:
        raise ParentCommand(result.handoff)
    raise_if_paused_inside_node(result)
