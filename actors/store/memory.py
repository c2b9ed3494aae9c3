"""``InMemoryStore``: a store in a dict, for this process only (``langgraph.store.memory``).

    from graphstage.store.memory import InMemoryStore  # was: from langgraph.store.memory
    graph = builder.compile(store=InMemoryStore())

Semantic search (``InMemoryStore(index=...)``, which embeds values) and TTLs are not
carried over: both are refused by name.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from ._base import BaseStore, Item, NamespacePath, SearchItem, validate_namespace


class InMemoryStore(BaseStore):
    """Items in a dict keyed by namespace then key; safe to use from several threads."""

    def __init__(self, *, index: Any = None) -> None:
        if index is not None:
            raise NotImplementedError(
                "InMemoryStore(index=...): graphstage's store has no semantic search; "
                "search(filter=...) matches values exactly (or $eq/$ne/$gt/$gte/$lt/$lte)"
            )
        # namespace -> key -> item, both in insertion order (search returns them so)
        self._data: dict[NamespacePath, dict[str, Item]] = {}
        self._lock = threading.Lock()

    def get(
        self, namespace: NamespacePath, key: str, *, refresh_ttl: bool | None = None
    ) -> Item | None:
        with self._lock:
            return self._data.get(tuple(namespace), {}).get(str(key))

    def put(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        namespace = tuple(namespace)
        validate_namespace(namespace)
        if ttl is not None:
            raise NotImplementedError(
                "TTL is not supported by InMemoryStore. Use a store implementation that "
                "supports TTL or set ttl=None."
            )
        if value is None:
            self.delete(namespace, key)
            return
        now = datetime.now(UTC)
        item = Item(
            value=dict(value), key=str(key), namespace=namespace, created_at=now, updated_at=now
        )
        with self._lock:
            self._data.setdefault(namespace, {})[str(key)] = item

    def delete(self, namespace: NamespacePath, key: str) -> None:
        with self._lock:
            self._data.get(tuple(namespace), {}).pop(str(key), None)

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
        prefix = tuple(namespace_prefix)
        with self._lock:
            found = [
                item
                for namespace, items in self._data.items()
                if namespace[: len(prefix)] == prefix
                for item in items.values()
                if not filter or all(_matches(item.value.get(k), v) for k, v in filter.items())
            ]
        return [SearchItem(item) for item in found[offset : offset + limit]]

    def list_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[NamespacePath]:
        with self._lock:
            namespaces = [ns for ns, items in self._data.items() if items]
        if prefix is not None:
            namespaces = [ns for ns in namespaces if _labels_match(ns, tuple(prefix))]
        if suffix is not None:
            namespaces = [ns for ns in namespaces if _labels_match(ns[::-1], tuple(suffix)[::-1])]
        if max_depth is not None:
            namespaces = sorted({ns[:max_depth] for ns in namespaces})
        else:
            namespaces = sorted(namespaces)
        return namespaces[offset : offset + limit]


def _labels_match(namespace: NamespacePath, path: NamespacePath) -> bool:
    """``namespace`` starts with ``path``, where a ``"*"`` label matches any label."""
    if len(namespace) < len(path):
        return False
    return all(p == "*" or k == p for k, p in zip(namespace, path, strict=False))


def _matches(value: Any, wanted: Any) -> bool:
    """LangGraph's filter: nested dicts compared key by key, lists item by item, a dict of
    ``$`` operators compared with them, anything else by equality."""
    if isinstance(wanted, dict):
        if any(str(k).startswith("$") for k in wanted):
            return all(_apply(value, op, operand) for op, operand in wanted.items())
        if not isinstance(value, dict):
            return False
        return all(_matches(value.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, list | tuple):
        return (
            isinstance(value, list | tuple)
            and len(value) == len(wanted)
            and all(_matches(a, b) for a, b in zip(value, wanted, strict=False))
        )
    return bool(value == wanted)


def _apply(value: Any, op: str, operand: Any) -> bool:
    if op == "$eq":
        return bool(value == operand)
    if op == "$ne":
        return bool(value != operand)
    if op in ("$gt", "$gte", "$lt", "$lte"):
        a, b = float(value), float(operand)
        return {"$gt": a > b, "$gte": a >= b, "$lt": a < b, "$lte": a <= b}[op]
    raise ValueError(f"Unsupported operator: {op}")
