"""A LangGraph ``@entrypoint`` run on graphstage: ``from_langgraph`` of its ``Pregel``.

The entrypoint's function becomes a graphstage ``Entrypoint`` (``graphstage.func``), called
with a LangGraph config set as langchain-core's current one, so that LangGraph's
``interrupt()``, ``get_stream_writer()`` and ``get_config()`` work inside it, and its
``entrypoint.final`` is graphstage's. LangGraph's ``@task`` functions it calls are
LangGraph objects the program holds: ``install_task_shim`` makes a call of one inside a
graphstage entrypoint (or graph node) start it as a graphstage task, with its retry and
cache policies; outside graphstage it is LangGraph's own call, unchanged.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from .._errors import GraphError
from .._node import _current_ctx
from ..func import Entrypoint, TaskFunction
from ..func._execution import current_execution
from ..func._node import Final
from ._errors import as_langgraph_error
from ._nodes import _interrupted, langgraph_config


def is_langgraph_entrypoint(obj: Any) -> bool:
    """A LangGraph ``Pregel`` made by ``@entrypoint`` (one node, a ``__previous__``
    channel)."""
    from langgraph.pregel import Pregel

    return (
        isinstance(obj, Pregel)
        and len(obj.nodes) == 1
        and "__previous__" in obj.channels
        and obj.input_channels == "__start__"
    )


def from_entrypoint(pregel: Any, **compile_options: Any) -> Entrypoint:
    """The graphstage ``Entrypoint`` running a LangGraph entrypoint's function."""
    from ._adapter import _cache, _checkpointer, _retry

    name, node = next(iter(pregel.nodes.items()))
    bound = node.bound
    func = bound.func if getattr(bound, "func", None) is not None else bound.afunc
    saver = pregel.checkpointer
    options: dict[str, Any] = {}
    if saver not in (None, False):
        options["checkpointer"] = _checkpointer(saver)
        if options["checkpointer"] is None:
            raise GraphError(
                f"this LangGraph entrypoint uses a checkpointer ({type(saver).__name__}): only "
                f"LangGraph's InMemorySaver is carried over (as graphstage's); use "
                f"graphstage.checkpoint's SqliteSaver"
            )
    if pregel.cache is not None:
        options["cache"] = _cache(pregel.cache)
        if options["cache"] is None:
            raise GraphError(
                f"this LangGraph entrypoint uses a cache ({type(pregel.cache).__name__}): only "
                f"LangGraph's InMemoryCache is carried over (as graphstage's)"
            )
    if getattr(node, "timeout", None) is not None:
        raise GraphError(
            "this LangGraph entrypoint has a timeout: graphstage does not carry over an "
            "entrypoint's or a task's timeout (use cancel_grace and run.stop())"
        )
    install_task_shim()
    carried = Entrypoint(
        _langgraph_call(func, name),
        store=pregel.store,
        context_schema=pregel.context_schema,
        retry_policy=_retry(pregel.retry_policy),
        name=name,
        **{**options, **compile_options},
    )
    carried._as_raised = as_langgraph_error  # its callers catch LangGraph's errors
    return carried


def _langgraph_call(func: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``func`` called in a LangGraph config of its own (a fresh scratchpad: its
    ``interrupt()`` calls count from 0), its ``final`` made graphstage's."""
    takes_config = "config" in inspect.signature(func).parameters

    def enter(kwargs: dict[str, Any]) -> tuple[Any, Any]:
        from langchain_core.runnables.config import var_child_runnable_config

        ctx = _current_ctx.get()
        config: dict[str, Any] = (
            langgraph_config(ctx.config, ctx.writer, ctx.node, ctx.step) if ctx else {}
        )
        if takes_config and "config" in kwargs:
            kwargs["config"] = config
        return var_child_runnable_config, var_child_runnable_config.set(config)  # type: ignore[arg-type]

    def answer(value: Any) -> Any:
        if type(value).__name__ == "final" and type(value).__module__.startswith("langgraph"):
            return Final(value.value, value.save)
        return value

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def call_async(*args: Any, **kwargs: Any) -> Any:
            from langgraph.errors import GraphInterrupt

            var, token = enter(kwargs)
            try:
                return answer(await func(*args, **kwargs))
            except GraphInterrupt as exc:
                return _interrupted(exc)
            finally:
                var.reset(token)

        call_async.__name__ = name
        return call_async

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        from langgraph.errors import GraphInterrupt

        var, token = enter(kwargs)
        try:
            return answer(func(*args, **kwargs))
        except GraphInterrupt as exc:
            return _interrupted(exc)
        finally:
            var.reset(token)

    call.__name__ = name
    return call


_installed = False


def install_task_shim() -> None:
    """Make LangGraph's ``@task`` calls inside graphstage start graphstage tasks (once)."""
    global _installed
    if _installed:
        return
    from langgraph.func import _TaskFunction

    original = _TaskFunction.__call__

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Any:
        if _in_langgraph() or current_execution() is None:
            return original(self, *args, **kwargs)
        shim = self.__dict__.get("_graphstage_task")
        if shim is None:
            shim = self._graphstage_task = _as_graphstage_task(self)
        return shim(*args, **kwargs)

    _TaskFunction.__call__ = __call__  # type: ignore[method-assign]
    _installed = True


def _in_langgraph() -> bool:
    """LangGraph's own runtime runs the caller (a LangGraph graph invoked inside a
    graphstage node): its task call is LangGraph's."""
    from langchain_core.runnables.config import var_child_runnable_config
    from langgraph._internal._constants import CONFIG_KEY_CALL

    config = var_child_runnable_config.get() or {}
    return CONFIG_KEY_CALL in (config.get("configurable") or {})


def _as_graphstage_task(langgraph_task: Any) -> TaskFunction[Any]:
    from ._adapter import _cache_policy, _retry

    func = langgraph_task.func
    name = getattr(func, "__name__", "task")
    if getattr(langgraph_task, "timeout", None) is not None:
        raise GraphError(
            f"task '{name}' has a timeout: graphstage does not carry over a task's timeout "
            f"(use cancel_grace and run.stop())"
        )
    retry = _retry(langgraph_task.retry_policy)
    return TaskFunction(
        _langgraph_call(func, name),
        retry_policy=() if retry is None else [retry] if not isinstance(retry, list) else retry,
        cache_policy=_cache_policy(langgraph_task.cache_policy),
        name=name,
    )
