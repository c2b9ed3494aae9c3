"""``StateGraph``: the builder. Add nodes and edges, then ``compile()`` a runnable graph."""

from __future__ import annotations

import inspect
import math
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from ._command import Send
from ._constants import END, START
from ._context import STORE_KEY
from ._destinations import command_targets, destinations_arg, literal_targets
from ._errors import GraphError, UnknownNodeError
from ._node import NodeSpec
from ._policies import (
    CachePolicy,
    InMemoryCache,
    RetryPolicy,
    timeout_problem,
    with_retry,
    with_timeout,
)
from .executors import LOCAL
from .state import StateSchema
from .state.inputs import declared_input_schema
from .store import is_store

if TYPE_CHECKING:
    from ._graph import CompiledGraph
    from .executors import Executor


class Branch:
    """A conditional edge: ``path(state)`` names the next node(s), maybe through ``path_map``."""

    __slots__ = ("_literal", "_needs_config", "path", "path_map", "source")

    def __init__(
        self, source: str, path: Callable[..., Any], path_map: Mapping[Hashable, str] | None
    ) -> None:
        self.source = source
        self.path = path
        self.path_map = path_map
        try:
            params = inspect.signature(path).parameters
        except (TypeError, ValueError):
            params = {}  # type: ignore[assignment]
        self._needs_config = "config" in params
        # without a path_map: the names a `-> Literal[...]` return annotation lists
        self._literal = literal_targets(path) if path_map is None else ()

    def targets(self) -> tuple[str, ...]:
        """Every destination this branch may take, when that is known (for drawing)."""
        return tuple(self.path_map.values()) if self.path_map else self._literal

    def labelled_targets(self) -> tuple[tuple[str, str], ...]:
        """``(key, destination)`` for every entry of the path_map (for drawing)."""
        if not self.path_map:
            return tuple((t, t) for t in self._literal)
        return tuple((str(k), v) for k, v in self.path_map.items())

    async def resolve(
        self, state: Any, config: dict[str, Any]
    ) -> list[tuple[str | None, str | Send]]:
        """Call the path function: the ``(key, destination)`` pairs it chose (the key is
        what it returned, before the path_map; a ``Send`` is its own destination)."""
        result = self.path(state, config) if self._needs_config else self.path(state)
        if isinstance(result, Awaitable):
            result = await result
        keys = [result] if isinstance(result, str) or not isinstance(result, Sequence) else result
        dsts: list[tuple[str | None, str | Send]] = []
        for key in keys:
            if isinstance(key, Send):
                dsts.append((None, key))
                continue
            dst = key
            if self.path_map is not None:
                if key not in self.path_map:
                    raise UnknownNodeError(
                        f"the conditional edge from '{self.source}' returned {key!r}, which is "
                        f"not in its path_map (keys: {', '.join(map(repr, self.path_map))})"
                    )
                dst = self.path_map[key]
            if not isinstance(dst, str):
                raise UnknownNodeError(
                    f"the conditional edge from '{self.source}' returned {dst!r}; it must "
                    f"return a node name, END, or a list of them"
                )
            dsts.append((str(key), dst))
        return dsts


