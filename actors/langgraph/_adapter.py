"""``from_langgraph``: a LangGraph builder read into a graphstage ``StateGraph``."""

from __future__ import annotations

from typing import Any

from .._builder import StateGraph
from .._errors import GraphError
from .._graph import CompiledGraph
from ._errors import as_langgraph_error
from ._func import is_langgraph_entrypoint
from ._nodes import branch_function, node_function


def is_langgraph_graph(obj: Any) -> bool:
    """True for a LangGraph ``StateGraph`` or ``CompiledStateGraph`` (without importing
    LangGraph when the object cannot be one)."""
    module = type(obj).__module__
    if not module.startswith("langgraph."):
        return False
    from langgraph.graph.state import CompiledStateGraph
    from langgraph.graph.state import StateGraph as LangGraphStateGraph

    return isinstance(obj, LangGraphStateGraph | CompiledStateGraph)


def is_langgraph_app(obj: Any) -> bool:
    """A LangGraph graph, or any other LangGraph Pregel app (its functional API's
    ``@entrypoint``, which ``from_langgraph`` runs; a raw ``Pregel``, which it refuses by
    name)."""
    if not type(obj).__module__.startswith("langgraph."):
        return False
    from langgraph.pregel import Pregel

    return is_langgraph_graph(obj) or isinstance(obj, Pregel)


def from_langgraph(obj: Any, **compile_options: Any) -> CompiledGraph:
    """Carry a LangGraph graph over to graphstage; ``compile_options`` go to graphstage's
    ``compile()`` (``cancel_grace``, ``journal``...). Raises ``GraphError`` naming every
    feature that cannot be carried over."""
    from langgraph.graph.state import CompiledStateGraph
    from langgraph.graph.state import StateGraph as LangGraphStateGraph

    from ._func import install_task_shim

    install_task_shim()  # a LangGraph @task called in a node starts a graphstage task
    if isinstance(obj, LangGraphStateGraph) and _has_defaults(obj):
        obj = obj.compile()  # set_node_defaults(...) apply to the nodes when compiled
    if isinstance(obj, CompiledStateGraph):
        compiled: Any = obj
        builder: Any = obj.builder
    elif isinstance(obj, LangGraphStateGraph):
        compiled, builder = None, obj
    elif is_langgraph_app(obj):
        from ._func import from_entrypoint

        if is_langgraph_entrypoint(obj):  # the functional API: graphstage.func's Entrypoint
            return from_entrypoint(obj, **compile_options)
        raise GraphError(
            f"a LangGraph {type(obj).__name__} built neither with a StateGraph nor with "
            f"@entrypoint (a raw Pregel): graphstage runs StateGraphs and entrypoints only"
        )
    else:
        raise GraphError(
            f"{type(obj).__name__} is not a LangGraph StateGraph or CompiledStateGraph"
        )
    problems = _refusals(compiled, builder)
    if problems:
        raise GraphError(
            "this LangGraph graph uses what graphstage cannot carry over: " + "; ".join(problems)
        )
    name = getattr(compiled, "name", None)
    if not name or name == "LangGraph":
        name = builder.state_schema.__name__
    graph = StateGraph(
        builder.state_schema,
        getattr(builder, "context_schema", None),
        input_schema=_own(builder, "input_schema"),
        output_schema=_own(builder, "output_schema"),
        name=name,
    )
    for node, spec in builder.nodes.items():
        if getattr(spec, "is_error_handler", False):
            continue  # carried over with the node it answers for
        handler = getattr(spec, "error_handler_node", None)
        ends = spec.ends
        destinations = tuple(ends.values() if isinstance(ends, dict) else ends or ())
        input_schema = spec.input_schema
        runnable = spec.runnable
        action: Any = (  # a compiled LangGraph subgraph (or entrypoint) is carried over
            from_langgraph(runnable)
            if is_langgraph_graph(runnable) or is_langgraph_entrypoint(runnable)
            else node_function(node, runnable)
        )
        graph.add_node(
            node,
            action,
            destinations=destinations,
            input_schema=None if input_schema is builder.state_schema else input_schema,
            defer=bool(getattr(spec, "defer", False)),
            retry_policy=_retry(spec.retry_policy),
            cache_policy=_cache_policy(spec.cache_policy),
            timeout=_timeout(getattr(spec, "timeout", None)),
            error_handler=(
                node_function(handler, builder.nodes[handler].runnable) if handler else None
            ),
        )
    for src, dst in sorted(builder.edges):
        graph.add_edge(src, dst)
    for starts, dst in sorted(builder.waiting_edges):
        graph.add_edge(list(starts), dst)
    for source, branches in builder.branches.items():
        for branch in branches.values():
            graph.add_conditional_edges(source, branch_function(source, branch.path), branch.ends)
    if compiled is not None:
        options: dict[str, Any] = {}
        saver = _checkpointer(compiled.checkpointer)
        if saver is not None:
            options["checkpointer"] = saver
        cache = _cache(getattr(compiled, "cache", None))
        if cache is not None:
            options["cache"] = cache
        if compiled.store is not None:  # used as it is: nodes only call its methods
            options["store"] = compiled.store
        for when in ("before", "after"):
            nodes = getattr(compiled, f"interrupt_{when}_nodes", ())
            if nodes:
                options[f"interrupt_{when}"] = "*" if nodes == "*" else list(nodes)
        compile_options = {**options, **compile_options}
    carried = graph.compile(**compile_options)
    carried._as_raised = as_langgraph_error  # its callers catch LangGraph's errors
    return carried


