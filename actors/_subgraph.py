"""Subgraphs: a compiled graph added as a node of another graph (``add_node("sub", graph)``).

The subgraph runs as a run of its own (its own supervisor, actors and events), started by
the node with the keys it shares with its parent, and its output's shared keys are the
node's update, as in LangGraph. ``Command(graph=Command.PARENT)`` from one of its nodes
ends it and is applied by the parent, as the node's own Command.

Where graphstage differs on purpose: a Stop reaches the active node *inside* the subgraph.
The parent's Cancel reaches this node's task; it stops the subgraph's run gracefully, so
the subgraph's active node gets its own Cancel and its Command or ``on_cancel`` route (its
cleanup) runs there first; the subgraph's final state is then this node's answer, and the
parent routes on as for any node that answered a stop (its ``on_cancel`` route, else the
run ends ``cancelled``). A second cancellation (a kill, or the grace running out) kills
the subgraph. LangGraph cancels the parent's task and leaves the subgraph's node without a
say (its open issues: a subgraph keeps running after the parent is cancelled).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import weakref
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

from ._command import Command
from ._events import Event, NodeStarted, RunFinished
from ._interrupt import GraphInterrupt
from ._node import NodeContext, current_node
from ._stream import EVENTS_KEY, Chunker
from ._stream_tasks import listing_order
from .checkpoint._scope import NS_SEP

if TYPE_CHECKING:
    from ._graph import CompiledGraph
    from ._run import Run, RunResult
    from .state import StateSchema

CURRENT_RUN: contextvars.ContextVar[Run | None] = contextvars.ContextVar(
    "graphstage_current_run", default=None
)
"""The run whose supervisor (and node tasks, which inherit its context) is running: a
subgraph started inside a node finds its parent run here."""


class SubgraphNode:
    """The node function of a subgraph: start it on the shared keys, await it, answer."""

    __slots__ = ("__name__", "graph", "parent")

    def __init__(self, graph: CompiledGraph, parent: StateSchema) -> None:
        self.graph = graph
        self.parent = parent
        self.__name__ = graph.name

    async def __call__(self, state: Any, ctx: NodeContext) -> Any:
        graph = self.graph
        values = state if isinstance(state, dict) else self.parent.as_dict(state)
        wanted = graph._input_fields or frozenset(graph.schema.fields)
        config = {k: v for k, v in ctx.config.items() if k != "run_id"}  # a run id of its own
        inputs = {k: v for k, v in values.items() if k in wanted}
        traced = None
        if EVENTS_KEY in config:  # the run reports to callbacks: the subgraph's run too
            from .langchain.events import open_graph_run

            config, traced = await open_graph_run(graph, inputs, config)
        run = graph.start(inputs, config)
        try:
            result = await run.result()
        except asyncio.CancelledError:
            # the parent's Stop: the subgraph's own active node is stopped first
            run.stop(reason="the parent graph was stopped")
            result = await _settled(run)
        if traced is not None:
            if result.status in ("failed", "paused") or result.handoff is not None:
                await traced.error(result.error or GraphInterrupt(result.interrupts))
            else:
                await traced.end(graph.schema.output(result.state))
        if result.status == "failed" and result.error is not None:
            raise result.error
        if result.status == "paused":
            # the whole run pauses in this node (as LangGraph's, also in a run without a
            # thread: it then ends with the questions and nothing to resume from)
            raise GraphInterrupt(result.interrupts)
        if result.handoff is not None:
            update = _parents_keys(result.handoff.update, graph.schema, self.parent)
            return Command(update=update, goto=result.handoff.goto)
        out = graph.schema.output(result.state)
        fields = self.parent.fields
        return {k: v for k, v in out.items() if k in fields}


def _parents_keys(update: Any, own: StateSchema, parent: StateSchema) -> Any:
    """A hand-off's update without the subgraph's own keys that its parent lacks: a
    handoff tool's ``update={**state, ...}`` carries the agent's whole state (its
    ``remaining_steps``...), which LangGraph's parent ignores. A key in neither schema
    still fails the parent's step, naming it."""
    if not isinstance(update, Mapping):
        return update
    dropped = [
        k for k in update if k not in parent.fields and (k in own.fields or k in own.managed)
    ]
    return {k: v for k, v in update.items() if k not in dropped} if dropped else update


