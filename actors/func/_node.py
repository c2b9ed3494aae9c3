"""The entrypoint's node: calls the user's function as LangGraph calls it, and carries a
stop to the function and its tasks.

The node's state holds the call's ``input``, the value the last call returned
(``output``, what the entrypoint's runs and snapshots show) and the value it saved
(``previous``, ``entrypoint.final(save=...)``). Its function runs beside the node's own
task (an ``async def`` as a task of its own, a plain ``def`` in a worker thread), so that
when graphstage's ``Cancel`` reaches the node, the node tells the execution to stop (its
tasks are cancelled, the function sees ``CancelledError`` at its ``await`` or its
``.result()``) and then waits for the function's answer: what it returns after catching
the cancellation (having run its cleanup tasks) is the node's answer to the stop. A second
cancel (the ladder's kill) cancels everything left and gives up.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import anyio.to_thread

from .._context import CONTEXT_KEY, STORE_KEY, Runtime, _current
from .._interrupt import current_slot
from .._node import NodeContext
from ..checkpoint.memory import InMemorySaver
from ._codec import decode, encode, with_article
from ._execution import Execution

R = TypeVar("R")
S = TypeVar("S")

INJECTED = ("config", "writer", "store", "previous", "runtime")
"""What an entrypoint function may take by name after its input, as LangGraph's."""


@dataclass(frozen=True, slots=True)
class Final(Generic[R, S]):
    """``entrypoint.final(value=..., save=...)``: return ``value`` to the caller and save
    ``save`` for the thread's next call (its ``previous``), as LangGraph's."""

    value: R
    """What the call returns."""
    save: S
    """What the next call on the thread receives as ``previous``."""


def injected(func: Callable[..., Any]) -> tuple[str, ...]:
    """The names ``func`` takes injected; ``ValueError`` if it takes no input."""
    params = list(inspect.signature(func).parameters.values())
    if not params:
        raise ValueError("Entrypoint function must have at least one parameter")
    return tuple(p.name for p in params[1:] if p.name in INJECTED)


class EntrypointNode:
    """The node function of an entrypoint's one-node graph."""

    def __init__(self, func: Callable[..., Any], name: str, cache: Any) -> None:
        self.func = func
        self.name = name
        self.cache = cache
        self.inject = injected(func)
        self.is_async = inspect.iscoroutinefunction(func)
        self.__name__ = name

    async def __call__(self, state: dict[str, Any], ctx: NodeContext, config: Any) -> Any:
        execution = Execution(ctx, current_slot(), self.cache, self.name, entrypoint=True)
        execution.enter()  # the node task's own context: no reset needed
        previous = decode(state.get("previous"))
        kwargs = self._kwargs(ctx, config, previous)
        call = functools.partial(self.func, state.get("input"), **kwargs)
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        body: asyncio.Task[Any]
        if self.is_async:
            body = loop.create_task(
                _awaited(call), name=f"graphstage entrypoint {self.name}", context=context
            )
        else:  # a thread cannot be interrupted: a stop reaches it through its futures
            thread = anyio.to_thread.run_sync(
                functools.partial(context.run, call), abandon_on_cancel=True
            )
            body = loop.create_task(thread, name=f"graphstage entrypoint {self.name}")
        await _wait(body, execution, interruptible=self.is_async)
        if body.cancelled() or isinstance(body.exception(), asyncio.CancelledError):
            await execution.drain(cancel=True)
            raise asyncio.CancelledError  # the function did not answer the stop
        error = body.exception()
        await execution.drain(cancel=error is not None)
        if error is not None:
            raise error
        value = body.result()
        output, save = (value.value, value.save) if isinstance(value, Final) else (value, value)
        if _keeps_json(execution):  # its types come back when read (Entrypoint decodes)
            try:
                output, save = encode(output), encode(save)
            except TypeError as exc:  # as a task's result that cannot be saved
                kind = with_article(type(value).__name__)
                raise TypeError(
                    f"entrypoint '{self.name}' returned {kind} value that the checkpointer "
                    f"cannot save ({exc}); with a checkpointer, return "
                    f"something serialisable (JSON-like data, pydantic models, messages)"
                ) from exc
        return {"output": output, "previous": save}

    def _kwargs(self, ctx: NodeContext, config: Any, previous: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        for name in self.inject:
            if name == "config":
                kwargs[name] = config
            elif name == "writer":
                kwargs[name] = ctx.writer
            elif name == "store":
                kwargs[name] = ctx.config.get(STORE_KEY)
            elif name == "previous":
                kwargs[name] = previous
            else:
                kwargs[name] = self._runtime(ctx, previous)
        return kwargs

    def _runtime(self, ctx: NodeContext, previous: Any) -> Runtime[Any]:
        runtime: Runtime[Any] = Runtime(
            context=ctx.config.get(CONTEXT_KEY),
            store=ctx.config.get(STORE_KEY),
            stream_writer=ctx.writer,
            previous=previous,
        )
        _current.set(runtime)
        return runtime


def _keeps_json(execution: Execution) -> bool:
    """The thread's saver keeps JSON (not Python objects, as ``InMemorySaver`` does)."""
    scope = execution.scope
    return scope is not None and not isinstance(scope.saver, InMemorySaver)


async def _awaited(call: Callable[[], Any]) -> Any:
    return await call()


async def _wait(body: asyncio.Task[Any], execution: Execution, *, interruptible: bool) -> None:
    """Wait for the function to end; a cancel of the node stops the execution and keeps
    waiting for its answer, a second one (the kill) cancels it and re-raises."""
    while not body.done():
        try:
            await asyncio.wait([body])
        except asyncio.CancelledError:
            execution.stop()
            if execution.stops == 1:
                if interruptible:
                    body.cancel()  # the function sees the stop at its current await
                continue
            # the kill: everything is cancelled and nothing more is waited for (a
            # function that keeps swallowing cancellations must not hold the node)
            body.cancel()
            raise
