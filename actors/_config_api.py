"""``get_config()`` and ``get_store()``: what ``langgraph.config`` gives code running inside a
node (a helper, a tool) that cannot take ``config`` or ``store`` as a parameter.

Both read the run whose supervisor started the node (its task's context, which a node's
task and a sync node's worker thread inherit) and the node's context (its name and step).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._context import CONTEXT_KEY, STORE_KEY, Runtime
from ._node import NodeContext, _current_ctx
from ._stream import EVENTS_KEY, node_config
from ._subgraph import CURRENT_RUN


def get_config() -> dict[str, Any]:
    """The running node's config, as a node taking ``config`` receives it (LangGraph's
    shape: ``configurable``, the node's ``metadata``); ``RuntimeError`` outside a node,
    as LangGraph's."""
    ctx = _host_ctx()
    if ctx is not None:  # a node on a Ray host: its config came with it
        return node_config(ctx.config, ctx.run_id, ctx.node, ctx.step, ctx.task)
    run, node, step = _running()
    config = run._supervisor.config
    ctx = _current_ctx.get()
    if EVENTS_KEY in config:  # the run reports to callbacks: the node's callback run's
        from .langchain.callback_runs import current_node_run

        node_run = current_node_run(ctx) if ctx is not None else None
        if node_run is not None:
            return node_run.config
    return node_config(config, run.run_id, node, step, ctx.task if ctx else None)


def get_store() -> Any:
    """The store the running graph was compiled with (``compile(store=...)``), or None;
    ``RuntimeError`` outside a node, as LangGraph's."""
    ctx = _host_ctx()
    if ctx is not None:  # a node on a Ray host: the store in the driver, reached from there
        return ctx.config.get(STORE_KEY)
    run, _, _ = _running()
    return run._supervisor.config.get(STORE_KEY)


def running_runtime() -> Runtime[Any] | None:
    """The running node's ``Runtime`` (for ``get_runtime()`` in a node that does not take
    ``runtime``), or None outside a node."""
    ctx = _host_ctx()
    if ctx is not None:
        config = ctx.config
    else:
        try:
            run, _, _ = _running()
        except RuntimeError:
            return None
        config = run._supervisor.config
        ctx = _current_ctx.get()
        assert ctx is not None
    return Runtime(
        context=config.get(CONTEXT_KEY), store=config.get(STORE_KEY), stream_writer=ctx.writer
    )


def _running() -> tuple[Any, str, int]:
    run = CURRENT_RUN.get()
    ctx = _current_ctx.get()
    if run is None or getattr(run, "_supervisor", None) is None or ctx is None:
        raise RuntimeError("Called get_config outside of a runnable context")
    return run, ctx.node, ctx.step


def merge_configs(base: Mapping[str, Any], other: Mapping[str, Any] | None) -> dict[str, Any]:
    """``base`` (a graph's ``with_config``) overridden by ``other`` (a run's config) as
    LangGraph merges them: ``configurable`` and ``metadata`` key by key, ``tags`` joined
    (sorted, once each), ``callbacks`` lists joined; any other key replaced. None values
    of ``other`` leave ``base``'s."""
    out = dict(base)
    for key, value in (other or {}).items():
        if value is None:
            continue
        mine = out.get(key)
        if key in ("configurable", "metadata") and isinstance(value, Mapping):
            out[key] = {**(mine or {}), **value}
        elif key == "tags" and isinstance(mine, list | tuple):
            out[key] = sorted({*mine, *value})
        elif key == "callbacks" and isinstance(mine, list) and isinstance(value, list):
            out[key] = [*mine, *value]
        else:
            out[key] = value
    return out


def _host_ctx() -> NodeContext | None:
    """The running node's context when it runs on a Ray host (no run of its own there:
    the run, its supervisor and the store stay in the driver); else None."""
    ctx = _current_ctx.get()
    return ctx if ctx is not None and CURRENT_RUN.get() is None else None
