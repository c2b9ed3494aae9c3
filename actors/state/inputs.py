"""What a node receives: the graph's state as the node's input schema sees it.

As in LangGraph, a node gets the graph's state type (a dict for a ``TypedDict``, an
instance for a dataclass or a pydantic model) unless its first parameter is annotated with
another schema (a private or narrower one), in which case it gets that schema's keys as
that type. Managed values (``RemainingSteps``, ``IsLastStep``) are filled in per step.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, get_type_hints

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .fields import schema_kind
from .schema import StateSchema


def declared_input_schema(fn: Callable[..., Any]) -> type[Any] | None:
    """The schema class a node function's first parameter is annotated with, if any."""
    target = fn
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = getattr(fn, "func", None) or vars(type(fn)).get("__call__") or fn
    try:
        params = list(inspect.signature(target).parameters.values())
        hints = get_type_hints(target)
    except Exception:  # an unresolvable forward reference: take the graph's schema
        return None
    if inspect.ismethod(target) or (params and params[0].name == "self"):
        params = params[1:] if params and params[0].name == "self" else params
    if not params:
        return None
    ann = hints.get(params[0].name)
    return ann if ann is not None and schema_kind(ann) is not None else None


# BaseModel's own slots, set through their descriptors: object.__setattr__ costs about a
# third of a microsecond a field, and BaseModel.__setattr__ (a plain assignment) far more
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _managed_values(managed: dict[str, str], step: int, limit: int) -> dict[str, Any]:
    # LangGraph's RemainingSteps is `stop - step`: with steps counted from 1, limit - step;
    # IsLastStep is true when one step remains.
    remaining = limit - step
    return {n: remaining if m == "remaining" else remaining == 1 for n, m in managed.items()}


def _copy_model(model: BaseModel) -> Any:
    """``model.model_copy()`` (pydantic's ``__copy__``) without ``copy.copy``'s generic
    dispatch for each of its three containers: a node's input, made every execution."""
    copy = _new(type(model))
    _set_dict(copy, model.__dict__.copy())
    extra = model.__pydantic_extra__
    _set_extra(copy, None if extra is None else extra.copy())
    _set_fields_set(copy, model.__pydantic_fields_set__.copy())
    private = getattr(model, "__pydantic_private__", None)
    if private is not None:
        private = {k: v for k, v in private.items() if v is not PydanticUndefined}
    _set_private(copy, private)
    return copy


class NodeInput:
    """Builds one node's input from the graph's state (cheaply: the common case of a
    TypedDict graph whose node reads the whole state is one shallow copy)."""

    __slots__ = ("_build", "_copy", "_graph", "_managed", "_schema")

    def __init__(self, graph: StateSchema, node_schema: StateSchema | None) -> None:
        self._graph = graph
        self._schema = node_schema
        own = node_schema if node_schema is not None else graph
        # managed fields the node's own schema declares
        self._managed = own.managed
        self._build: Callable[[dict[str, Any]], Any] = _builder(own)
        # how a model state is copied for the node: pydantic's own __copy__, faster, unless
        # the model has a __copy__ of its own
        model = graph.model
        self._copy: Callable[[Any], Any] = (
            _copy_model
            if graph.is_model and getattr(model, "__copy__", None) is BaseModel.__copy__
            else lambda state: state.model_copy()
        )

    def __call__(self, state: Any, step: int, limit: int) -> Any:
        graph = self._graph
        if self._schema is None:
            if graph.kind == "typeddict" and not self._managed:
                return dict(state)
            if graph.kind == "model":
                if not self._managed:  # a copy: the run changes its own state in place
                    return self._copy(state)
                return state.model_copy(update=_managed_values(self._managed, step, limit))
        values = graph.as_dict(state) if graph.is_model else state
        if self._schema is not None:
            wanted = self._schema.channels
            values = {k: v for k, v in values.items() if k in wanted}
        if self._managed:
            values = {**values, **_managed_values(self._managed, step, limit)}
        return self._build(values)


def _builder(schema: StateSchema) -> Callable[[dict[str, Any]], Any]:
    if schema.kind == "typeddict":
        return dict
    model = schema.model
    if schema.kind == "model":
        return model.model_validate  # type: ignore[no-any-return]
    return lambda values: model(**values)


class PathInput:
    """A conditional edge's path function's input when its first parameter is annotated
    with a schema: only that schema's keys (LangGraph's branch reader), taken from the
    state view the router already built (its managed values computed for the step)."""

    __slots__ = ("_build", "_graph", "_wanted")

    def __init__(self, graph: StateSchema, schema: StateSchema) -> None:
        self._graph = graph
        self._wanted = frozenset(schema.channels) | frozenset(schema.managed)
        self._build = _builder(schema)

    def __call__(self, state: Any) -> Any:
        values = self._graph.as_dict(state) if self._graph.is_model else state
        return self._build({k: v for k, v in values.items() if k in self._wanted})