def subgraph_of(fn: Any) -> SubgraphNode | None:
    """The subgraph a node's function runs, through the wrappers policies put around it
    (a cache keeps what it wraps in ``__wrapped__``, an error handler in ``wraps``), else
    None."""
    while fn is not None and not isinstance(fn, SubgraphNode):
        fn = getattr(fn, "__wrapped__", None) or getattr(fn, "wraps", None)
    return fn


def _stream_ns(run: Run, node: str) -> str:
    """The subgraph's part of a stream namespace: ``node:task id`` as its checkpoint
    namespace names it (LangGraph's), or ``node:run id`` for a run that keeps no thread."""
    thread = getattr(run._supervisor, "_thread", None)
    if thread is None or not thread.ns:
        return f"{node}:{run.run_id}"
    parts = thread.ns.split(NS_SEP)
    return NS_SEP.join(parts[-2:]) if parts[-1].isdigit() else parts[-1]


async def _settled(run: Any) -> RunResult:
    """Wait until a stopped subgraph run settles; a further cancellation of this task (a
    kill, or the parent's grace running out) kills it, and is re-raised once it has
    ended."""
    cancelled = False
    while True:
        try:
            result: RunResult = await run.result()
        except asyncio.CancelledError:
            cancelled = True
            run.kill(reason="the parent graph killed it")
            continue
        if cancelled:
            raise asyncio.CancelledError
        return result


_STREAMED: weakref.WeakValueDictionary[str, Run] = weakref.WeakValueDictionary()
"""Subgraph runs whose events go to a parent's ``astream(subgraphs=True)``, by run id:
where that stream finds the thread whose checkpoints the ``checkpoints`` mode shows."""


def tap_parent(run: Run, schema: StateSchema) -> None:
    """``astream(subgraphs=True)`` of the run whose node starts ``run`` (a subgraph node, or
    a graph the node's function invokes): ``run``'s events go to that stream too, under the
    node's namespace. From a sync node's worker thread (``invoke`` runs its own loop there)
    they are handed over to the parent's loop."""
    parent = CURRENT_RUN.get()
    node = current_node()
    if parent is None or parent._tap is None or node is None:
        return
    parent_tap = parent._tap  # the parent's Taps: its subscribers then, and any later
    _STREAMED[run.run_id] = run
    if run._loop is not parent._loop:
        loop = parent._loop

        def tap_across(ns: tuple[str, ...], schema: Any, event: Event) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(parent_tap, ns, schema, event)

        _forward(tap_across, run, _stream_ns(run, node), schema)
    else:
        _forward(parent_tap, run, _stream_ns(run, node), schema)


def _forward(tap: Any, run: Run, namespace: str, schema: StateSchema) -> None:
    """Send ``run``'s events (and its own subgraphs') to the parent's tap, namespaced as
    LangGraph namespaces them (``"node:task id"``), for as long as ``run`` lives."""

    def forward(sub: tuple[str, ...], schema: Any, event: Event) -> None:
        tap((namespace, *sub), schema, event)

    run._tap_schema = schema
    run._subscribe(forward)


