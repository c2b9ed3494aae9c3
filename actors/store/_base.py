"""``BaseStore``, ``Item``, ``SearchItem``: LangGraph's long-term memory interface.

A store keeps JSON-like dicts under a namespace (a tuple of strings, e.g. ``("memories",
user_id)``) and a key, across runs and threads, as ``langgraph.store.base`` does. A graph
compiled with ``compile(store=...)`` hands it to every node that takes a ``store``
parameter and as ``runtime.store``. Any object with LangGraph's store methods works (also
LangGraph's own ``InMemoryStore``); this module is graphstage's own, so that the runtime
does not need LangGraph installed.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any, TypedDict

NamespacePath = tuple[str, ...]


class IndexConfig(TypedDict, total=False):
    """``InMemoryStore(index=...)``: semantic search, as LangGraph's ``IndexConfig``."""

    dims: int
    """The vectors' length (taken and kept, as LangGraph's in-memory store does: unchecked)."""
    embed: Any
    """An ``Embeddings`` object, a function of a list of texts (sync or async), or a
    ``"provider:model"`` string (needs ``langchain`` and the provider's package)."""
    fields: list[str] | None
    """The JSON paths of a value to embed, each its own vector (default ``["$"]``: the
    whole value as JSON)."""


class InvalidNamespaceError(ValueError):
    """A namespace that cannot be stored (empty, a label with a period...), as LangGraph's."""


class Item:
    """A stored value with its place and times (LangGraph's ``Item``)."""

    __slots__ = ("created_at", "key", "namespace", "updated_at", "value")

    def __init__(
        self,
        *,
        value: dict[str, Any],
        key: str,
        namespace: NamespacePath,
        created_at: datetime,
        updated_at: datetime,
    ) -> None:
        self.value = value
        """The stored dict (its keys are what ``search(filter=...)`` matches)."""
        self.key = key
        """The item's key in its namespace."""
        self.namespace = tuple(namespace)
        """Where the item lives."""
        self.created_at = created_at
        """When it was put (UTC)."""
        self.updated_at = updated_at
        """When it was last put (UTC)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Item):
            return False
        return self.dict() == other.dict()

    def __hash__(self) -> int:
        return hash((self.namespace, self.key))

    def dict(self) -> dict[str, Any]:
        """The item as a plain dict, as LangGraph's ``Item.dict()``."""
        return {
            "namespace": list(self.namespace),
            "key": self.key,
            "value": self.value,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.dict().items())
        return f"{type(self).__name__}({fields})"


class SearchItem(Item):
    """An item found by ``search``; ``score`` is None without a semantic query."""

    __slots__ = ("score",)

    def __init__(self, item: Item, score: float | None = None) -> None:
        super().__init__(
            value=item.value,
            key=item.key,
            namespace=item.namespace,
            created_at=item.created_at,
            updated_at=item.updated_at,
        )
        self.score = score
        """The similarity to the query (None: no query)."""

    def dict(self) -> dict[str, Any]:
        return {**super().dict(), "score": self.score}


def validate_labels(namespace: NamespacePath) -> None:
    """Raise ``InvalidNamespaceError`` (LangGraph's messages) for a label it refuses: not a
    string, empty, or holding a period or a NUL byte (get, search, delete and
    list_namespaces check only this)."""
    for label in namespace:
        if not isinstance(label, str):
            raise InvalidNamespaceError(
                f"Invalid namespace label '{label}' found in {namespace}. Namespace labels "
                f"must be strings, but got {type(label).__name__}."
            )
        if "." in label:
            raise InvalidNamespaceError(
                f"Invalid namespace label '{label}' found in {namespace}. Namespace labels "
                f"cannot contain periods ('.')."
            )
        if "\x00" in label:
            raise InvalidNamespaceError(
                f"Invalid namespace label '{label}' found in {namespace}. Namespace labels "
                "cannot contain NUL bytes ('\\x00')."
            )
        if not label:
            raise InvalidNamespaceError(
                f"Namespace labels cannot be empty strings. Got {label} in {namespace}"
            )


def validate_namespace(namespace: NamespacePath) -> None:
    """Raise ``InvalidNamespaceError`` (LangGraph's messages) for a namespace ``put`` refuses."""
    if not namespace:
        raise InvalidNamespaceError("Namespace cannot be empty.")
    validate_labels(namespace)
    if namespace[0] == "langgraph":
        raise InvalidNamespaceError(
            f'Root label for namespace cannot be "langgraph". Got: {namespace}'
        )


class BaseStore(ABC):
    """The store interface nodes use: ``get``, ``put``, ``delete``, ``search``,
    ``list_namespaces`` and their ``a*`` twins (which run the sync ones in a worker
    thread unless a store overrides them)."""

    @abstractmethod
    def get(
        self, namespace: NamespacePath, key: str, *, refresh_ttl: bool | None = None
    ) -> Item | None:
        """The item at ``namespace``/``key``, or None."""

    @abstractmethod
    def put(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        """Store ``value`` (a dict) at ``namespace``/``key``, replacing what was there."""

    @abstractmethod
    def delete(self, namespace: NamespacePath, key: str) -> None:
        """Forget the item at ``namespace``/``key`` (nothing if there is none)."""

    @abstractmethod
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
        """Items under ``namespace_prefix`` whose values match ``filter``."""

    @abstractmethod
    def list_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[NamespacePath]:
        """The namespaces that hold items, sorted, maybe cut to ``max_depth`` labels."""

    async def aget(
        self, namespace: NamespacePath, key: str, *, refresh_ttl: bool | None = None
    ) -> Item | None:
        return await asyncio.to_thread(self.get, namespace, key, refresh_ttl=refresh_ttl)

    async def aput(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        await asyncio.to_thread(self.put, namespace, key, value, index, ttl=ttl)

    async def adelete(self, namespace: NamespacePath, key: str) -> None:
        await asyncio.to_thread(self.delete, namespace, key)

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
        return await asyncio.to_thread(
            lambda: self.search(
                namespace_prefix, query=query, filter=filter, limit=limit, offset=offset
            )
        )

    async def alist_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[NamespacePath]:
        return await asyncio.to_thread(
            lambda: self.list_namespaces(
                prefix=prefix, suffix=suffix, max_depth=max_depth, limit=limit, offset=offset
            )
        )


def is_store(value: Any) -> bool:
    """A graphstage store, or any object with a store's methods (LangGraph's stores)."""
    return isinstance(value, BaseStore) or all(
        callable(getattr(value, name, None)) for name in ("get", "put", "search", "aget")
    )
