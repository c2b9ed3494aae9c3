"""What semantic search needs: the ``embed`` of an index config made into embeddings, the
texts a value's ``fields`` paths pick, and cosine similarity.

These follow ``langgraph.store.base.embed`` (``ensure_embeddings``, ``EmbeddingsLambda``,
``tokenize_path``, ``get_text_at_path``) and the pure-Python similarity of
``langgraph.store.memory``, so a store answers with LangGraph's texts and scores. graphstage
does not import langchain-core here (it is optional): an embeddings object is anything with
LangGraph's two methods, ``embed_documents`` and ``embed_query``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from operator import mul
from typing import Any, Protocol, cast, runtime_checkable


@runtime_checkable
class Embeddings(Protocol):
    """langchain-core's ``Embeddings`` interface, as the store uses it (an
    ``aembed_documents``/``aembed_query`` pair is used by ``aput``/``asearch`` when there is
    one)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query."""


def ensure_embeddings(embed: Any) -> Embeddings:
    """The embeddings an index config's ``embed`` names, as LangGraph's ``ensure_embeddings``:
    an embeddings object as it is, a function of a list of texts (sync or async) wrapped, a
    ``"provider:model"`` string given to ``langchain.embeddings.init_embeddings``."""
    if embed is None:
        raise ValueError("embed must be provided")  # LangGraph's words
    if isinstance(embed, str):
        try:
            from langchain.embeddings import init_embeddings
        except ImportError as exc:
            raise ValueError(
                f"Could not load embeddings from string '{embed}': a 'provider:model' string "
                "needs the package langchain>=0.3.9 (pip install 'langchain>=0.3.9') and the "
                "provider's package (e.g. langchain-openai); or give 'embed' an Embeddings "
                "object or a function of a list of texts"
            ) from exc
        # names the provider's package when it is missing (ImportError: ... langchain-openai)
        return cast(Embeddings, init_embeddings(embed))
    if isinstance(embed, Embeddings):
        return embed
    if not callable(embed):
        # LangGraph takes it and fails at the first put ("'int' object is not callable")
        raise TypeError(
            f"index 'embed' must be an Embeddings object, a function of a list of texts or a "
            f"'provider:model' string, not {type(embed).__name__} ({embed!r})"
        )
    return FunctionEmbeddings(embed)


class FunctionEmbeddings:
    """A function of a list of texts as embeddings (LangGraph's ``EmbeddingsLambda``): a sync
    function serves both ways (the async one in a worker thread); an async one only
    ``aput``/``asearch``, and the sync methods refuse with LangGraph's error."""

    def __init__(self, func: Callable[[Sequence[str]], Any]) -> None:
        self._func = func
        self._is_async = inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(
            getattr(func, "__call__", None)  # noqa: B004 - an object with an async __call__
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self._is_async:
            raise ValueError(
                "EmbeddingsLambda was initialized with an async function but no sync function. "
                "Use aembed_documents for async operation or provide a sync function."
            )
        return cast(list[list[float]], self._func(texts))

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        if not self._is_async:
            return await asyncio.to_thread(self.embed_documents, texts)
        return await cast(Awaitable[list[list[float]]], self._func(texts))

    async def aembed_query(self, text: str) -> list[float]:
        return (await self.aembed_documents([text]))[0]


async def aembed_documents(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    """``embeddings.aembed_documents`` if it has one, else its sync method in a thread."""
    method = getattr(embeddings, "aembed_documents", None)
    if method is not None:
        return cast(list[list[float]], await method(texts))
    return await asyncio.to_thread(embeddings.embed_documents, texts)


async def aembed_query(embeddings: Embeddings, text: str) -> list[float]:
    """``embeddings.aembed_query`` if it has one, else its sync method in a thread."""
    method = getattr(embeddings, "aembed_query", None)
    if method is not None:
        return cast(list[float], await method(text))
    return await asyncio.to_thread(embeddings.embed_query, text)


def norm(vector: Sequence[float]) -> float:
    """The vector's length, as LangGraph's pure-Python similarity computes it."""
    return float(sum(map(mul, vector, vector)) ** 0.5)


def cosine_similarity(
    x: Sequence[float], ys: Sequence[Sequence[float]], norms: Sequence[float] | None = None
) -> list[float]:
    """The similarity of ``x`` to each of ``ys``, 0.0 where either is all zeros: LangGraph's
    pure-Python formula, the same products added in the same order (so the same bits), with
    the query's norm taken once and the ``ys``' norms given when known (kept at put)."""
    norm1 = norm(x)
    out = []
    for i, y in enumerate(ys):
        norm2 = norm(y) if norms is None else norms[i]
        dot_product = sum(map(mul, x, y))  # stops at the shorter, as LangGraph's zip does
        out.append(dot_product / (norm1 * norm2) if norm1 > 0 and norm2 > 0 else 0.0)
    return out


def tokenize_path(path: str) -> list[str]:
    """``"a.b[*].c"`` -> ``["a", "b", "[*]", "c"]``; ``[...]`` and ``{...}`` stay whole."""
    tokens: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(path):
        char = path[i]
        if char in "[{":
            if current:
                tokens.append("".join(current))
                current = []
            close = "]" if char == "[" else "}"
            depth, chars = 1, [char]
            i += 1
            while i < len(path) and depth > 0:
                if path[i] == char:
                    depth += 1
                elif path[i] == close:
                    depth -= 1
                chars.append(path[i])
                i += 1
            tokens.append("".join(chars))
            continue
        if char == ".":
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
        i += 1
    if current:
        tokens.append("".join(current))
    return tokens


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False)


def get_text_at_path(obj: Any, path: str | list[str]) -> list[str]:
    """The texts a ``fields`` path picks from a value: ``"$"`` the whole value as JSON,
    ``"a.b"`` a nested field, ``"a[*]"``/``"a[0]"``/``"a[-1]"`` list items, ``"*"`` every
    field, ``"{a,b.c}"`` several fields; a str/number/bool as ``str()``, a list/dict as JSON,
    None or a missing field as nothing."""
    if isinstance(obj, Mapping) and not isinstance(obj, dict):
        obj = dict(obj)
    if not path or path == "$":
        return [_dumps(obj)]
    tokens = tokenize_path(path) if isinstance(path, str) else path
    return _extract(obj, tokens, 0)


def _leaf(obj: Any) -> list[str]:
    if isinstance(obj, str | int | float | bool):
        return [str(obj)]
    if isinstance(obj, list | dict):
        return [_dumps(obj)]
    return []


def _extract(obj: Any, tokens: list[str], pos: int) -> list[str]:
    if pos >= len(tokens):
        return _leaf(obj)
    token = tokens[pos]
    results: list[str] = []
    if token.startswith("[") and token.endswith("]"):
        if not isinstance(obj, list):
            return []
        index = token[1:-1]
        if index == "*":
            for item in obj:
                results.extend(_extract(item, tokens, pos + 1))
        else:
            try:
                idx = int(index)
            except ValueError:
                return []
            if idx < 0:
                idx += len(obj)
            if 0 <= idx < len(obj):
                results.extend(_extract(obj[idx], tokens, pos + 1))
    elif token.startswith("{") and token.endswith("}"):
        if not isinstance(obj, dict):
            return []
        for field in (f.strip() for f in token[1:-1].split(",")):
            nested_tokens = tokenize_path(field)
            current: Any = obj if nested_tokens else None
            for nested in nested_tokens:
                if isinstance(current, dict) and nested in current:
                    current = current[nested]
                else:
                    current = None
                    break
            # unlike a plain path's end, None and other objects give nothing
            if current is not None:
                results.extend(_leaf(current))
    elif token == "*":
        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else ()
        for value in values:
            results.extend(_extract(value, tokens, pos + 1))
    elif isinstance(obj, dict) and token in obj:
        results.extend(_extract(obj[token], tokens, pos + 1))
    return results
