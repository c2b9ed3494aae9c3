"""Where a node or a conditional edge may lead, read from its annotations, as LangGraph reads
them: a path function returning ``Literal["a", "b"]``, a node returning
``Command[Literal["a", "b"]]``. The graph knows these edges (drawing uses them); routing
still follows what the function actually returns."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from ._command import Command


def _return_annotation(fn: Callable[..., Any]) -> Any:
    target = fn
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = getattr(fn, "func", None) or vars(type(fn)).get("__call__") or fn
    try:
        return get_type_hints(target).get("return")
    except Exception:  # an unresolvable forward reference: nothing is declared
        return None


def _members(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        return list(get_args(annotation))
    return [annotation]


def literal_targets(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The names a path function's ``Literal[...]`` return annotation lists."""
    out: list[str] = []
    for member in _members(_return_annotation(fn)):
        if get_origin(member) is Literal:
            out += [a for a in get_args(member) if isinstance(a, str)]
    return tuple(out)


def command_targets(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The names a node's ``Command[Literal[...]]`` return annotation lists."""
    out: list[str] = []
    for member in _members(_return_annotation(fn)):
        if get_origin(member) is Command:
            for arg in get_args(member):
                for lit in _members(arg):
                    if get_origin(lit) is Literal:
                        out += [a for a in get_args(lit) if isinstance(a, str)]
    return tuple(out)


def destinations_arg(destinations: Mapping[str, str] | Sequence[str] | None) -> tuple[str, ...]:
    """``add_node(..., destinations=...)``: a tuple of names, or a dict name -> edge label."""
    if destinations is None:
        return ()
    return tuple(destinations)
