"""Node functions: how they are called, and what they may ask for by parameter name.

The first parameter receives the state. Others are injected by name, as LangGraph does:
``writer`` (send custom output), ``ctx`` (a ``NodeContext``), ``config`` (the run's config),
``runtime`` (a ``Runtime``), ``store`` (the graph's store, ``compile(store=...)``),
``error`` (in an error handler, the ``NodeError`` it answers for), also when they are
keyword-only (``def node(state, *, store)``, as LangGraph's docs write it).
``async def`` nodes run in a task of their own; plain ``def`` nodes run in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ._context import STORE_KEY, runtime_for
from ._errors import GraphError, WriterClosedError
from ._stream import MESSAGES_KEY, node_config

INJECTABLE = ("writer", "ctx", "config", "runtime", "store", "error")

Writer = Callable[[Any], None]

_current_ctx: contextvars.ContextVar[NodeContext | None] = contextvars.ContextVar(
    "graphstage_node_context", default=None
)
"""The context of the node execution running in this task (or worker thread)."""


def current_node() -> str | None:
    """The name of the node running in this task (or worker thread); None outside one."""
    ctx = _current_ctx.get()
    return None if ctx is None else ctx.node


def get_stream_writer() -> Writer:
    """The running node's ``writer``, for code that cannot take it as a parameter.

    Mirrors ``langgraph.config.get_stream_writer``; outside a node it returns a writer that
    drops what it is given.
    """
    ctx = _current_ctx.get()
    return ctx.writer if ctx is not None else (lambda _chunk: None)


class WriterSource(Protocol):
    """What a ``NodeContext`` makes its writer from (the node's actor)."""

    _emit_custom: Callable[[str, int, Any], None]
    _loop: asyncio.AbstractEventLoop
    _thread: int


class NodeContext:
    """What a node may ask for as its ``ctx`` parameter.

    ``cancel_requested`` becomes true when the run asks this node to stop: a node that
    polls (a sync node in its worker thread, or a busy loop) reads it, finishes, and returns
    its Command. Reading it while it is true marks the node's return as its answer to the
    stop. Safe to read from any thread.
    """

    __slots__ = (
        "_ended",
        "_event",
        "_flag",
        "_observed",
        "_source",
        "_writer",
        "config",
        "error",
        "node",
        "run_id",
        "step",
        "task",
    )

    def __init__(
        self,
        run_id: str,
        node: str,
        step: int,
        source: WriterSource,
        config: dict[str, Any],
        task: str | None = None,
    ) -> None:
        self.run_id = run_id
        """The run's id."""
        self.node = node
        """This node's name."""
        self.step = step
        """This execution's step number (1-based)."""
        self.task = task
        """A ``Send``'s execution: its task id (``"node[i]"``); None for a node reached by
        an edge or a goto."""
        # the writer is made by the first who asks for it: most nodes never write
        self._source = source
        self._writer: NodeWriter | None = None
        # True once the execution has ended: its writer (made then or before) is closed
        self._ended = False
        self.config = config
        """The run's config dict, as passed to ``ainvoke``/``astream``/``start``."""
        self.error: Any = None
        """In a node's error handler: the ``NodeError`` it answers for (else None)."""
        # set (once, never cleared) by the actor on Cancel; a plain bool is safe to read
        # from the worker thread of a sync node
        self._flag = False
        # created by the first wait_cancel(), so that most nodes never pay for one
        self._event: threading.Event | None = None
        # True once the node read cancel_requested while it was set
        self._observed = False

    @property
    def writer(self) -> Writer:
        """Sends custom output (the ``custom`` stream mode, the log, the journal); closed
        once the execution has ended. Safe to ask for from any thread."""
        writer = self._writer
        if writer is None:
            source = self._source
            writer = NodeWriter(
                source._emit_custom, self.node, self.step, source._loop, source._thread
            )
            # published before the end is checked: end() closes whatever it then finds
            self._writer = writer
            if self._ended:
                writer.close()
        return writer

    def end(self) -> None:
        """The execution has ended: close its writer (one asked for later comes closed)."""
        self._ended = True
        writer = self._writer
        if writer is not None:
            writer.close()

    def request_cancel(self) -> None:
        """Mark the stop; called by the actor on the loop's thread."""
        self._flag = True
        event = self._event
        if event is not None:
            event.set()

    @property
    def cancel_requested(self) -> bool:
        """True once the run has asked this node to stop."""
        if self._flag:
            self._observed = True
            return True
        return False

    def wait_cancel(self, timeout: float | None = None) -> bool:
        """Block a sync node's thread until a stop is requested or ``timeout`` passes.

        Returns whether a stop was requested. Never call it from an ``async def`` node:
        it would block the event loop.
        """
        if self._event is None:
            self._event = threading.Event()
        if self._flag:  # request_cancel() may have run before the event existed
            self._event.set()
        if self._event.wait(timeout):
            self._observed = True
            return True
        return False


@dataclass(slots=True)
class NodeSpec:
    """A node as added with ``add_node``: its function and how to call it."""

    name: str
    fn: Callable[..., Any]
    on_cancel: str | None = None
    destinations: tuple[str, ...] = ()
    is_async: bool = field(init=False)
    # names of the injected parameters the function takes, in order after the state
    inject: tuple[str, ...] = field(init=False)
    # the name of its executions' tasks (made once: a task is made per execution)
    task_name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.task_name = f"graphstage node {self.name}"
        self.is_async, self.inject, keyword = _inspect_node(self.name, self.fn)
        if _is_generator(self.fn):  # LangGraph runs it and takes its last chunk
            self.fn = _last_yielded(self.fn)
            self.is_async = inspect.iscoroutinefunction(self.fn)
        # the actor passes injected values by position: name them instead (once: a Ray
        # host makes its NodeSpec of the function as shipped, already named)
        if keyword and not hasattr(self.fn, "_graphstage_by_keyword"):
            self.fn = _by_keyword(self.fn, self.inject)

    def call_args(self, state: Any, ctx: NodeContext) -> list[Any]:
        """The arguments of one execution; runs in the node's task, so it also gives
        LangChain runnables called by the node the run's callbacks (the messages stream's
        handler, the caller's tracers) and config, as LangGraph does."""
        config = ctx.config
        # the config of the node's callback run, when the run reports to callbacks
        traced: dict[str, Any] | None = None
        if (MESSAGES_KEY in config or config.get("callbacks")) and "langchain_core" in sys.modules:
            # only when there is something for LangChain to hear: it costs a config per node
            from .langchain.streaming import enter_node

            traced = enter_node(ctx)
        args: list[Any] = [state]
        for name in self.inject:
            if name == "runtime":
                own = node_config(ctx.config, ctx.run_id, ctx.node, ctx.step, ctx.task)
                args.append(runtime_for(ctx.config, ctx.writer, own))
            elif name == "config":  # LangGraph's shape: configurable, the node's metadata
                args.append(
                    traced
                    if traced is not None
                    else node_config(ctx.config, ctx.run_id, ctx.node, ctx.step, ctx.task)
                )
            elif name == "store":
                args.append(ctx.config.get(STORE_KEY))
            elif name == "error":  # None outside an error handler, as in LangGraph
                args.append(ctx.error)
            else:
                args.append(ctx.writer if name == "writer" else ctx)
        return args


def _by_keyword(fn: Callable[..., Any], names: tuple[str, ...]) -> Callable[..., Any]:
    """``fn`` called with the state by position and its injected values by name."""

    def call(state: Any, *values: Any) -> Any:
        return fn(state, **dict(zip(names, values, strict=True)))

    call.__name__ = getattr(fn, "__name__", "node")
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    call._graphstage_by_keyword = names  # type: ignore[attr-defined]
    return call


def _inspect_node(name: str, fn: Callable[..., Any]) -> tuple[bool, tuple[str, ...], bool]:
    """Whether ``fn`` is async, the names it takes injected, and whether one of them is
    keyword-only."""
    if not callable(fn):
        raise GraphError(f"node '{name}': {fn!r} is not callable; pass a function")
    # functools.partial keeps the function in .func; a callable object in .__call__
    # functools.wraps leaves the async function in .__wrapped__ (inspect.unwrap follows it)
    candidates = (
        fn,
        getattr(fn, "func", None),
        vars(type(fn)).get("__call__"),
        _unwrapped(fn),
    )
    is_async = any(inspect.iscoroutinefunction(c) for c in candidates if c is not None)
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return is_async, (), False
    if not params:
        raise GraphError(f"node '{name}': {fn!r} takes no parameters; it must accept the state")
    inject: list[str] = []
    keyword = False
    for p in params[1:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in INJECTABLE and (p.name != "error" or _is_node_error(p.annotation)):
            inject.append(p.name)
            keyword = keyword or p.kind is p.KEYWORD_ONLY
        elif p.default is p.empty:
            raise GraphError(
                f"node '{name}': parameter '{p.name}' cannot be injected; after the state a "
                f"node may take {', '.join(INJECTABLE)} (or give '{p.name}' a default)"
            )
    return is_async, tuple(inject), keyword


def _is_generator(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` (or what it wraps) is a generator function, sync or async."""
    if getattr(fn, "_graphstage_last_yielded", False):
        return False  # wrapped already (a Ray host makes its NodeSpec of the shipped one)
    inner = _unwrapped(fn) or fn
    return inspect.isgeneratorfunction(inner) or inspect.isasyncgenfunction(inner)


def _last_yielded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A generator function as a node, as LangGraph runs one (langchain-core's
    ``RunnableLambda``): its chunks are combined with ``+`` where they can be and the last
    one is taken where they cannot, so a node yielding updates (dicts or Commands) answers
    with the last of them (``None`` if it yields none). A sync one is iterated in its
    worker thread; an async one on the loop, where a stop reaches it at its ``await``."""
    inner = _unwrapped(fn) or fn

    def combine(output: Any, chunk: Any) -> Any:
        if output is None:
            return chunk
        try:
            return output + chunk
        except TypeError:
            return chunk

    if inspect.isasyncgenfunction(inner):

        async def last_async(*args: Any, **kwargs: Any) -> Any:
            output = None
            async for chunk in fn(*args, **kwargs):
                output = combine(output, chunk)
            return output

        wrapper: Callable[..., Any] = last_async
    else:

        def last(*args: Any, **kwargs: Any) -> Any:
            output = None
            for chunk in fn(*args, **kwargs):
                output = combine(output, chunk)
            return output

        wrapper = last
    wrapper.__name__ = getattr(fn, "__name__", "node")
    wrapper.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
    wrapper._graphstage_last_yielded = True  # type: ignore[attr-defined]
    return wrapper


def _is_node_error(annotation: Any) -> bool:
    """``error`` is injected only when annotated ``NodeError`` (LangGraph's or graphstage's),
    as LangGraph does: a parameter of that name may mean anything else."""
    name = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return "NodeError" in str(name)


def _unwrapped(fn: Callable[..., Any]) -> Callable[..., Any] | None:
    try:
        inner = inspect.unwrap(fn)
    except ValueError:  # a __wrapped__ cycle
        return None
    return inner if inner is not fn else None


class NodeWriter:
    """The ``writer`` handed to one node execution; callable from any thread."""

    __slots__ = ("_emit", "_loop", "_node", "_open", "_step", "_thread")

    def __init__(
        self,
        emit: Callable[[str, int, Any], None],
        node: str,
        step: int,
        loop: asyncio.AbstractEventLoop,
        thread: int | None = None,
    ) -> None:
        self._emit = emit
        self._node = node
        self._step = step
        self._loop = loop
        # the loop's thread: a call from any other is handed to the loop
        self._thread = threading.get_ident() if thread is None else thread
        self._open = True

    def __call__(self, chunk: Any) -> None:
        if not self._open:
            raise WriterClosedError(
                f"the writer of node '{self._node}' (step {self._step}) was called after the "
                f"node ended; write only while the node runs"
            )
        if threading.get_ident() == self._thread:
            self._emit(self._node, self._step, chunk)
        else:
            self._loop.call_soon_threadsafe(self._emit_if_open, chunk)

    def _emit_if_open(self, chunk: Any) -> None:
        # A line written from a worker thread just before the node ended still counts.
        self._emit(self._node, self._step, chunk)

    def close(self) -> None:
        self._open = False
