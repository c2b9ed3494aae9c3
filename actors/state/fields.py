"""Reading a state schema's fields: kinds of schema, reducers, empty values, managed values.

LangGraph reads a state class's annotations the same way whatever its kind (``TypedDict``
from ``typing`` or ``typing_extensions``, a dataclass, a pydantic model): each field becomes a
channel; ``Annotated[T, reducer]`` makes it a reducer channel that starts at ``T()``; a
``RemainingSteps`` field is a managed value computed per step, never written.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Final, Literal, get_args, get_origin, get_type_hints

import typing_extensions
from pydantic import BaseModel

from .._errors import GraphError

Reducer = Callable[[Any, Any], Any]
SchemaKind = Literal["model", "typeddict", "dataclass"]


class _Missing:
    """The value of a channel that has none (LangGraph's ``MISSING``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

# typing's and typing_extensions' qualifiers are different objects before Python 3.13
_QUALIFIERS = {
    typing_extensions.Required,
    typing_extensions.NotRequired,
    typing_extensions.ReadOnly,
}
try:
    from typing import NotRequired, ReadOnly, Required  # type: ignore[attr-defined]

    _QUALIFIERS |= {NotRequired, Required, ReadOnly}
except ImportError:  # ReadOnly is new in 3.13
    from typing import NotRequired, Required

    _QUALIFIERS |= {NotRequired, Required}


def schema_kind(schema: Any) -> SchemaKind | None:
    """What kind of state class ``schema`` is, or None if it is none of the three.

    ``typing_extensions.is_typeddict`` recognises both ``typing.TypedDict`` and
    ``typing_extensions.TypedDict`` classes (on 3.11, ``typing.is_typeddict`` does not
    recognise the latter, which most of LangGraph's docs import).
    """
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return "model"
    if typing_extensions.is_typeddict(schema):
        return "typeddict"
    if isinstance(schema, type) and dataclasses.is_dataclass(schema):
        return "dataclass"
    return None


def strip_qualifiers(annotation: Any) -> Any:
    """``annotation`` without ``Required`` / ``NotRequired`` / ``ReadOnly`` wrappers, also
    inside ``Annotated[...]`` (they only say whether a TypedDict key may be absent)."""
    origin = get_origin(annotation)
    if origin in _QUALIFIERS:
        return strip_qualifiers(get_args(annotation)[0])
    if origin is Annotated:
        inner, *meta = get_args(annotation)
        stripped = strip_qualifiers(inner)
        if stripped is not inner:
            return Annotated[(stripped, *meta)]
    return annotation


def field_hints(schema: type[Any], kind: SchemaKind) -> dict[str, Any]:
    """Field name -> annotation (with ``Annotated`` metadata, without qualifiers)."""
    try:
        raw = get_type_hints(schema, include_extras=True)
    except NameError as exc:  # a string annotation naming something out of reach
        raise GraphError(
            f"the annotations of state {schema.__name__} could not be resolved ({exc}); "
            f"define what they name at module level (with `from __future__ import "
            f"annotations`, a class inside a function cannot see that function's names)"
        ) from exc
    if kind == "model":
        names: Any = schema.model_fields
    elif kind == "dataclass":
        names = [f.name for f in dataclasses.fields(schema)]
    else:
        names = raw
    return {name: strip_qualifiers(raw[name]) for name in names if name in raw}


def reducer_of(annotation: Any) -> Reducer | None:
    """The last two-argument callable in ``Annotated[...]`` metadata, as LangGraph finds it."""
    if get_origin(annotation) is not Annotated:
        return None
    last = get_args(annotation)[-1]
    if callable(last) and not isinstance(last, type):
        try:
            sig = inspect.signature(last)
        except (TypeError, ValueError):
            sig = None
        if sig is not None and _positional(sig) != 2:
            # LangGraph refuses it when the schema is declared (a one-argument function is
            # not a reducer, and would fail only at the first write)
            raise GraphError(f"Invalid reducer signature. Expected (a, b) -> c. Got {sig}")
    for meta in reversed(get_args(annotation)[1:]):
        if callable(meta) and not isinstance(meta, type):
            try:
                params = inspect.signature(meta).parameters.values()
            except (TypeError, ValueError):
                continue
            positional = [
                p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            if len(positional) == 2:
                return meta  # type: ignore[no-any-return]
    return None


def _positional(sig: inspect.Signature) -> int:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(p.kind in kinds for p in sig.parameters.values())


def empty_value(annotation: Any) -> Any:
    """The value a reducer channel starts at: its type called with no arguments
    (``list`` -> ``[]``, ``int`` -> ``0``), or ``MISSING`` when that cannot be done, as in
    LangGraph's ``BinaryOperatorAggregate``. Then the first update is taken as it is."""
    typ = annotation
    while (origin := get_origin(typ)) is not None and origin is not Literal:
        typ = get_args(typ)[0] if origin is Annotated or origin in _QUALIFIERS else origin
    if typ in (collections.abc.Sequence, collections.abc.MutableSequence):
        typ = list
    elif typ in (collections.abc.Set, collections.abc.MutableSet):
        typ = set
    elif typ in (collections.abc.Mapping, collections.abc.MutableMapping):
        typ = dict
    try:
        return typ()
    except Exception:
        return MISSING


class RemainingStepsManager:
    """Marks a ``RemainingSteps`` field: the steps left before the recursion limit."""


class IsLastStepManager:
    """Marks an ``IsLastStep`` field: true on the last step the recursion limit allows."""


RemainingSteps = Annotated[int, RemainingStepsManager]
"""A state field filled per step with the steps left before ``recursion_limit``."""
IsLastStep = Annotated[bool, IsLastStepManager]
"""A state field that is true on the last step ``recursion_limit`` allows."""

_MANAGED_NAMES = {"RemainingStepsManager": "remaining", "IsLastStepManager": "last"}


def is_ephemeral(annotation: Any) -> bool:
    """A field declared ``Annotated[T, EphemeralValue]`` (LangGraph's channel, matched by
    name): its value lasts one step, as ``create_agent``'s ``jump_to``."""
    return get_origin(annotation) is Annotated and any(
        getattr(meta, "__name__", None) == "EphemeralValue" for meta in get_args(annotation)[1:]
    )


def managed_kind(annotation: Any) -> str | None:
    """``"remaining"`` / ``"last"`` for a managed field (graphstage's or LangGraph's own
    marker, matched by name so a LangGraph state class works unchanged), else None."""
    if get_origin(annotation) is not Annotated:
        return None
    for meta in get_args(annotation)[1:]:
        name = getattr(meta, "__name__", None)
        if isinstance(meta, type) and name in _MANAGED_NAMES:
            return _MANAGED_NAMES[name]
    return None
