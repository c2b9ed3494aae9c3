"""``add_node(..., error_handler=fn)``: a node's failure handed to a function that answers
for it, as LangGraph 1.2's node-level error handlers.

When the node raises (after its retries; a ``NodeTimeoutError`` too), the handler runs at
once, in the same step and inside the node's own execution (so a Stop reaches it like the
node), on the node's input, with ``error: NodeError`` injected (the node's name and the
exception). What it returns is the step's update in the node's place, published under the
handler's name (``__error_handler__<node>``, LangGraph's): its ``Command(goto=...)`` routes
the run; the failed node's own edges are not followed. If the handler raises, the run fails
with that error. An interrupt, a hand-off to the parent graph and a stop are not failures:
they never reach the handler.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio.from_thread
import anyio.to_thread

from ._errors import ParentCommand
from ._interrupt import GraphInterrupt

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._node import NodeContext, NodeSpec


@dataclass(frozen=True, slots=True)
class NodeError:
    """What a node's error handler is told, as its ``error`` parameter (LangGraph's)."""

    node: str
    """The node that failed."""
    error: BaseException
    """What it raised."""


@dataclass(frozen=True, slots=True)
class Recovered:
    """A node's answer when it failed and its error handler answered for it."""

    handler: str
    """The handler's node name (``__error_handler__<node>``), which the update is under."""
    error: BaseException
    """What the node raised."""
    value: Any
    """What the handler returned: a dict update, a ``Command`` or None."""


def handler_name(node: str) -> str:
    """LangGraph's name for ``node``'s error handler."""
    return f"__error_handler__{node}"


def _bubbles(exc: BaseException) -> bool:
    """Not a failure: an interrupt or a hand-off to the parent goes on up."""
    return isinstance(exc, GraphInterrupt | ParentCommand)


def with_error_handler(node: NodeSpec, handler: NodeSpec) -> Callable[..., Any]:
    """A node function (taking ``(state, ctx)``) that runs ``node`` and, when it raises,
    ``handler``; sync when ``node`` is (it then runs in the node's worker thread)."""
    name = handler_name(node.name)

    def error_of(exc: Exception, ctx: NodeContext) -> NodeError:
        error = NodeError(node.name, exc)
        ctx.error = error
        return error

    if node.is_async:

        async def guarded(state: Any, ctx: NodeContext) -> Any:
            try:
                value = node.fn(*node.call_args(state, ctx))
                return await value if inspect.isawaitable(value) else value
            except Exception as exc:
                if _bubbles(exc):
                    raise
                error = error_of(exc, ctx)
                args = handler.call_args(state, ctx)
                if handler.is_async:
                    answer = handler.fn(*args)
                    answer = await answer if inspect.isawaitable(answer) else answer
                else:
                    answer = await anyio.to_thread.run_sync(
                        functools.partial(handler.fn, *args), abandon_on_cancel=True
                    )
                return Recovered(name, error.error, answer)

        guarded.__name__ = node.name
        guarded.wraps = node.fn  # type: ignore[attr-defined]
        return guarded

    def guarded_sync(state: Any, ctx: NodeContext) -> Any:
        try:
            return node.fn(*node.call_args(state, ctx))
        except Exception as exc:
            if _bubbles(exc):
                raise
            error = error_of(exc, ctx)
            args = handler.call_args(state, ctx)
            if handler.is_async:  # back on the loop, from the node's worker thread
                answer = anyio.from_thread.run(functools.partial(_awaited, handler.fn, args))
            else:
                answer = handler.fn(*args)
            return Recovered(name, error.error, answer)

    guarded_sync.__name__ = node.name
    # what it runs, for subgraph_of; not __wrapped__, which inspect.signature would follow
    # (the wrapper takes (state, ctx) whatever the node takes)
    guarded_sync.wraps = node.fn  # type: ignore[attr-defined]
    return guarded_sync


async def _awaited(fn: Callable[..., Any], args: list[Any]) -> Any:
    value = fn(*args)
    return await value if inspect.isawaitable(value) else value
