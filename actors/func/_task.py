"""``@task``: a function an entrypoint calls, which runs beside it and returns a future.

As LangGraph's: calling a task starts it and returns a ``TaskFuture`` at once; an async
entrypoint awaits it, a sync one calls ``.result()``; several calls run in parallel. A task
runs in the entrypoint's node execution (an ``async def`` task as a task of the event loop,
a plain ``def`` one in a worker thread), so graphstage's stop reaches it: see
``_execution``. A task called in a graph node runs in that node's execution the same way.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import sys
import threading
import time
from collections.abc import Callable, Generator, Sequence
from typing import Any, Generic, TypeVar

import anyio.to_thread

from .._interrupt import GraphInterrupt, set_slot
from .._policies import CachePolicy, RetryPolicy, with_retry
from ._execution import Execution, TaskStarted, TaskUpdate, current_execution

T = TypeVar("T")

_POLL = 0.05
"""Seconds between two reads of a graph node's stop flag by a waiting ``.result()``."""


class TaskFuture(Generic[T]):
    """The result to come of one task call: ``await`` it (async entrypoint) or call
    ``.result()`` (sync entrypoint), as LangGraph's ``SyncAsyncFuture``."""

    def __init__(self, name: str) -> None:
        self.name = name
        """The task's name."""
        self._task: asyncio.Task[T] | None = None  # on the loop, once started
        self._ready = threading.Event()  # set when it has finished, or a stop woke it
        self._value: Any = None
        self._error: BaseException | None = None
        self._stopped = False  # a stop woke the waiter before the task finished
        self._loop_thread = threading.get_ident()
        # in a graph node: reads the node's stop flag (an entrypoint's stop wakes it)
        self._stopping: Callable[[], bool] | None = None

    @classmethod
    def finished(cls, name: str, value: T) -> TaskFuture[T]:
        future: TaskFuture[T] = cls(name)
        future._value = value
        future._ready.set()
        return future

    def _bind(self, task: asyncio.Task[T]) -> None:
        """Loop thread: the call's task is started."""
        self._task = task
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Task[T]) -> None:
        if task.cancelled():
            self._error = asyncio.CancelledError(f"task '{self.name}' was stopped")
        else:
            self._error = task.exception()
            if self._error is None:
                self._value = task.result()
        self._ready.set()

    def stopped(self) -> None:
        """A stop reached the entrypoint: a ``.result()`` waiting on this wakes up."""
        if not self._ready.is_set():
            self._stopped = True
            self._ready.set()

    def done(self) -> bool:
        return self._ready.is_set() and not self._stopped

    def __await__(self) -> Generator[Any, None, T]:
        task = self._task
        if task is None:
            return self.result()
        # awaiting the task itself: a stop cancelling the entrypoint cancels this task too
        return (yield from task.__await__())

    def _wait(self, timeout: float | None) -> bool:
        """Wait until it has finished (or a stop woke it); False on timeout. In a graph
        node, whose stop nothing else carries here, the node's stop flag is read every
        ``_POLL`` seconds."""
        stopping = self._stopping
        if stopping is None:
            return self._ready.wait(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._ready.wait(_POLL):
            if stopping():
                self.stopped()
            elif deadline is not None and time.monotonic() >= deadline:
                return False
        return True

    def result(self, timeout: float | None = None) -> T:
        """The task's return value (its exception is raised). From a sync entrypoint, waits
        for it; a stop meanwhile raises ``CancelledError``."""
        if not self._ready.is_set() and threading.get_ident() == self._loop_thread:
            raise RuntimeError(
                f"task '{self.name}' has not finished: in an async entrypoint, `await` its "
                f"future (.result() would block the event loop that runs the task)"
            )
        if not self._wait(timeout):
            raise TimeoutError(f"task '{self.name}' did not finish within {timeout} s")
        if self._error is not None:
            raise self._error
        if self._stopped:
            raise asyncio.CancelledError(f"stopped while waiting for task '{self.name}'")
        value: T = self._value
        return value


class TaskFunction(Generic[T]):
    """A function decorated with ``@task``: calling it inside an entrypoint starts it."""

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        retry_policy: Sequence[RetryPolicy] = (),
        cache_policy: CachePolicy | None = None,
        name: str | None = None,
    ) -> None:
        if inspect.isgeneratorfunction(func) or inspect.isasyncgenfunction(func):
            raise NotImplementedError("Generators are not supported in the Functional API.")
        self.func = func
        self.name: str = str(name or getattr(func, "__name__", type(func).__name__))
        self.retry_policy = tuple(retry_policy)
        self.cache_policy = cache_policy
        self.is_async = inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(
            getattr(func, "__call__", None)  # noqa: B004 (a callable object's method)
        )
        self._run = with_retry(func, self.retry_policy) if self.retry_policy else func
        functools.update_wrapper(self, func)

    def __call__(self, *args: Any, **kwargs: Any) -> TaskFuture[T]:
        execution = current_execution()
        if execution is None:
            raise RuntimeError(
                f"task '{self.name}' was called outside an entrypoint: call @task functions "
                f"inside an @entrypoint function (or inside another task it calls)"
            )
        key, index = execution.next_key(self.name)
        done, value = execution.saved_result(key)
        if done:  # finished before the step was cut short: not run again, as LangGraph
            return TaskFuture.finished(self.name, value)
        future: TaskFuture[T] = TaskFuture(self.name)
        future._loop_thread = execution.thread
        if not execution.entrypoint:
            ctx = execution.ctx
            future._stopping = lambda: ctx._flag
        if threading.get_ident() == execution.thread:
            self._start(execution, key, index, args, kwargs, future, contextvars.copy_context())
        else:  # a sync entrypoint's (or task's) worker thread: started on the loop
            context = contextvars.copy_context()
            execution.waiting.add(future)
            execution.loop.call_soon_threadsafe(
                self._start, execution, key, index, args, kwargs, future, context
            )
        return future

    def _start(
        self,
        execution: Execution,
        key: str,
        index: int,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        future: TaskFuture[T],
        context: contextvars.Context,
    ) -> None:
        """Loop thread: start the call's task, in the caller's context (its node, run)."""
        coro = self._execute(execution, key, index, args, kwargs)
        task = execution.loop.create_task(
            coro, name=f"graphstage task {self.name}", context=context
        )
        future._bind(task)
        execution.started(task, self.is_async)
        task.add_done_callback(lambda _t: execution.waiting.discard(future))

    async def _execute(
        self,
        execution: Execution,
        key: str,
        index: int,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> T:
        # (the task's context is its own copy: what is set in it needs no reset)
        execution.enter_task(key)
        slot = execution.task_slot(key)
        if slot is not None:
            set_slot(slot)  # its interrupt() calls are its own
        if "langchain_core" in sys.modules:
            _push_metadata(execution.name, self.name, index)
        if execution.detailed:
            started = TaskStarted(self.name, execution.task_id(key), args, kwargs)
            execution.ctx.writer(started)
        try:
            return await self._run_once(execution, key, args, kwargs, slot)
        except Exception as exc:
            if execution.detailed and not isinstance(exc, GraphInterrupt):
                failed = TaskUpdate(self.name, None, id=execution.task_id(key), error=exc)
                execution.ctx.writer(failed)
            raise

    async def _run_once(
        self,
        execution: Execution,
        key: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        slot: Any,
    ) -> T:
        policy, cache = self.cache_policy, execution.cache
        cache_key: str | bytes | None = None
        if policy is not None and cache is not None:
            cache_key = policy.key_func(*args, **kwargs)
            hit, cached = cache.get(self.name, cache_key)
            if hit:
                return await self._finish(execution, key, cached, slot, cached=True)
        if self.is_async:
            value = await self._run(*args, **kwargs)
        else:
            context = contextvars.copy_context()
            value = await anyio.to_thread.run_sync(
                functools.partial(context.run, self._run, *args, **kwargs)
            )
        if cache_key is not None and cache is not None and policy is not None:
            cache.set(self.name, cache_key, value, policy.ttl)
        return await self._finish(execution, key, value, slot)

    async def _finish(
        self, execution: Execution, key: str, value: Any, slot: Any, *, cached: bool = False
    ) -> T:
        answers = list(slot.answers) if slot is not None else []
        execution.save(key, {"result": value, "answers": answers})
        if execution.entrypoint:
            task_id = execution.task_id(key) if execution.detailed else ""
            execution.ctx.writer(TaskUpdate(self.name, value, cached, id=task_id))
        result: T = value
        return result

    def clear_cache(self, cache: Any) -> None:
        """Forget this task's cached results in ``cache``."""
        if self.cache_policy is not None:
            cache.clear([self.name])

    async def aclear_cache(self, cache: Any) -> None:
        self.clear_cache(cache)

    def __repr__(self) -> str:
        return f"<task {self.name!r}>"


def _push_metadata(entrypoint: str, name: str, index: int) -> None:
    """What a chat model called in the task streams is the task's, as LangGraph's push
    task metadata (``messages`` stream): its name, trigger and path."""
    from langchain_core.runnables.config import var_child_runnable_config

    config = var_child_runnable_config.get()
    meta = dict((config or {}).get("metadata") or {})
    if config is None or "langgraph_node" not in meta:
        return  # no LangChain config from the node (nothing listens)
    meta.update(
        langgraph_node=name,
        langgraph_triggers=("__pregel_push",),
        langgraph_path=("__pregel_push", ("__pregel_pull", entrypoint), index, True),
    )
    var_child_runnable_config.set({**config, "metadata": meta})


def task(
    __func_or_none__: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    retry_policy: RetryPolicy | Sequence[RetryPolicy] | None = None,
    cache_policy: CachePolicy | None = None,
    timeout: Any = None,
) -> Any:
    """Make a function a task (``@task`` or ``@task(retry_policy=..., ...)``), as
    LangGraph's ``langgraph.func.task``: call it inside an ``@entrypoint`` to start it.
    ``timeout`` is refused (graphstage does not carry it over)."""
    if timeout is not None:
        raise TypeError(
            "task(timeout=...): graphstage does not carry over a task's timeout; stop a run "
            "with run.stop(), which reaches its running tasks"
        )
    policies: Sequence[RetryPolicy] = (
        ()
        if retry_policy is None
        else (retry_policy,)
        if isinstance(retry_policy, RetryPolicy)
        else tuple(retry_policy)
    )

    def decorate(func: Callable[..., Any]) -> TaskFunction[Any]:
        return TaskFunction(func, retry_policy=policies, cache_policy=cache_policy, name=name)

    if __func_or_none__ is not None:
        return decorate(__func_or_none__)
    return decorate
