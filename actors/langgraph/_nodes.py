"""A LangGraph node or path function, called as LangGraph calls it, inside a graphstage node.

The node's function keeps LangGraph's calling convention: its runnable is invoked with a
LangGraph config (``configurable`` carries a ``Runtime`` whose ``stream_writer`` is the
graphstage node's writer), set as langchain-core's current config so that
``get_stream_writer()`` and ``get_config()`` work inside it. An ``async def`` node runs in
the node's own task, so graphstage's Stop (a cancellation of that task) reaches it at its
current ``await``; a plain ``def`` node runs in a worker thread, as graphstage's do.
What it returns is translated: LangGraph's ``Command`` and ``Send`` become graphstage's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anyio.to_thread

from .._command import Command, Send, Writes
from .._context import CONTEXT_KEY, STORE_KEY, SYNC_KEY
from .._errors import GraphError
from .._interrupt import _slot, interrupt
from .._node import NodeContext
from .._stream import EVENTS_KEY
from ._tools import accepting_own_commands

# what a LangGraph config may carry over from the run's config (graphstage's own keys,
# such as its run_id, stay out: LangGraph reads "run_id" as a tracing id)
_CONFIG_KEYS = ("tags", "metadata", "callbacks", "recursion_limit", "run_name", "max_concurrency")


class _Scratchpad:
    """Stands in for LangGraph's scratchpad, so that LangGraph's ``interrupt()`` reads the
    answers graphstage's own ``interrupt()`` would (see ``_interrupted``)."""

    def __init__(self) -> None:
        self._count = 0

    def interrupt_counter(self) -> int:
        index = self._count
        self._count += 1
        return index

    @property
    def resume(self) -> list[Any]:
        slot = _slot.get()
        return list(slot.answers) if slot is not None else []

    def get_null_resume(self, consume: bool = False) -> None:
        return None


def _ignore_writes(_writes: Any) -> None:
    """LangGraph's interrupt() records its answers as writes: graphstage keeps its own."""


def _interrupted(error: Any) -> None:
    """LangGraph's ``interrupt()`` found no answer: ask graphstage's, which pauses the run
    (with a checkpointer and a thread), raises CancelledError after a stop, or explains
    what it needs."""
    value = error.args[0][0].value if error.args and error.args[0] else None
    slot = _slot.get()
    if slot is not None:
        slot.index = len(slot.answers)  # LangGraph answered the earlier calls already
    interrupt(value)


def langgraph_config(
    config: Mapping[str, Any], writer: Callable[[Any], None], node: str | None, step: int
) -> dict[str, Any]:
    """The config a LangGraph node sees: the run's, with a ``Runtime`` in it."""
    from langgraph._internal._constants import (
        CONFIG_KEY_CHECKPOINT_NS,
        CONFIG_KEY_RUNTIME,
        CONFIG_KEY_SCRATCHPAD,
        CONFIG_KEY_SEND,
    )
    from langgraph.runtime import Runtime

    traced = _traced(config)
    out = {k: traced[k] for k in _CONFIG_KEYS if k in traced}
    configurable = dict(config.get("configurable") or {})
    configurable[CONFIG_KEY_RUNTIME] = Runtime(
        context=config.get(CONTEXT_KEY), store=config.get(STORE_KEY), stream_writer=writer
    )
    configurable[CONFIG_KEY_SCRATCHPAD] = _Scratchpad()
    configurable[CONFIG_KEY_SEND] = _ignore_writes
    configurable.setdefault(CONFIG_KEY_CHECKPOINT_NS, "")
    out["configurable"] = configurable
    metadata = dict(out.get("metadata") or {})
    if node is not None and traced is config:
        metadata.update(langgraph_node=node, langgraph_step=step)
    out["metadata"] = metadata
    return out


