"""``Runtime``: what a node may ask for as its ``runtime`` parameter, as in LangGraph.

``graph.ainvoke(input, context=...)`` passes a run-scoped context (a user id, a database
handle...) that nodes read as ``runtime.context``; ``runtime.stream_writer`` is the node's
``writer``; ``runtime.store`` the graph's store (``compile(store=...)``).
``StateGraph(State, context_schema=Ctx)`` turns a dict context into ``Ctx`` (a dataclass or
pydantic model), as LangGraph does.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

ContextT = TypeVar("ContextT")

CONTEXT_KEY = "__graphstage_context__"
"""Where a run's context travels in its config (nodes read it through ``runtime``)."""

SYNC_KEY = "__graphstage_sync__"
"""Set in a run's config when it was started by sync ``invoke``/``stream``: a LangGraph node
with a sync and an async function then takes the sync one, as LangGraph's ``invoke`` does."""

STORE_KEY = "__graphstage_store__"
"""Where the graph's store (``compile(store=...)``) travels in a run's config."""

StreamWriter = Callable[[Any], None]
"""The type of a node's ``writer``: call it with anything to send it to the custom stream."""


def _drop(_chunk: Any) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Runtime(Generic[ContextT]):
    """The run's context and tools, injected into a node that takes ``runtime``."""

    context: ContextT = field(default=None)  # type: ignore[assignment]
    """The ``context=`` the run was started with (None if none)."""
    store: Any = None
    """The graph's long-term store (``compile(store=...)``), or None."""
    stream_writer: StreamWriter = _drop
    """Sends custom output, like the node's ``writer``."""
    previous: Any = None
    """In an entrypoint (``graphstage.func``): what the thread's last call saved (its
    ``previous``); None in a graph node."""


_current: contextvars.ContextVar[Runtime[Any] | None] = contextvars.ContextVar(
    "graphstage_runtime", default=None
)


def runtime_for(config: dict[str, Any], writer: StreamWriter) -> Runtime[Any]:
    """The ``Runtime`` of one node execution; also what ``get_runtime()`` returns in it."""
    runtime: Runtime[Any] = Runtime(
        context=config.get(CONTEXT_KEY), store=config.get(STORE_KEY), stream_writer=writer
    )
    _current.set(runtime)
    return runtime


def get_runtime(context_schema: type[Any] | None = None) -> Runtime[Any]:
    """The running node's ``Runtime`` (``langgraph.runtime.get_runtime``), also in a node
    that does not take ``runtime`` and in what it calls (a tool, an agent's prompt
    function); outside a node, an empty one."""
    runtime = _current.get()
    if runtime is not None:
        return runtime
    from ._config_api import running_runtime  # the node's run and writer

    return running_runtime() or Runtime()


def coerce_context(context_schema: type[Any] | None, context: Any) -> Any:
    """A dict context as ``context_schema`` (a dataclass or pydantic model), as LangGraph."""
    if context is None or context_schema is None or not isinstance(context, dict):
        return context
    if (isinstance(context_schema, type) and issubclass(context_schema, BaseModel)) or (
        dataclasses.is_dataclass(context_schema)
    ):
        return context_schema(**context)
    return context
