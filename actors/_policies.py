"""Node policies as LangGraph spells them: ``RetryPolicy``, ``CachePolicy``, ``InMemoryCache``.

Both wrap the node's function, so they run inside the node's own execution: a Stop that
arrives while a node waits to retry reaches that wait as a ``CancelledError`` like any
other, and a cached answer is still one execution of the node (its events, its step).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import math
import pickle
import random
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NamedTuple

from ._error_handler import Recovered
from ._errors import NodeTimeoutError, ParentCommand
from ._interrupt import GraphInterrupt


def default_retry_on(exc: Exception) -> bool:
    """LangGraph's rule: retry a connection error, an HTTP 5xx (httpx, requests) and any
    error that is not a programming or input error (ValueError, TypeError, LookupError...)."""
    if isinstance(exc, ConnectionError | NodeTimeoutError):
        return True  # a node's run timeout is retried, as LangGraph's (not an OSError there)
    httpx, requests = sys.modules.get("httpx"), sys.modules.get("requests")
    if httpx is not None and isinstance(exc, httpx.HTTPStatusError):
        return 500 <= exc.response.status_code < 600  # type: ignore[no-any-return]
    if requests is not None and isinstance(exc, requests.HTTPError):
        response = exc.response
        return 500 <= response.status_code < 600 if response else True
    return not isinstance(
        exc,
        (
            ValueError,
            TypeError,
            ArithmeticError,
            ImportError,
            LookupError,
            NameError,
            SyntaxError,
            RuntimeError,
            ReferenceError,
            StopIteration,
            StopAsyncIteration,
            OSError,
        ),
    )


class RetryPolicy(NamedTuple):
    """How a node is retried when it raises (LangGraph's fields and defaults)."""

    initial_interval: float = 0.5
    """Seconds before the first retry."""
    backoff_factor: float = 2.0
    """Multiplier of the interval after each retry."""
    max_interval: float = 128.0
    """Longest wait between retries, in seconds."""
    max_attempts: int = 3
    """Attempts in all, the first included."""
    jitter: bool = True
    """Add up to one second of random jitter to each wait."""
    retry_on: type[Exception] | Sequence[type[Exception]] | Callable[[Exception], bool] = (
        default_retry_on
    )
    """Exception class(es) to retry, or a predicate on the exception."""

    def should_retry(self, exc: Exception) -> bool:
        """Whether ``exc`` is one this policy retries."""
        retry_on = self.retry_on
        if isinstance(retry_on, Sequence):
            return isinstance(exc, tuple(retry_on))
        if isinstance(retry_on, type) and issubclass(retry_on, BaseException):
            return isinstance(exc, retry_on)
        predicate: Callable[[Exception], bool] = retry_on  # type: ignore[assignment]
        return bool(predicate(exc))

    def wait(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        interval = min(
            self.max_interval, self.initial_interval * self.backoff_factor ** (attempt - 1)
        )
        return interval + (random.uniform(0, 1) if self.jitter else 0)


def _first_policy(policies: Sequence[RetryPolicy], exc: Exception) -> RetryPolicy | None:
    if isinstance(exc, GraphInterrupt | ParentCommand):
        return None  # a pause or a hand-off is no failure: never retried, as LangGraph's
    return next((p for p in policies if p.should_retry(exc)), None)


def _next_attempt(
    attempt: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A node's arguments for its attempt number ``attempt``: its ``runtime`` says so in
    ``execution_info.node_attempt``, as LangGraph's does."""
    from ._context import Runtime, set_runtime

    def next_one(value: Any) -> Any:
        if isinstance(value, Runtime):
            value = value.attempt(attempt)
            set_runtime(value)
        return value

    return tuple(map(next_one, args)), {k: next_one(v) for k, v in kwargs.items()}


def with_retry(
    fn: Callable[..., Any], policy: RetryPolicy | Sequence[RetryPolicy]
) -> Callable[..., Any]:
    """``fn`` retried by ``policy`` (a list: the first policy that matches the error)."""
    policies = [policy] if isinstance(policy, RetryPolicy) else list(policy)

    if _is_async(fn):

        @functools.wraps(fn)
        async def retrying(*args: Any, **kwargs: Any) -> Any:
            attempt = 0
            while True:
                attempt += 1
                if attempt > 1:
                    args, kwargs = _next_attempt(attempt, args, kwargs)
                try:
                    return await fn(*args, **kwargs)
                except Exception as exc:
                    chosen = _first_policy(policies, exc)
                    if chosen is None or attempt >= chosen.max_attempts:
                        raise
                    await asyncio.sleep(chosen.wait(attempt))  # a Stop lands here too

        return retrying

    @functools.wraps(fn)
    def retrying_sync(*args: Any, **kwargs: Any) -> Any:
        attempt = 0
        while True:
            attempt += 1
            if attempt > 1:
                args, kwargs = _next_attempt(attempt, args, kwargs)
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                chosen = _first_policy(policies, exc)
                if chosen is None or attempt >= chosen.max_attempts:
                    raise
                time.sleep(chosen.wait(attempt))

    return retrying_sync


def default_cache_key(*args: Any, **kwargs: Any) -> str | bytes:
    """LangGraph's default: a hash of the pickled input."""
    return hashlib.md5(
        pickle.dumps((args, frozenset(kwargs.items())), protocol=5), usedforsecurity=False
    ).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class CachePolicy:
    """Cache a node's result by its input (needs ``compile(cache=InMemoryCache())``)."""

    key_func: Callable[..., str | bytes] = default_cache_key
    """The cache key of the node's input."""
    ttl: int | None = None
    """Seconds an entry lives; None: for ever."""


class InMemoryCache:
    """A process-local cache of node results, keyed by node and input (thread-safe)."""

    def __init__(self) -> None:
        # (node, key) -> (value, expiry as time.monotonic() or None)
        self._entries: dict[tuple[str, str | bytes], tuple[Any, float | None]] = {}
        self._lock = threading.Lock()

    def get(self, node: str, key: str | bytes) -> tuple[bool, Any]:
        """``(True, value)`` for a live entry, else ``(False, None)``."""
        with self._lock:
            entry = self._entries.get((node, key))
            if entry is None:
                return False, None
            value, expiry = entry
            if expiry is not None and time.monotonic() >= expiry:
                del self._entries[(node, key)]
                return False, None
            return True, value

    def set(self, node: str, key: str | bytes, value: Any, ttl: int | None) -> None:
        """Store a node's result."""
        expiry = None if ttl is None else time.monotonic() + ttl
        with self._lock:
            self._entries[(node, key)] = (value, expiry)

    def clear(self, nodes: Sequence[str] | None = None) -> None:
        """Forget every entry (or those of ``nodes``)."""
        with self._lock:
            if nodes is None:
                self._entries.clear()
            else:
                wanted = set(nodes)
                self._entries = {k: v for k, v in self._entries.items() if k[0] not in wanted}


@dataclass(frozen=True, slots=True)
class Cached:
    """A node's answer taken from the cache (the supervisor unwraps it; the ``updates``
    stream marks it ``{"__metadata__": {"cached": True}}``, as LangGraph's)."""

    value: Any


def with_cache(
    fn: Callable[..., Any], node: str, policy: CachePolicy, cache: InMemoryCache
) -> Callable[..., Any]:
    """``fn`` answering from ``cache`` when its input's key is there."""

    def key_of(args: tuple[Any, ...]) -> str | bytes:
        return policy.key_func(args[0])  # the node's input; injected values are not keyed

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def cached(*args: Any, **kwargs: Any) -> Any:
            key = key_of(args)
            hit, value = cache.get(node, key)
            if hit:
                return Cached(value)
            value = await fn(*args, **kwargs)
            if not isinstance(value, Recovered):  # a failure is not cached, as in LangGraph
                cache.set(node, key, value, policy.ttl)
            return value

        return cached

    @functools.wraps(fn)
    def cached_sync(*args: Any, **kwargs: Any) -> Any:
        key = key_of(args)
        hit, value = cache.get(node, key)
        if hit:
            return Cached(value)
        value = fn(*args, **kwargs)
        if not isinstance(value, Recovered):
            cache.set(node, key, value, policy.ttl)
        return value

    return cached_sync


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeoutPolicy:
    """LangGraph's ``TimeoutPolicy``: ``run_timeout`` bounds each attempt of a node (seconds
    or a ``timedelta``). ``idle_timeout`` (a timeout refreshed by progress signals) is not
    carried over: ``compile()`` names it."""

    run_timeout: float | timedelta | None = None
    """Wall-clock seconds one attempt may run."""
    idle_timeout: float | timedelta | None = None
    """Not supported by graphstage (refused by name)."""
    refresh_on: str = "auto"
    """What refreshes ``idle_timeout`` (unused: idle timeouts are refused)."""


def timeout_seconds(value: Any, node: str) -> tuple[float | None, str | None]:
    """``add_node(timeout=...)`` (seconds, a ``timedelta``, or a ``TimeoutPolicy``,
    graphstage's or LangGraph's) as ``(seconds per attempt, problem)``."""
    if hasattr(value, "run_timeout") and hasattr(value, "idle_timeout"):
        if value.idle_timeout is not None:
            return None, (
                f"add_node('{node}', timeout=TimeoutPolicy(idle_timeout=...)): graphstage has "
                f"no idle timeouts (refreshed by progress); use run_timeout"
            )
        value = value.run_timeout
        if value is None:
            return None, None
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value <= 0
    ):
        return None, f"add_node('{node}', timeout={value!r}): a positive number of seconds"
    return float(value), None


def timeout_problem(fn: Callable[..., Any], node: str) -> str | None:
    """Why ``fn`` cannot have a timeout (LangGraph's message, raised by ``compile()``)."""
    if _is_async(fn):
        return None
    return (
        "Node timeouts are only supported for async nodes because sync Python execution "
        f"cannot be safely cancelled in-process. Node '{node}' is sync."
    )


def with_timeout(fn: Callable[..., Any], node: str, seconds: float) -> Callable[..., Any]:
    """``fn`` (an async node) failing with ``NodeTimeoutError`` when one attempt runs longer
    than ``seconds`` (LangGraph's ``add_node(..., timeout=...)``).

    The timeout reaches the node as a stop does, as a cancellation at its current
    ``await``: a node that catches it and returns (a ``Command`` to its cleanup) is routed
    by what it returns (LangGraph raises ``NodeTimeoutError`` all the same); one that lets
    it through fails its attempt with ``NodeTimeoutError``, which its retry policy may
    retry and its error handler answer, as in LangGraph; after that, a node with an
    ``on_cancel`` route takes it (the supervisor sees to that), else the run fails."""

    @functools.wraps(fn)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        limit = asyncio.timeout(seconds)
        try:
            async with limit:
                return await fn(*args, **kwargs)
        except TimeoutError as exc:
            if not limit.expired():  # the node's own TimeoutError, not ours
                raise
            elapsed = time.monotonic() - started
            error = NodeTimeoutError(
                f"Node '{node}' exceeded its run timeout of {seconds:.3f}s "
                f"(elapsed: {elapsed:.3f}s)."
            )
            error.node, error.run_timeout, error.elapsed = node, seconds, elapsed
            raise error from exc

    return timed


def _is_async(fn: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - a callable object's async __call__
    )