def _traced(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """In a run that reports to LangChain callbacks (``astream_events``), the config of
    the callback run this node or path function runs in (graphstage.langchain.events):
    the runnable reports under it, with LangGraph's tags and metadata; else ``config``."""
    if EVENTS_KEY not in config:
        return config
    from langchain_core.callbacks.base import BaseCallbackManager
    from langchain_core.runnables.config import var_child_runnable_config

    ambient = var_child_runnable_config.get()
    if ambient is not None and isinstance(ambient.get("callbacks"), BaseCallbackManager):
        return ambient
    return config


def _with_error(config: dict[str, Any], ctx: NodeContext) -> dict[str, Any]:
    """In an error handler: the failure it answers for, where LangGraph's handler reads it."""
    if ctx.error is not None:
        from langgraph._internal._constants import CONFIG_KEY_NODE_ERROR
        from langgraph.errors import NodeError

        error = NodeError(node=ctx.error.node, error=ctx.error.error)
        config["configurable"][CONFIG_KEY_NODE_ERROR] = error
    return config


def _call_sync(runnable: Any, state: Any, config: dict[str, Any]) -> Any:
    from langchain_core.runnables.config import var_child_runnable_config
    from langgraph.errors import GraphInterrupt

    token = var_child_runnable_config.set(config)  # type: ignore[arg-type]
    try:
        return runnable.invoke(state, config)
    except GraphInterrupt as exc:
        return _interrupted(exc)
    finally:
        var_child_runnable_config.reset(token)


async def _call_async(runnable: Any, state: Any, config: dict[str, Any]) -> Any:
    from langchain_core.runnables.config import var_child_runnable_config
    from langgraph.errors import GraphInterrupt

    token = var_child_runnable_config.set(config)  # type: ignore[arg-type]
    try:
        return await runnable.ainvoke(state, config)
    except GraphInterrupt as exc:
        return _interrupted(exc)
    finally:
        var_child_runnable_config.reset(token)


def _runs_sync(runnable: Any) -> bool:
    """A LangGraph function node with no async function: run it in a worker thread."""
    from langgraph._internal._runnable import RunnableCallable

    return isinstance(runnable, RunnableCallable) and runnable.afunc is None


def _has_sync(runnable: Any) -> bool:
    """A LangGraph function node with both a sync and an async function (a ToolNode, the
    model node of ``create_agent``)."""
    from langgraph._internal._runnable import RunnableCallable

    return isinstance(runnable, RunnableCallable) and runnable.func is not None


def node_function(name: str, runnable: Any) -> Callable[..., Any]:
    """A graphstage node function that runs the LangGraph node ``runnable``."""
    runnable = accepting_own_commands(runnable)
    if _runs_sync(runnable):

        def sync_node(state: Any, ctx: NodeContext) -> Any:
            config = _with_error(langgraph_config(ctx.config, ctx.writer, name, ctx.step), ctx)
            return translate(name, _call_sync(runnable, state, config))

        sync_node.__name__ = name
        sync_node.events_input = _as_sent  # type: ignore[attr-defined]
        return sync_node

    sync_too = _has_sync(runnable)

    async def async_node(state: Any, ctx: NodeContext) -> Any:
        config = _with_error(langgraph_config(ctx.config, ctx.writer, name, ctx.step), ctx)
        if sync_too and ctx.config.get(SYNC_KEY):
            # run from graph.invoke()/stream(): LangGraph's sync path, as LangGraph takes it
            # (a middleware with only a sync hook works there), in a worker thread
            call = functools.partial(_call_sync, runnable, state, config)
            return translate(name, await anyio.to_thread.run_sync(call, abandon_on_cancel=True))
        return translate(name, await _call_async(runnable, state, config))

    async_node.__name__ = name
    async_node.events_input = _as_sent  # type: ignore[attr-defined]
    return async_node


class _SentAsList(dict[str, Any]):
    """A tool call ``_send`` wrapped with its state, from a Send whose argument was a list
    of one tool call (``create_agent``'s; ``create_react_agent`` sends the wrapped form
    itself)."""


def _as_sent(state: Any) -> Any:
    """What a node's callback run shows as its input (astream_events): a tool call
    ``_send`` wrapped as the list LangGraph's Send carried."""
    return [state["tool_call"]] if isinstance(state, _SentAsList) else state


def _drop(_chunk: Any) -> None:
    """A path function has no writer of its own."""


def branch_function(source: str, path: Any) -> Callable[..., Any]:
    """A graphstage path function that runs the LangGraph branch ``path`` (a runnable)."""
    if _runs_sync(path):

        def sync_path(state: Any, config: dict[str, Any]) -> Any:
            result = _call_sync(path, state, langgraph_config(config, _drop, None, 0))
            return _destinations(source, result, state)

        sync_path.traces_itself = True  # type: ignore[attr-defined]
        return sync_path

    async def async_path(state: Any, config: dict[str, Any]) -> Any:
        result = await _call_async(path, state, langgraph_config(config, _drop, None, 0))
        return _destinations(source, result, state)

    async_path.traces_itself = True  # type: ignore[attr-defined]  # a runnable: its own run
    return async_path


def _is_tool_calls(arg: Any) -> bool:
    """A Send's input that is a list of tool calls, as ``create_agent`` sends to its
    ``ToolNode`` (which then reads the graph's state through Pregel's channels)."""
    return (
        isinstance(arg, list)
        and bool(arg)
        and isinstance(arg[-1], dict)
        and arg[-1].get("type") == "tool_call"
    )


def _send(value: Any, state: Any = None) -> Any:
    """LangGraph's ``Send`` as graphstage's. A list of tool calls sent from a conditional
    edge travels with the state the edge saw, in LangGraph's own ``ToolCallWithContext``
    form (one call each), since a graphstage Send's node has no channels to read."""
    from langgraph.types import Send as LangGraphSend

    if not isinstance(value, LangGraphSend):
        return value
    arg = value.arg
    if state is not None and _is_tool_calls(arg) and len(arg) == 1:
        arg = _SentAsList(__type="tool_call_with_context", tool_call=arg[0], state=state)
    return Send(value.node, arg, timeout=getattr(value, "timeout", None))


def _destinations(source: str, result: Any, state: Any = None) -> Any:
    if isinstance(result, str) or not isinstance(result, Sequence):
        return _send(result, state)
    return [_send(item, state) for item in result]


def translate(node: str, value: Any) -> Any:
    """A LangGraph node's return value as graphstage's (its Commands and Sends; a list of
    Commands, as ``create_agent``'s model node returns, item by item)."""
    from langgraph.types import Command as LangGraphCommand

    if isinstance(value, LangGraphCommand):
        return _command(node, value)
    if isinstance(value, list | tuple) and any(isinstance(v, LangGraphCommand) for v in value):
        return [_command(node, v) if isinstance(v, LangGraphCommand) else v for v in value]
    return value


def _command(node: str, command: Any) -> Command[Any]:
    from langgraph.types import Command as LangGraphCommand

    if command.graph not in (None, LangGraphCommand.PARENT):
        raise GraphError(
            f"node '{node}' returned Command(graph={command.graph!r}): a Command addresses "
            f"this graph (None) or its parent (Command.PARENT)"
        )
    if command.resume is not None:
        raise GraphError(
            f"node '{node}' returned Command(resume=...): a node cannot answer an interrupt; "
            f"resume the run with graphstage's Command(resume=...)"
        )
    update = command.update
    if update is not None and not isinstance(update, Mapping):
        pairs = command._update_as_tuples()
        update = dict(pairs)
        if len(update) != len(pairs):  # one key written twice: applied in order
            update = Writes({k: v} for k, v in pairs)
    goto = command.goto
    if isinstance(goto, str) or not isinstance(goto, Sequence):
        goto = _send(goto)
    else:
        goto = [_send(item) for item in goto]
    parent = Command.PARENT if command.graph == LangGraphCommand.PARENT else None
    return Command(update=update, goto=goto, graph=parent)
