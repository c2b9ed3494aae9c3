"""The graph's store for nodes on Ray hosts: it stays in the driver, and a node on a host
reaches it through its execution.

The driver sends ``STORE_IN_DRIVER`` in the store's place (a store holds locks and data
that must stay in one place: your process, where other nodes and your own code use it).
The host gives the node a ``HostStore`` there (its ``store`` parameter, ``runtime.store``,
``get_store()``); each call becomes a ``StoreCall`` among the execution's writer lines,
which the driver's long poll fetches at once (no batching wait while a call is pending);
the driver makes the call on the real store (``serve``: its async twin, so the driver's
loop never blocks on it), in order, and sends the outcome back (``NodeHost.answer``). A
call costs two Ray messages (a few ms). A sync node's call waits in its worker thread; an
async node awaits it, and must use the async methods (``aget``...): a sync call from the
host's event loop could not be answered and is refused with that advice.

This module is imported in the host processes: it imports neither Ray nor the driver side.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from ..store._base import BaseStore, Item, NamespacePath, SearchItem


class StoreInDriver:
    """Stands in a shipped config for the graph's store, which stays in the driver."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "STORE_IN_DRIVER"


STORE_IN_DRIVER = StoreInDriver()


@dataclass(frozen=True, slots=True)
class StoreCall:
    """A node's call of the store, on its way to the driver among its writer lines."""

    call_id: int
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


Send = Callable[[str, tuple[Any, ...], dict[str, Any]], Coroutine[Any, Any, Any]]


class HostStore(BaseStore):
    """The graph's store as a node on a Ray host sees it: every method is the driver's
    store's, called there."""

    def __init__(self, send: Send, loop: asyncio.AbstractEventLoop) -> None:
        self._send = send
        self._loop = loop
        self._loop_thread = threading.get_ident()  # made on the host's loop thread

    def _wait(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() == self._loop_thread:
            raise RuntimeError(
                f"store.{method}() was called from an async node on a Ray host: the store "
                f"stays in the driver, and a sync call would block the host's loop that "
                f"brings its answer; await store.a{method}(...) instead"
            )
        return asyncio.run_coroutine_threadsafe(
            self._send(method, args, kwargs), self._loop
        ).result()

    def get(
        self, namespace: NamespacePath, key: str, *, refresh_ttl: bool | None = None
    ) -> Item | None:
        return self._wait("get", namespace, key, refresh_ttl=refresh_ttl)  # type: ignore[no-any-return]

    def put(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        self._wait("put", namespace, key, value, index, ttl=ttl)

    def delete(self, namespace: NamespacePath, key: str) -> None:
        self._wait("delete", namespace, key)

    def search(
        self,
        namespace_prefix: NamespacePath,
        /,
        *,
        query: str | None = None,
        filter: dict[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        refresh_ttl: bool | None = None,
    ) -> list[SearchItem]:
        return self._wait(  # type: ignore[no-any-return]
            "search",
            namespace_prefix,
            query=query,
            filter=filter,
            limit=limit,
            offset=offset,
            refresh_ttl=refresh_ttl,
        )

    def list_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[NamespacePath]:
        return self._wait(  # type: ignore[no-any-return]
            "list_namespaces",
            prefix=prefix,
            suffix=suffix,
            max_depth=max_depth,
            limit=limit,
            offset=offset,
        )

    def batch(self, ops: Any) -> Any:
        """LangGraph's ``batch`` (when the driver's store has it)."""
        return self._wait("batch", ops)

    async def aget(
        self, namespace: NamespacePath, key: str, *, refresh_ttl: bool | None = None
    ) -> Item | None:
        return await self._send("get", (namespace, key), {"refresh_ttl": refresh_ttl})  # type: ignore[no-any-return]

    async def aput(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        await self._send("put", (namespace, key, value, index), {"ttl": ttl})

    async def adelete(self, namespace: NamespacePath, key: str) -> None:
        await self._send("delete", (namespace, key), {})

    async def asearch(
        self,
        namespace_prefix: NamespacePath,
        /,
        *,
        query: str | None = None,
        filter: dict[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        refresh_ttl: bool | None = None,
    ) -> list[SearchItem]:
        kwargs = {"query": query, "filter": filter, "limit": limit, "offset": offset}
        kwargs["refresh_ttl"] = refresh_ttl
        return await self._send("search", (namespace_prefix,), kwargs)  # type: ignore[no-any-return]

    async def alist_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[NamespacePath]:
        kwargs = {"prefix": prefix, "suffix": suffix, "max_depth": max_depth}
        return await self._send(  # type: ignore[no-any-return]
            "list_namespaces", (), {**kwargs, "limit": limit, "offset": offset}
        )

    async def abatch(self, ops: Any) -> Any:
        """LangGraph's ``abatch`` (when the driver's store has it)."""
        return await self._send("batch", (ops,), {})

    def __repr__(self) -> str:
        return "HostStore(the graph's store, in the driver)"


async def serve(store: Any, call: StoreCall) -> tuple[bool, Any]:
    """Make ``call`` on the driver's ``store``: ``(True, result)`` or ``(False, error)``.
    The async twin is used when the store has one (the driver's loop never blocks)."""
    try:
        method = getattr(store, "a" + call.method, None) or getattr(store, call.method, None)
        if method is None:
            raise AttributeError(
                f"the graph's store ({type(store).__name__}) has no method {call.method!r}"
            )
        # None is every optional keyword's default (LangGraph's ttl is a sentinel there)
        kwargs = {k: v for k, v in call.kwargs.items() if v is not None}
        result = method(*call.args, **kwargs)
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            result = await result
    except Exception as exc:
        return False, exc
    return True, result
