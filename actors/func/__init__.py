"""LangGraph's functional API on graphstage: ``@entrypoint`` and ``@task``.

    from graphstage.func import entrypoint, task

    @task
    async def slow(x: int) -> int: ...

    @entrypoint(checkpointer=InMemorySaver())
    async def workflow(x: int, *, previous=None) -> int:
        return await slow(x)

As LangGraph's ``langgraph.func``: the entrypoint is a graph (``invoke``, ``ainvoke``,
``stream``, ``astream``, ``get_state``, threads with a checkpointer, ``interrupt()`` and
``Command(resume=...)``, ``previous`` and ``entrypoint.final``); calling a task returns a
future. It runs on graphstage's runtime as a one-node graph whose tasks run inside that
node's execution, so ``graph.start(...)`` gives a ``Run`` and, where graphstage differs on
purpose, a stop (``run.stop()``, Stop in the window, Ctrl+C in the CLI) reaches the running
tasks and the function as ``CancelledError``: a function that catches it and calls a
cleanup task gets that task run, and the run ends ``cancelled``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .._policies import CachePolicy, RetryPolicy
from ._graph import Entrypoint, EntrypointState
from ._node import Final
from ._task import TaskFunction, TaskFuture, task

__all__ = [
    "Entrypoint",
    "EntrypointState",
    "TaskFunction",
    "TaskFuture",
    "entrypoint",
    "task",
]


class entrypoint:  # LangGraph's name: a decorator class with .final
    """Make a function an entrypoint: ``@entrypoint(checkpointer=..., store=...,
    cache=..., context_schema=...)`` returns an ``Entrypoint`` graph, as LangGraph's."""

    final = Final
    """``entrypoint.final(value=..., save=...)``: return one value, save another."""

    def __init__(
        self,
        checkpointer: Any = None,
        store: Any = None,
        cache: Any = None,
        context_schema: type[Any] | None = None,
        cache_policy: CachePolicy | None = None,
        retry_policy: RetryPolicy | Sequence[RetryPolicy] | None = None,
        **compile_options: Any,
    ) -> None:
        if "timeout" in compile_options:
            raise TypeError(
                "entrypoint(timeout=...): graphstage does not carry over an entrypoint's "
                "timeout; stop a run with run.stop() (cancel_grace= bounds its cleanup)"
            )
        self.checkpointer = checkpointer
        self.store = store
        self.cache = cache
        self.context_schema = context_schema
        self.cache_policy = cache_policy
        self.retry_policy = retry_policy
        self.compile_options = compile_options
        """graphstage's ``compile()`` options (``cancel_grace``, ``journal``...)."""

    def __call__(self, func: Callable[..., Any]) -> Entrypoint:
        import inspect

        if inspect.isgeneratorfunction(func) or inspect.isasyncgenfunction(func):
            raise NotImplementedError("Generators are not supported in the Functional API.")
        return Entrypoint(
            func,
            checkpointer=self.checkpointer,
            store=self.store,
            cache=self.cache,
            context_schema=self.context_schema,
            retry_policy=self.retry_policy,
            **self.compile_options,
        )