def _checkpointer(saver: Any) -> Any:
    """graphstage's counterpart of a LangGraph checkpointer, where there is one: a fresh
    ``InMemorySaver`` for LangGraph's (whose threads live only in this process anyway)."""
    from langgraph.checkpoint.memory import InMemorySaver as LangGraphMemory

    from ..checkpoint import InMemorySaver

    return InMemorySaver() if type(saver) is LangGraphMemory else None


def _own(builder: Any, attr: str) -> Any:
    """The builder's input/output schema when it differs from its state schema."""
    schema = getattr(builder, attr, None)
    return None if schema is None or schema is builder.state_schema else schema


def _refusals(compiled: Any, builder: Any) -> list[str]:
    from langgraph.pregel import Pregel

    out: list[str] = []
    if compiled is not None:
        saver = compiled.checkpointer
        if saver not in (None, False) and _checkpointer(saver) is None:
            out.append(
                f"a checkpointer ({type(saver).__name__}): only LangGraph's InMemorySaver is "
                f"carried over (as graphstage's); use graphstage.checkpoint's SqliteSaver"
            )
        cache = getattr(compiled, "cache", None)
        if cache is not None and _cache(cache) is None:
            out.append(
                f"a cache ({type(cache).__name__}): only LangGraph's InMemoryCache is carried "
                f"over (as graphstage's)"
            )
    for node, spec in builder.nodes.items():
        runnable = spec.runnable
        if (
            isinstance(runnable, Pregel)
            and not is_langgraph_graph(runnable)
            and not is_langgraph_entrypoint(runnable)
        ):
            out.append(f"node '{node}' is a Pregel graph that is not a StateGraph")
        timeout = getattr(spec, "timeout", None)
        if timeout is not None and getattr(timeout, "idle_timeout", None) is not None:
            out.append(f"node '{node}' has an idle_timeout (only run_timeout carries over)")
    return out


def _has_defaults(builder: Any) -> bool:
    """``set_node_defaults(...)`` was called on this (uncompiled) LangGraph builder."""
    defaults = getattr(builder, "_node_defaults", None)
    return defaults is not None and any(
        getattr(defaults, name, None) is not None
        for name in ("retry_policy", "cache_policy", "error_handler", "timeout")
    )


def _cache(cache: Any) -> Any:
    """graphstage's ``InMemoryCache`` for LangGraph's (a fresh one: it lives in memory)."""
    from langgraph.cache.memory import InMemoryCache as LangGraphCache

    from .._policies import InMemoryCache

    return InMemoryCache() if type(cache) is LangGraphCache else None


def _retry(policy: Any) -> Any:
    """LangGraph's ``RetryPolicy`` (or a list of them) as graphstage's: the same fields."""
    from .._policies import RetryPolicy

    if not policy:
        return None
    if isinstance(policy, tuple) and hasattr(policy, "_asdict"):
        return RetryPolicy(**policy._asdict())
    return [RetryPolicy(**p._asdict()) for p in policy]


def _cache_policy(policy: Any) -> Any:
    """LangGraph's ``CachePolicy`` as graphstage's (its key function and ttl)."""
    from .._policies import CachePolicy

    if policy is None:
        return None
    return CachePolicy(key_func=policy.key_func, ttl=policy.ttl)


def _timeout(policy: Any) -> float | None:
    """A LangGraph ``TimeoutPolicy``'s ``run_timeout`` (seconds per attempt), graphstage's
    ``timeout``."""
    run_timeout = getattr(policy, "run_timeout", None)
    return None if run_timeout is None else float(run_timeout)
