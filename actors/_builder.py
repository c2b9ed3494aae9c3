"""``StateGraph``: the builder. Add nodes and edges, then ``compile()`` a runnable graph."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from ._branch import Branch
from ._constants import END, START
from ._context import STORE_KEY
from ._destinations import command_targets, destinations_arg
from ._errors import GraphError
from ._node import NodeSpec
from ._node_options import NodeOptions, node_function, uses_defaults
from ._policies import (
    CachePolicy,
    InMemoryCache,
    RetryPolicy,
    TimeoutPolicy,
)
from ._validation import check_compile
from .langchain.runnables import is_runnable, runnable_name, runnable_node
from .state import StateSchema
from .state.inputs import declared_input_schema

if TYPE_CHECKING:
    from ._graph import CompiledGraph
    from .executors import Executor


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
        # node name -> the policies add_node was given (set_node_defaults fills the gaps)
        self._options: dict[str, NodeOptions] = {}
        # set_node_defaults(...): policy name -> value
        self._defaults: dict[str, Any] = {}

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
        timeout: float | timedelta | TimeoutPolicy | None = None,
        error_handler: Callable[..., Any] | None = None,
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
        ``timeout`` (seconds, a ``timedelta`` or a ``TimeoutPolicy``, async nodes only)
        cancels an attempt that runs longer (see ``graphstage._policies.with_timeout``) with
        ``NodeTimeoutError``; ``error_handler`` answers for the node when it raises (see
        ``graphstage._error_handler``).

        A compiled graph as ``action`` is a subgraph: it runs on the keys it shares with
        this graph and its output updates them (see ``graphstage._subgraph``; a Stop
        reaches the subgraph's active node first).
        """
        from ._graph import CompiledGraph
        from ._subgraph import SubgraphNode

        if (
            action is not None
            and not isinstance(node, str)
            and (callable(node) or is_runnable(node))
        ):
            # as LangGraph: add_node(fn_or_runnable, ...) names the node after it and ignores
            # a second argument (the SQL agent tutorial passes add_node(tool_node, "name"))
            action = None
        if action is None:
            if isinstance(node, str):
                raise GraphError(f"add_node('{node}'): pass the node function too")
            named: str = (
                node.name  # as LangGraph names it: compile(name=...), an agent's name=
                if isinstance(node, CompiledGraph)
                else runnable_name(node)
                if is_runnable(node)
                else getattr(node, "__name__", type(node).__name__)
            )
            action, node = node, named
        as_node = getattr(action, "graphstage_node", None)
        if callable(as_node):  # a graph run as a call, not as a subgraph (an entrypoint)
            action = as_node()
        elif isinstance(action, CompiledGraph):
            action = SubgraphNode(action, self.schema)
        elif is_runnable(action):  # a LangChain Runnable (LangGraph's ToolNode...)
            action = runnable_node(str(node), action)
        if not isinstance(node, str) or not node:
            raise GraphError(f"a node name must be a non-empty string, got {node!r}")
        if node in (START, END):
            self._problems.append(f"'{node}' is reserved for START/END; rename the node")
        elif node in self.nodes:
            self._problems.append(f"node '{node}' is added twice; node names must be unique")
        else:
            implied = destinations_arg(destinations) or command_targets(action)
            options = self._options[node] = NodeOptions(
                action, retry_policy, timeout, error_handler
            )
            fn = node_function(node, options, {}, self._problems)
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

    def set_node_defaults(
        self,
        *,
        retry_policy: RetryPolicy | Sequence[RetryPolicy] | None = None,
        cache_policy: CachePolicy | None = None,
        error_handler: Callable[..., Any] | None = None,
        timeout: float | timedelta | TimeoutPolicy | None = None,
    ) -> StateGraph:
        """Policies for every node that does not set its own, applied by ``compile()``, as
        LangGraph 1.2's ``set_node_defaults`` (a subgraph node keeps its own nodes')."""
        given = {
            "retry_policy": retry_policy,
            "cache_policy": cache_policy,
            "error_handler": error_handler,
            "timeout": timeout,
        }
        self._defaults.update({k: v for k, v in given.items() if v is not None})
        return self

    def _apply_defaults(self) -> list[str]:
        """Rebuild the nodes a default applies to; the problems that makes."""
        defaults = self._defaults
        problems: list[str] = []
        for node, options in self._options.items():
            spec = self.nodes[node]
            if uses_defaults(options, defaults):
                fn = node_function(node, options, defaults, problems)
                self.nodes[node] = NodeSpec(node, fn, spec.on_cancel, spec.destinations)
            if "cache_policy" in defaults:
                self.cache_policies.setdefault(node, defaults["cache_policy"])
        return problems

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
        if isinstance(path_map, str):
            # as LangGraph: a path_map that is neither a dict nor a list is not read (the
            # path's -> Literal[...] annotation says where it goes); its docs pass a name
            path_map = None
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
        checkpointer: Any = None,
        *,
        cancel_grace: float = 5.0,
        outer_cancel: Literal["graceful", "hard"] = "graceful",
        cleanup_timeout: float | None = None,
        kill_timeout: float = 1.0,
        journal: Any = None,
        name: str | None = None,
        executor: Executor | None = None,
        interrupt_before: Sequence[str] | Literal["*"] | None = None,
        interrupt_after: Sequence[str] | Literal["*"] | None = None,
        cache: InMemoryCache | None = None,
        store: Any = None,
        debug: bool = False,
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
        ``config={"configurable": {"thread_id": ...}}`` then continue their thread. For a
        graph run as a subgraph (whose checkpoints live in its parent's thread):
        ``checkpointer=True`` keeps its state from one run of the parent to the next,
        ``False`` keeps no checkpoints, as LangGraph's.
        ``interrupt_before`` / ``interrupt_after``: nodes every run on a thread pauses
        before / after (``"*"``: all), as LangGraph's breakpoints. ``debug`` is taken, as
        LangGraph's, and prints nothing (the window and the journal show each step).
        ``cache``: where nodes added with a ``cache_policy`` keep their results
        (``InMemoryCache()``); without one, cache policies are ignored, as in LangGraph.
        ``store``: long-term memory shared by every run and thread (``graphstage.store``'s
        or LangGraph's ``InMemoryStore()``), handed to nodes that take ``store`` and as
        ``runtime.store``.
        """
        from ._graph import CompiledGraph

        kept = self._problems
        if self._defaults:
            self._problems = kept + self._apply_defaults()
        try:
            executors, breakpoints = check_compile(
                self,
                cancel_grace=cancel_grace,
                outer_cancel=outer_cancel,
                cleanup_timeout=cleanup_timeout,
                kill_timeout=kill_timeout,
                executor=executor,
                checkpointer=checkpointer,
                interrupt_before=interrupt_before,
                interrupt_after=interrupt_after,
                store=store,
            )
        finally:
            self._problems = kept
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
