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

The runs themselves are ``callback_runs.py``'s. Nothing here runs unless a run has
callbacks: the node actor asks for a ``NodeRun`` only then (``EVENTS_KEY`` in the run's
config).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from langchain_core.callbacks.base import BaseCallbackManager
from langchain_core.runnables.config import (
    get_async_callback_manager_for_config,
    merge_configs,
    var_child_runnable_config,
)
from langchain_core.utils.aiter import aclosing

from .._stream import EVENTS_KEY
from .callback_runs import GraphRun, NodeRun, current_node_run

if TYPE_CHECKING:
    from .._graph import CompiledGraph

__all__ = [
    "GraphRun",
    "NodeRun",
    "ambient_manager",
    "astream_events",
    "current_node_run",
    "events_name",
    "open_graph_run",
    "traced_invoke",
    "traced_stream",
]

_PROPAGATED = (
    "thread_id",
    "checkpoint_id",
    "checkpoint_ns",
    "task_id",
    "run_id",
    "assistant_id",
    "graph_id",
)


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