async def nested_chunks(
    run: Run,
    modes: tuple[str, ...],
    schema: StateSchema,
    graph: Any = None,
    config: Mapping[str, Any] | None = None,
) -> AsyncIterator[tuple[tuple[str, ...], str, Any]]:
    """``astream(subgraphs=True)``: ``(namespace, mode, chunk)`` for ``run`` (namespace
    ``()``) and every subgraph run inside it, in the order their events happened, until
    ``run`` ends. ``graph`` (``run``'s) and ``config`` (which subgraph runs inherit)
    complete the ``tasks`` and ``debug`` payloads (see ``Chunker``)."""
    queue: asyncio.Queue[tuple[tuple[str, ...], Any, Event]] = asyncio.Queue()
    run._tap_schema = schema
    # one subscriber among the run's others (its journal, watch_subgraphs), removed when
    # the stream ends or is closed
    # the thread each subgraph namespace's checkpoints are read from, found when its first
    # event is published (its run is alive then; _STREAMED holds runs weakly, and one
    # that has ended may be gone by the time the consumer takes that event)
    threads: dict[tuple[str, ...], Any] = {}

    def receive(ns: tuple[str, ...], schema: Any, event: Event) -> None:
        if ns and ns not in threads:
            source = _STREAMED.get(event.run_id)
            threads[ns] = getattr(getattr(source, "_supervisor", None), "_thread", None)
        queue.put_nowait((ns, schema, event))

    unsubscribe = run._subscribe(receive)
    for event in run.event_log:  # published before the tap was set (none, in practice)
        queue.put_nowait(((), schema, event))
    chunkers: dict[tuple[str, ...], Chunker] = {}
    listing = "tasks" in modes or "debug" in modes
    held: list[tuple[tuple[str, ...], Any, Event]] = []  # taken from the queue, not yet shown
    try:
        while True:
            batch = [held.pop() if held else await queue.get()]
            if listing and isinstance(batch[0][2], NodeStarted):
                # a step's starts are published together: list them in LangGraph's order
                while not queue.empty():
                    item = queue.get_nowait()
                    if not _same_step(item, batch[0]):
                        held.append(item)
                        break
                    batch.append(item)
                batch = listing_order(batch, _event_of)
            for ns, own_schema, event in batch:
                chunker = chunkers.get(ns)
                if chunker is None:
                    own = _graph_at(graph, ns) if ns else graph
                    # the checkpoints mode reads the thread of the run the events come from
                    thread = (
                        threads.get(ns)
                        if ns
                        else getattr(getattr(run, "_supervisor", None), "_thread", None)
                    )
                    chunker = chunkers[ns] = Chunker(
                        modes, own_schema, thread, graph=own, config=config, nested=bool(ns)
                    )
                for mode, chunk in chunker.chunks(event):
                    yield ns, mode, chunk
                if not ns and run._hold is not None and not run.published_after(event.seq):
                    run._hold.taken(event.seq)  # all taken, the next asked for: it may go on
                if not ns and isinstance(event, RunFinished):
                    return
    finally:
        unsubscribe()


def _event_of(item: tuple[tuple[str, ...], Any, Event]) -> NodeStarted:
    return item[2]  # type: ignore[return-value]


def _same_step(item: tuple[tuple[str, ...], Any, Event], first: tuple[Any, ...]) -> bool:
    event = item[2]
    return item[0] == first[0] and isinstance(event, NodeStarted) and event.step == first[2].step


def _graph_at(graph: Any, ns: tuple[str, ...]) -> Any:
    """The subgraph a stream namespace's events come from (its nodes' ``add_node``
    metadata shows in their tasks), or None if ``graph`` does not name it."""
    if graph is None:
        return None
    try:
        return subgraph_at(graph, tuple(part.split(":", 1)[0] for part in ns))
    except ValueError:
        return None


def subgraphs_of(graph: CompiledGraph) -> dict[str, CompiledGraph]:
    """The graphs ``graph``'s nodes run, by node: a compiled graph added as a node, or one
    a node's function names (a global or a closure variable), as LangGraph finds them."""
    found = {}
    for name, spec in graph.nodes.items():
        sub = _graph_in(spec.fn)
        # not itself (a node may name the graph it is in: that graph is no subgraph), nor
        # a graph compiled with checkpointer=False, as LangGraph's
        if sub is not None and sub is not graph and sub.subgraph_checkpoints is not False:
            found[name] = sub
    return found


def _graph_in(fn: Any) -> CompiledGraph | None:
    from ._graph import CompiledGraph

    if isinstance(fn, SubgraphNode):
        return fn.graph
    fn = getattr(fn, "func", fn)  # functools.partial
    try:
        fn = inspect.unwrap(fn)  # a cache_policy's wrapper
    except ValueError:
        return None
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    values: list[Any] = []
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet
            continue
    names = getattr(fn, "__globals__", {})
    values += [names[n] for n in code.co_names if n in names]
    return next((v for v in values if isinstance(v, CompiledGraph)), None)


def subgraph_at(graph: CompiledGraph, path: tuple[str, ...]) -> CompiledGraph:
    """The graph a checkpoint namespace's nodes (``node_path``) lead to from ``graph``;
    ``ValueError`` as LangGraph's when there is none."""
    current = graph
    for i, node in enumerate(path):
        sub = subgraphs_of(current).get(node)
        if sub is None:
            raise ValueError(f"Subgraph {'|'.join(path[: i + 1])} not found")
        current = sub
    return current
