"""Task results as a saver stores them, and back with their types.

``SqliteSaver`` keeps writes as JSON, so a task's ``AIMessage``, pydantic model, dataclass
or tuple would come back as dicts and lists when an entrypoint runs again after an
``interrupt()`` (LangGraph's serialiser keeps their types). ``encode`` tags them
(``{"$model": "module:Class", "data": ...}``, ``{"$tuple": [...]}``...) and ``decode``
rebuilds them. A class is looked up only in modules already imported (a stored name never
imports anything); one that cannot be found comes back as its data.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from pydantic import BaseModel

_TAGS = ("$model", "$dataclass", "$tuple", "$dict")

MAX_DEPTH = 200
"""Levels ``encode`` follows before it refuses the value (one that holds itself never ends)."""


def encode(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-like data with its types tagged (what is not known is kept).
    ``TypeError`` for a value nested over ``MAX_DEPTH`` levels or holding itself, which
    no saver can keep (LangGraph's serialiser raises ``TypeError`` too)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if depth >= MAX_DEPTH:
        raise TypeError(
            f"Recursion limit reached: it nests over {MAX_DEPTH} levels, or holds itself"
        )
    inner = depth + 1
    if isinstance(value, list):
        return [encode(v, inner) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"$tuple": [encode(v, inner) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not any(k in _TAGS for k in value):
            return {k: encode(v, inner) for k, v in value.items()}
        return {"$dict": [[encode(k, inner), encode(v, inner)] for k, v in value.items()]}
    if isinstance(value, BaseModel):
        return {"$model": _name(type(value)), "data": encode(value.model_dump(), inner)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name), inner) for f in dataclasses.fields(value)}
        return {"$dataclass": _name(type(value)), "data": fields}
    return value


def decode(value: Any) -> Any:
    """The value ``encode`` tagged, rebuilt."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$tuple" in value and len(value) == 1:
        return tuple(decode(v) for v in value["$tuple"])
    if "$dict" in value and len(value) == 1:
        return {decode(k): decode(v) for k, v in value["$dict"]}
    for tag in ("$model", "$dataclass"):
        if tag in value and set(value) == {tag, "data"}:
            data = decode(value["data"])
            cls = _find(value[tag])
            if cls is None:
                return data
            if tag == "$model" and issubclass(cls, BaseModel):
                return cls.model_validate(data)
            if tag == "$dataclass" and dataclasses.is_dataclass(cls):
                factory: Any = cls
                return factory(**data)
            return data
    return {k: decode(v) for k, v in value.items()}


def _name(cls: type[Any]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _find(name: Any) -> Any:
    """The class ``module:qualname`` names, from an imported module only."""
    if not isinstance(name, str) or ":" not in name:
        return None
    module_name, qualname = name.split(":", 1)
    found: Any = sys.modules.get(module_name)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found if isinstance(found, type) else None


def with_article(noun: str) -> str:
    """``noun`` with its indefinite article ("a list", "an Opaque"), for messages."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
