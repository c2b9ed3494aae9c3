"""Start a task eagerly: run its coroutine at once, on the caller's stack, up to its first
``await`` that really waits. A coroutine that returns without waiting costs no loop turn.

It is a real task all along: ``asyncio.current_task()`` inside it is the task (so
``asyncio.timeout``, anyio's cancel scopes and task groups entered in its first step belong
to it, not to the caller), and ``task.cancel()`` throws ``CancelledError`` into it at its
next await, as for any task.

Python 3.12+ does this itself (``Task(..., eager_start=True)``, what
``asyncio.eager_task_factory`` makes). On 3.11 the task is created with the loop's
``call_soon`` shadowed for that one call, so the first step the task would schedule is
handed back instead; it is then run here, the caller's task stepped aside, as 3.12 does.
A loop whose ``call_soon`` cannot be shadowed (uvloop) gets an ordinary task.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from contextvars import Context
from typing import Any

Task = asyncio.Task

if sys.version_info >= (3, 12):

    def start_task(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None]:
        """A task running ``coro``, started eagerly."""
        return Task(coro, loop=loop, name=name, eager_start=True)  # type: ignore[call-arg]

else:  # pragma: no cover - 3.11 only
    from asyncio.tasks import _current_tasks, _enter_task, _leave_task  # type: ignore[attr-defined]

    _current_task = _current_tasks.get  # (loop -> its running task; current_task() is Python)

    class _FirstStep:
        """Stands in for ``loop.call_soon`` while a task is made: keeps the first step."""

        __slots__ = ("context", "step")

        def __init__(self) -> None:
            self.step: Callable[[], None] | None = None
            self.context: Context | None = None

        def __call__(self, callback: Any, *args: Any, context: Context | None = None) -> None:
            self.step, self.context = callback, context

    _FIRST = _FirstStep()

    # loop types whose call_soon cannot be shadowed (an extension type without a __dict__)
    _PLAIN: set[type[Any]] = set()

    def start_task(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None]:
        """A task running ``coro``, started eagerly."""
        if type(loop) in _PLAIN:
            return loop.create_task(coro, name=name)
        first = _FIRST  # (only ever used between here and the task's making: one is enough)
        try:
            loop.call_soon = first  # type: ignore[method-assign,assignment]
        except (AttributeError, TypeError):
            _PLAIN.add(type(loop))
            return loop.create_task(coro, name=name)
        try:
            task = Task(coro, loop=loop, name=name)
        finally:
            del loop.call_soon
        step, context = first.step, first.context
        first.step = first.context = None
        if step is None:  # never on CPython 3.11: its Task schedules its first step
            raise RuntimeError(f"{task!r} did not schedule its first step")
        caller = _current_task(loop)
        if caller is not None:
            _leave_task(loop, caller)
        try:
            if context is None:
                step()
            else:
                context.run(step)
        finally:
            if caller is not None:
                _enter_task(loop, caller)
        return task
