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
import time
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
class ExecutionInfo:
    """What is running, as LangGraph 1.2's ``Runtime.execution_info`` says it."""

    checkpoint_id: str
    """The checkpoint the execution's step started from (on a thread; else "")."""
    checkpoint_ns: str
    """The execution's own namespace (``node:task id``)."""
    task_id: str
    """The execution's task id."""
    thread_id: str | None = None
    """The run's thread, None without a checkpointer."""
    run_id: str | None = None
    """The ``run_id`` of the run's config, if it has one."""
    node_attempt: int = 1
    """Which attempt this is (1-based; a retry policy's retries count up)."""
    node_first_attempt_time: float | None = None
    """When the first attempt started (Unix time, seconds)."""

    def patch(self, **overrides: Any) -> ExecutionInfo:
        """A copy with ``overrides`` replaced."""
        return dataclasses.replace(self, **overrides)


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """LangGraph Server's ``assistant_id``/``graph_id`` (and user) from ``configurable``,
    as LangGraph 1.2's ``Runtime.server_info``."""

    assistant_id: str
    graph_id: str
    user: Any = None


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
    execution_info: ExecutionInfo | None = None
    """What is running (LangGraph 1.2's): ids, thread, attempt number."""
    server_info: ServerInfo | None = None
    """``assistant_id`` / ``graph_id`` from ``configurable`` (LangGraph 1.2's), or None."""

    def attempt(self, number: int) -> Runtime[ContextT]:
        """This runtime for attempt ``number`` of a retried node."""
        info = self.execution_info
        if info is None:
            return self
        return dataclasses.replace(self, execution_info=info.patch(node_attempt=number))


_current: contextvars.ContextVar[Runtime[Any] | None] = contextvars.ContextVar(
    "graphstage_runtime", default=None
)


def runtime_for(
    config: dict[str, Any], writer: StreamWriter, node_config: dict[str, Any] | None = None
) -> Runtime[Any]:
    """The ``Runtime`` of one node execution; also what ``get_runtime()`` returns in it.
    ``node_config``: the config the node sees (its ids, for ``execution_info``)."""
    info = server = None
    conf = config.get("configurable") or {}
    if node_config is not None:
        own = node_config.get("configurable") or {}
        meta = node_config.get("metadata") or {}
        ns = own.get("checkpoint_ns") or meta.get("langgraph_checkpoint_ns", "")
        info = ExecutionInfo(
            checkpoint_id=(own.get("checkpoint_map") or {}).get("", "") if own else "",
            checkpoint_ns=ns,
            task_id=ns.rsplit("|", 1)[-1].split(":", 1)[-1],
            thread_id=str(conf["thread_id"]) if conf.get("thread_id") is not None else None,
            run_id=str(config["run_id"]) if config.get("run_id") is not None else None,
            node_first_attempt_time=time.time(),
        )
    if conf.get("assistant_id") or conf.get("graph_id"):
        server = ServerInfo(
            assistant_id=str(conf.get("assistant_id") or ""),
            graph_id=str(conf.get("graph_id") or ""),
            user=conf.get("langgraph_auth_user"),
        )
    runtime: Runtime[Any] = Runtime(
        context=config.get(CONTEXT_KEY),
        store=config.get(STORE_KEY),
        stream_writer=writer,
        execution_info=info,
        server_info=server,
    )
    _current.set(runtime)
    return runtime


def set_runtime(runtime: Runtime[Any]) -> None:
    """Make ``runtime`` what ``get_runtime()`` returns in this node (a retry's attempt)."""
    _current.set(runtime)


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
