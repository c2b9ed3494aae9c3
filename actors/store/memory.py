"""``InMemoryStore``: a store in a dict, for this process only (``langgraph.store.memory``).

    from graphstage.store.memory import InMemoryStore  # was: from langgraph.store.memory
    graph = builder.compile(store=InMemoryStore())

Semantic search as LangGraph's: ``InMemoryStore(index={"dims": ..., "embed": ...,
"fields": [...]})`` embeds each put value's ``fields`` (default the whole value) and
``search(prefix, query=...)`` ranks by cosine similarity (an item's best field), with the
score LangGraph gives. Differences on purpose: putting an item again replaces all its
vectors (LangGraph keeps vectors of fields the new value no longer has, and after
``index=False`` the old ones); one text found at two paths of a value is embedded once and
kept for both (LangGraph raises "Number of embeddings ... does not match"); ``"$"`` in
``put(index=[...])`` means the whole value, as in ``fields``; a bad ``embed``/``fields``/
``index`` (not callable, a string for a list) is refused when given, not at the first
put. TTLs are refused, as LangGraph's in-memory store refuses them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ._base import (
    BaseStore,
    IndexConfig,
    Item,
    NamespacePath,
    SearchItem,
    validate_labels,
    validate_namespace,
)
from ._embed import (
    Embeddings,
    aembed_documents,
    aembed_query,
    cosine_similarity,
    ensure_embeddings,
    get_text_at_path,
    norm,
    tokenize_path,
)

Vector = tuple[list[float], float]
"""A stored vector and its norm."""

Paths = list[tuple[str, list[str] | str]]
"""Paths to embed, each as written (it names the vector) and tokenized ("$": whole value)."""


class InMemoryStore(BaseStore):
    """Items in a dict keyed by namespace then key; safe to use from several threads."""

    def __init__(self, *, index: IndexConfig | None = None) -> None:
        # namespace -> key -> item, both in insertion order (search returns them so)
        self._data: dict[NamespacePath, dict[str, Item]] = {}
        # namespace -> key -> path -> (vector, its norm) (only with an index)
        self._vectors: dict[NamespacePath, dict[str, dict[str, Vector]]] = {}
        self._lock = threading.Lock()
        self.index_config: dict[str, Any] | None = None
        """The ``index`` given (a copy), or None: no semantic search."""
        self.embeddings: Embeddings | None = None
        """What embeds values and queries (``index["embed"]`` made into embeddings)."""
        self._fields: Paths = []
        if index:  # LangGraph too takes {} as no index
            if not isinstance(index, Mapping):
                raise TypeError(
                    f"InMemoryStore(index=...) takes a dict with 'dims', 'embed' and "
                    f"optionally 'fields', not {type(index).__name__}"
                )
            self.index_config = dict(index)
            self.embeddings = ensure_embeddings(index.get("embed"))
            self._fields = _paths(index.get("fields") or ["$"], "index 'fields'")

    def get(
        self, namespace: NamespacePath, key: str, *, refresh_ttl: bool | None = None
    ) -> Item | None:
        namespace = tuple(namespace)
        validate_labels(namespace)
        with self._lock:
            # a get gives the namespace its place in search's order, as in LangGraph's
            # store (a defaultdict); list_namespaces lists only namespaces with items
            return self._data.setdefault(namespace, {}).get(str(key))

    def put(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        namespace = self._check_put(namespace, ttl)
        if value is None:
            self.delete(namespace, key)
            return
        texts = self._texts(value, index)
        vectors: list[list[float]] = []
        if texts and self.embeddings is not None:
            vectors = self.embeddings.embed_documents(list(texts))
        self._store(namespace, str(key), value, texts, vectors)

    async def aput(
        self,
        namespace: NamespacePath,
        key: str,
        value: dict[str, Any],
        index: Any = None,
        *,
        ttl: float | None = None,
    ) -> None:
        namespace = self._check_put(namespace, ttl)
        if value is None:
            self.delete(namespace, key)
            return
        texts = self._texts(value, index)
        vectors: list[list[float]] = []
        if texts and self.embeddings is not None:
            vectors = await aembed_documents(self.embeddings, list(texts))
        self._store(namespace, str(key), value, texts, vectors)

    def delete(self, namespace: NamespacePath, key: str) -> None:
        namespace = tuple(namespace)
        validate_labels(namespace)
        with self._lock:
            self._data.get(namespace, {}).pop(str(key), None)
            self._vectors.get(namespace, {}).pop(str(key), None)

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
        validate_labels(prefix)
        # without an index a query is ignored (plain filtered listing), as in LangGraph
        vector = self.embeddings.embed_query(query) if query and self.embeddings else None
        return self._search(prefix, vector, filter, limit, offset)

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
        prefix = tuple(namespace_prefix)
        validate_labels(prefix)
        vector = None
        if query and self.embeddings is not None:
            vector = await aembed_query(self.embeddings, query)
        return self._search(prefix, vector, filter, limit, offset)

    def list_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[NamespacePath]:
        validate_labels(tuple(prefix or ()))
        validate_labels(tuple(suffix or ()))
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

    def _check_put(self, namespace: NamespacePath, ttl: float | None) -> NamespacePath:
        namespace = tuple(namespace)
        validate_namespace(namespace)
        if ttl is not None:
            raise NotImplementedError(
                "TTL is not supported by InMemoryStore. Use a store implementation that "
                "supports TTL or set ttl=None."
            )
        return namespace

    def _texts(self, value: Mapping[str, Any], index: Any) -> dict[str, list[str]]:
        """The texts to embed for a put, each with the paths it was found at (a path that
        finds several texts names them ``path.0``, ``path.1``..., as LangGraph does)."""
        if self.embeddings is None or index is False:
            return {}  # without an index, put's index= is ignored, as in LangGraph
        paths = self._fields if index is None else _paths(index, "put(index=...)")
        texts: dict[str, list[str]] = {}
        for path, tokens in paths:
            found = get_text_at_path(value, tokens)
            if len(found) > 1:
                for i, text in enumerate(found):
                    texts.setdefault(text, []).append(f"{path}.{i}")
            elif found:
                texts.setdefault(found[0], []).append(path)
        return texts

    def _store(
        self,
        namespace: NamespacePath,
        key: str,
        value: Mapping[str, Any],
        texts: dict[str, list[str]],
        vectors: list[list[float]],
    ) -> None:
        if len(vectors) != len(texts):
            raise ValueError(
                f"Number of embeddings ({len(vectors)}) does not match number of texts "
                f"({len(texts)}): the index's embed must return one vector per text"
            )
        by_path: dict[str, Vector] = {}
        for vector, paths in zip(vectors, texts.values(), strict=True):
            kept = (list(vector), norm(vector))  # the norm now: searches reuse it
            by_path.update(dict.fromkeys(paths, kept))
        now = datetime.now(UTC)
        item = Item(value=dict(value), key=key, namespace=namespace, created_at=now, updated_at=now)
        with self._lock:
            self._data.setdefault(namespace, {})[key] = item
            if by_path:
                self._vectors.setdefault(namespace, {})[key] = by_path
            else:
                self._vectors.get(namespace, {}).pop(key, None)

    def _search(
        self,
        prefix: NamespacePath,
        query: list[float] | None,
        filter: dict[str, Any] | None,
        limit: int,
        offset: int,
    ) -> list[SearchItem]:
        with self._lock:
            candidates = [
                (item, list(self._vectors.get(namespace, {}).get(item.key, {}).values()))
                for namespace, items in self._data.items()
                if namespace[: len(prefix)] == prefix
                for item in items.values()
                if not filter or all(_matches(item.value.get(k), v) for k, v in filter.items())
            ]
        if query is None:
            return [SearchItem(item) for item, _ in candidates[offset : offset + limit]]
        return _rank(query, candidates, limit, offset)


def _rank(
    query: list[float], candidates: list[tuple[Item, list[Vector]]], limit: int, offset: int
) -> list[SearchItem]:
    """LangGraph's ranking, step for step: every vector scored, best first (ties in put
    order), an item at its best vector's place, ``offset``/``limit`` on items; then, if
    fewer than ``limit``, items with no vector (score None) from the first, without offset."""
    flat_items = [item for item, vectors in candidates for _ in vectors]
    flat = [v for _, vectors in candidates for v in vectors]
    scores = cosine_similarity(query, [v for v, _ in flat], [n for _, n in flat])
    ranked = sorted(zip(scores, flat_items, strict=True), key=lambda x: x[0], reverse=True)
    seen: set[tuple[NamespacePath, str]] = set()
    kept: list[SearchItem] = []
    for score, item in ranked:
        place = (item.namespace, item.key)
        if place in seen:
            continue
        ix = len(seen)
        seen.add(place)
        if ix >= offset + limit:
            break
        if ix >= offset:
            kept.append(SearchItem(item, float(score)))
    scoreless = [item for item, vectors in candidates if not vectors]
    if scoreless and len(kept) < limit:
        kept.extend(SearchItem(item) for item in scoreless[: limit - len(kept)])
    return kept


def _paths(paths: Any, what: str) -> Paths:
    """``fields`` or ``put(index=...)``: a list of JSON paths, tokenized once."""
    if isinstance(paths, str) or not isinstance(paths, list | tuple):
        raise TypeError(
            f"{what} must be a list of JSON paths (e.g. ['text', 'meta.title']), "
            f"not {type(paths).__name__} ({paths!r})"
        )
    out: Paths = []
    for path in paths:
        if not isinstance(path, str):
            raise TypeError(f"{what}: a path must be a string, not {path!r}")
        out.append((path, path if path == "$" else tokenize_path(path)))
    return out


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