class StateGraph:
    """Build a graph whose nodes read and update a shared state, as LangGraph's StateGraph.

    ``state_schema`` is a pydantic ``BaseModel`` (nodes get model instances) or a
    ``TypedDict`` (nodes get dicts). Fields declared ``Annotated[T, reducer]`` merge updates
    with ``reducer(old, new)``.
    """

    def __init__(
        self,
        state_schema: type[Any],
        context_schema: type[Any] | None = None,
        *,
        input_schema: type[Any] | None = None,
        output_schema: type[Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.schema = StateSchema(state_schema)
        self.state_schema = state_schema
        self.input_schema = input_schema
        """The keys ``ainvoke`` accepts (default: the state's)."""
        self.output_schema = output_schema
        """The keys ``ainvoke`` returns and the ``values`` stream shows (default: the state's)."""
        self.context_schema = context_schema
        """The type of ``runtime.context`` (informational, as in LangGraph)."""
        self.name = name or state_schema.__name__
        # node name -> the schema its first parameter is annotated with, when it is not
        # the state's: the node reads those keys only, and they join the state
        self.node_inputs: dict[str, type[Any]] = {}
        # nodes added with defer=True: they wait until nothing else is left to run
        self.deferred: set[str] = set()
        # node name -> its CachePolicy (used when compiled with a cache)
        self.cache_policies: dict[str, CachePolicy] = {}
        # node name -> add_node(metadata=...)
        self.metadata: dict[str, dict[str, Any]] = {}
        self.nodes: dict[str, NodeSpec] = {}
        self.edges: list[tuple[str, str]] = []
        self.joins: list[tuple[tuple[str, ...], str]] = []
        self.branches: list[Branch] = []
        # node name -> the executor add_node(..., executor=...) placed it on
        self.placements: dict[str, Executor] = {}
        # problems found while building, reported together by compile()
        self._problems: list[str] = []

    def add_node(
        self,
        node: str | Callable[..., Any],
        action: Callable[..., Any] | None = None,
        *,
        on_cancel: str | None = None,
        destinations: Mapping[str, str] | Sequence[str] | None = None,
        executor: Executor | None = None,
        input_schema: type[Any] | None = None,
        defer: bool = False,
        retry_policy: RetryPolicy | Sequence[RetryPolicy] | None = None,
        cache_policy: CachePolicy | None = None,
        metadata: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> StateGraph:
        """Add a node. ``add_node(fn)`` names it after the function.

        ``on_cancel`` names the node to run when this one is stopped and re-raises the
        cancellation (or returns without a ``goto``). ``destinations`` lists the nodes its
        Commands may go to, for drawing only. ``executor`` runs this node somewhere other
        than the graph's executor (``compile(executor=...)``): e.g. ``LocalExecutor()``
        keeps it in this process, ``graphstage.ray.RayExecutor(...)`` sends it to Ray.
        ``input_schema`` (else the annotation of the function's first parameter, when it is
        a schema class) narrows what the node reads. As in LangGraph: ``defer`` holds the
        node back until nothing else is left to run; ``retry_policy`` retries it when it
        raises (the waits are inside its execution, so a Stop reaches them);
        ``cache_policy`` answers from ``compile(cache=...)`` for an input seen before;
        ``destinations`` defaults to a ``-> Command[Literal[...]]`` return annotation;
        ``timeout`` (seconds, async nodes only) fails an attempt that runs longer with
        ``NodeTimeoutError``.

        A compiled graph as ``action`` is a subgraph: it runs on the keys it shares with
        this graph and its output updates them (see ``graphstage._subgraph``; a Stop
        reaches the subgraph's active node first).
        """
        from ._graph import CompiledGraph
        from ._subgraph import SubgraphNode

        if action is None:
            if isinstance(node, str):
                raise GraphError(f"add_node('{node}'): pass the node function too")
            action, node = node, getattr(node, "__name__", type(node).__name__)
        if isinstance(action, CompiledGraph):
            action = SubgraphNode(action, self.schema)
        if not isinstance(node, str) or not node:
            raise GraphError(f"a node name must be a non-empty string, got {node!r}")
        if node in (START, END):
            self._problems.append(f"'{node}' is reserved for START/END; rename the node")
        elif node in self.nodes:
            self._problems.append(f"node '{node}' is added twice; node names must be unique")
        else:
            implied = destinations_arg(destinations) or command_targets(action)
            # as LangGraph: the timeout bounds each attempt, the retry policy repeats them
            fn = action
            if timeout is not None:
                problem = timeout_problem(action, node)
                if problem:
                    self._problems.append(problem)
                else:
                    fn = with_timeout(action, node, timeout)
            fn = with_retry(fn, retry_policy) if retry_policy else fn
            self.nodes[node] = NodeSpec(node, fn, on_cancel, implied)
            if defer:
                self.deferred.add(node)
            if cache_policy is not None:
                self.cache_policies[node] = cache_policy
            if metadata:
                self.metadata[node] = dict(metadata)
            if executor is not None:
                self.placements[node] = executor
            reads = input_schema or declared_input_schema(action)
            if reads is not None and reads is not self.state_schema:
                self.node_inputs[node] = reads
        return self

    def add_edge(self, start_key: str | Sequence[str], end_key: str) -> StateGraph:
        """Run ``end_key`` after ``start_key``; with a list of sources, after all of them."""
        if isinstance(start_key, str):
            self.edges.append((start_key, end_key))
        else:
            self.joins.append((tuple(start_key), end_key))
        return self

    def add_conditional_edges(
        self,
        source: str,
        path: Callable[..., Any],
        path_map: Mapping[Hashable, str] | Sequence[str] | None = None,
    ) -> StateGraph:
        """After ``source``, go where ``path(state)`` says (a name, END, or a list of them)."""
        if path_map is not None and not isinstance(path_map, Mapping):
            path_map = {name: name for name in path_map}
        self.branches.append(Branch(source, path, path_map))
        return self

    def add_sequence(
        self, nodes: Sequence[Callable[..., Any] | tuple[str, Callable[..., Any]]]
    ) -> StateGraph:
        """Add nodes that run one after another: each is a function (named after itself)
        or a ``(name, function)`` pair; an edge joins each to the next, as in LangGraph."""
        if not nodes:
            raise GraphError("add_sequence() needs at least one node")
        previous: str | None = None
        for item in nodes:
            if isinstance(item, tuple):
                name, action = item
            else:
                action = item
                name = getattr(item, "__name__", type(item).__name__)
            self.add_node(name, action)
            if previous is not None:
                self.add_edge(previous, name)
            previous = name
        return self

    def set_conditional_entry_point(
        self,
        path: Callable[..., Any],
        path_map: Mapping[Hashable, str] | Sequence[str] | None = None,
    ) -> StateGraph:
        """Same as ``add_conditional_edges(START, path, path_map)``."""
        return self.add_conditional_edges(START, path, path_map)

    def set_entry_point(self, key: str) -> StateGraph:
        """Same as ``add_edge(START, key)``."""
        return self.add_edge(START, key)

    def set_finish_point(self, key: str) -> StateGraph:
        """Same as ``add_edge(key, END)``."""
        return self.add_edge(key, END)

    def compile(
        self,
        *,
        cancel_grace: float = 5.0,
        outer_cancel: Literal["graceful", "hard"] = "graceful",
        cleanup_timeout: float | None = None,
        kill_timeout: float = 1.0,
        journal: Any = None,
        name: str | None = None,
        executor: Executor | None = None,
        checkpointer: Any = None,
        interrupt_before: Sequence[str] | Literal["*"] | None = None,
        interrupt_after: Sequence[str] | Literal["*"] | None = None,
        cache: InMemoryCache | None = None,
        store: Any = None,
    ) -> CompiledGraph:
        """Check the graph and return it ready to run; ``GraphError`` names every problem.

        ``cancel_grace``: seconds a stopped node has to answer before escalation.
        ``outer_cancel``: ``"graceful"`` turns cancelling the task awaiting ``ainvoke`` or
        iterating ``astream`` into a stop (cleanup runs, then CancelledError is re-raised);
        ``"hard"`` kills the run at once, as LangGraph does.
        ``cleanup_timeout``: seconds a node started after a stop may run (None: no limit).
        ``kill_timeout``: seconds ``kill()`` keeps cancelling a node task that will not end.
        ``journal``: where every run's events go (an ``actors.Journal``), if anywhere.
        ``executor``: where node functions run (default: this process, on the run's loop;
        ``graphstage.ray.RayExecutor(...)``: a pool of Ray actors). Each node placed on an
        executor is checked here (for Ray: that it can be shipped).
        ``checkpointer``: where threads keep their checkpoints (``InMemorySaver()``,
        ``SqliteSaver(path)``, whose file also becomes the journal); runs given
        ``config={"configurable": {"thread_id": ...}}`` then continue their thread.
        ``interrupt_before`` / ``interrupt_after``: nodes every run on a thread pauses
        before / after (``"*"``: all), as LangGraph's breakpoints.
        ``cache``: where nodes added with a ``cache_policy`` keep their results
        (``InMemoryCache()``); without one, cache policies are ignored, as in LangGraph.
        ``store``: long-term memory shared by every run and thread (``graphstage.store``'s
        or LangGraph's ``InMemoryStore()``), handed to nodes that take ``store`` and as
        ``runtime.store``.
        """
        from ._graph import CompiledGraph

        problems = list(self._problems)
        known = ", ".join(self.nodes) or "(none yet)"

        def check(name: str, what: str) -> None:
            if name not in self.nodes and name not in (START, END):
                problems.append(
                    f"{what}: node '{name}' does not exist; add it with "
                    f"add_node('{name}', ...) first (known nodes: {known})"
                )

        for src, dst in self.edges:
            check(src, f"add_edge('{src}', '{dst}')")
            check(dst, f"add_edge('{src}', '{dst}')")
            if dst == START:
                problems.append(f"add_edge('{src}', START): no edge may lead into START")
            if src == END:
                problems.append(f"add_edge(END, '{dst}'): no edge may leave END")
        for sources, dst in self.joins:
            for src in sources:
                check(src, f"add_edge({list(sources)!r}, '{dst}')")
            check(dst, f"add_edge({list(sources)!r}, '{dst}')")
        for branch in self.branches:
            check(branch.source, f"add_conditional_edges('{branch.source}', ...)")
            for target in branch.targets():
                check(target, f"the path_map of add_conditional_edges('{branch.source}', ...)")
        for spec in self.nodes.values():
            if spec.on_cancel is not None:
                check(spec.on_cancel, f"add_node('{spec.name}', on_cancel='{spec.on_cancel}')")
            for dst in spec.destinations:
                check(dst, f"add_node('{spec.name}', destinations=...)")
        if not any(src == START for src, _ in self.edges) and not any(
            b.source == START for b in self.branches
        ):
            problems.append("the graph has no entry point: add add_edge(START, 'first_node')")
        for what, seconds in (("cancel_grace", cancel_grace), ("kill_timeout", kill_timeout)):
            if not _positive_seconds(seconds):
                problems.append(
                    f"{what} must be a finite positive number of seconds, not {seconds!r}"
                )
        if cleanup_timeout is not None and not _positive_seconds(cleanup_timeout):
            problems.append(
                f"cleanup_timeout must be a finite positive number of seconds, or None (no "
                f"limit), not {cleanup_timeout!r}"
            )
        if outer_cancel not in ("graceful", "hard"):
            problems.append(f"outer_cancel must be 'graceful' or 'hard', not {outer_cancel!r}")
        from ._subgraph import SubgraphNode

        # a subgraph node only waits for its own run, whose nodes go where the subgraph
        # was compiled to put them: it stays here unless placed explicitly
        executors = {
            n: self.placements.get(
                n, LOCAL if isinstance(spec.fn, SubgraphNode) else executor or LOCAL
            )
            for n, spec in self.nodes.items()
        }
        for node, placed in executors.items():
            if not (callable(getattr(placed, "prepare", None)) and hasattr(placed, "handle")):
                problems.append(
                    f"node '{node}': executor {placed!r} is not an executor (it needs "
                    f"prepare() and handle(); e.g. LocalExecutor() or graphstage.ray.RayExecutor)"
                )
                continue
            try:
                placed.prepare(self.nodes[node])
            except GraphError as exc:
                problems.append(str(exc))
        breakpoints = {
            "interrupt_before": _names(interrupt_before),
            "interrupt_after": _names(interrupt_after),
        }
        for option, names in breakpoints.items():
            for name in names:
                if name != "*" and name not in self.nodes:
                    problems.append(f"{option} names node '{name}', which does not exist")
        if checkpointer is not None and not _is_saver(checkpointer):
            problems.append(
                f"checkpointer={checkpointer!r} is not a graphstage saver; use "
                f"graphstage's InMemorySaver() or SqliteSaver(path)"
            )
        if store is not None and not is_store(store):
            problems.append(f"store={store!r} is not a store; use InMemoryStore()")
        if problems:
            raise GraphError("; ".join(problems))
        compiled = CompiledGraph(
            self,
            cancel_grace=cancel_grace,
            outer_cancel=outer_cancel,
            cleanup_timeout=cleanup_timeout,
            kill_timeout=kill_timeout,
            journal=journal,
            name=name or self.name,
            executors=executors,
            checkpointer=checkpointer,
            interrupt_before=breakpoints["interrupt_before"],
            interrupt_after=breakpoints["interrupt_after"],
            cache=cache,
        )
        if store is not None:  # travels in every run's config, as the context does
            compiled.store = store
            compiled.config[STORE_KEY] = store
        return compiled


def _positive_seconds(value: object) -> bool:
    """A time limit the supervisor can wait on: a real, finite, positive number (NaN
    compares false with everything, so a NaN grace would never expire: a busy loop)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _names(value: Sequence[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _is_saver(value: Any) -> bool:
    from .checkpoint import BaseCheckpointSaver

    return isinstance(value, BaseCheckpointSaver)
