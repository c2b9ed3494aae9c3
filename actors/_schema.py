"""The state model: validating input and updates, and merging updates with reducers.

A state is a pydantic ``BaseModel`` (nodes receive model instances) or a ``TypedDict``
(nodes receive dicts). A field annotated ``Annotated[T, reducer]`` merges each update as
``reducer(old, new)``; any other field is overwritten, and may receive only one value a step.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, get_args, get_origin, get_type_hints, is_typeddict

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._errors import GraphError, InvalidUpdateError

Reducer = Callable[[Any, Any], Any]


def _reducer_of(annotation: Any) -> Reducer | None:
    """The last two-argument callable in ``Annotated[...]`` metadata, as LangGraph finds it."""
    if get_origin(annotation) is not Annotated:
        return None
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


class StateSchema:
    """Everything the supervisor needs to know about the state model, computed once."""

    def __init__(self, model: type[Any]) -> None:
        if isinstance(model, type) and issubclass(model, BaseModel):
            self.is_model = True
            hints: dict[str, Any] = {n: f.annotation for n, f in model.model_fields.items()}
            raw = get_type_hints(model, include_extras=True)
            hints = {name: raw.get(name, ann) for name, ann in hints.items()}
        elif is_typeddict(model):
            self.is_model = False
            hints = get_type_hints(model, include_extras=True)
        else:
            raise GraphError(
                f"StateGraph needs a pydantic BaseModel or a TypedDict as its state, "
                f"got {model!r}; declare `class State(BaseModel): ...`"
            )
        self.model = model
        self.name: str = model.__name__
        self.fields: tuple[str, ...] = tuple(hints)
        # field name -> reducer, for the fields declared Annotated[T, reducer]
        self.reducers: dict[str, Reducer] = {
            name: r for name, ann in hints.items() if (r := _reducer_of(ann)) is not None
        }
        # TypedDict only: field name -> adapter validating that one field's value
        self._adapters: dict[str, TypeAdapter[Any]] = (
            {} if self.is_model else {name: TypeAdapter(ann) for name, ann in hints.items()}
        )

    # -- input -----------------------------------------------------------------------

    def validate_input(self, value: Any) -> Any:
        """A full state from the caller's input; raises pydantic's ``ValidationError``."""
        if self.is_model:
            if isinstance(value, self.model):
                return value
            if value is None:
                value = {}
            return self.model.model_validate(value)
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise TypeError(f"input for {self.name} must be a mapping, got {type(value).__name__}")
        unknown = [k for k in value if k not in self._adapters]
        if unknown:
            raise InvalidUpdateError(self._unknown_message(unknown))
        return {k: self._adapters[k].validate_python(v) for k, v in value.items()}

    def as_dict(self, state: Any) -> dict[str, Any]:
        """The state's fields as a shallow dict (what ``ainvoke`` returns, as LangGraph)."""
        if self.is_model:
            return {name: getattr(state, name) for name in self.fields}
        return dict(state)

    # -- updates ---------------------------------------------------------------------

    def check_update(self, node: str, update: Any) -> dict[str, Any] | None:
        """A node's update as a dict of known fields, or ``InvalidUpdateError``."""
        if update is None:
            return None
        if isinstance(update, BaseModel):
            update = {k: getattr(update, k) for k in update.model_fields_set}
        if not isinstance(update, Mapping):
            raise InvalidUpdateError(
                f"node '{node}' returned {type(update).__name__} {update!r}; a node returns "
                f"a dict update, a Command or None"
            )
        unknown = [k for k in update if k not in self.fields]
        if unknown:
            raise InvalidUpdateError(f"node '{node}' returned " + self._unknown_message(unknown))
        return dict(update)

    def merge(
        self, state: Any, updates: Sequence[tuple[str, dict[str, Any]]]
    ) -> tuple[Any, dict[str, Any]]:
        """Apply the step's updates (in the given deterministic order) to ``state``.

        Returns the new state and the merged per-field delta. Raises ``InvalidUpdateError``
        naming the node and field when a value fails validation, a reducer raises, or two
        nodes write a field that has no reducer in the same step.
        """
        values: dict[str, Any] = {}
        writer_of: dict[str, str] = {}
        for node, update in updates:
            for field, value in update.items():
                reducer = self.reducers.get(field)
                if reducer is not None:
                    old = values[field] if field in values else self._get(state, field)
                    try:
                        value = reducer(old, value)
                    except Exception as exc:
                        raise InvalidUpdateError(
                            f"the reducer of field '{field}' raised {type(exc).__name__}: {exc} "
                            f"(update from node '{node}')"
                        ) from exc
                elif field in writer_of:
                    raise InvalidUpdateError(
                        f"field '{field}' received values from both '{writer_of[field]}' and "
                        f"'{node}' in one step; declare it Annotated[T, reducer] to merge them"
                    )
                writer_of[field] = node
                values[field] = value
        if not values:
            return state, values
        return self._apply(state, values, writer_of), values

    def _get(self, state: Any, field: str) -> Any:
        if self.is_model:
            return getattr(state, field)
        return state.get(field)

    def _apply(self, state: Any, values: dict[str, Any], writer_of: dict[str, str]) -> Any:
        if self.is_model:
            data = {name: getattr(state, name) for name in self.fields}
            data.update(values)
            try:
                return self.model.model_validate(data)
            except ValidationError as exc:
                raise InvalidUpdateError(self._validation_message(exc, writer_of)) from exc
        new = dict(state)
        for field, value in values.items():
            try:
                new[field] = self._adapters[field].validate_python(value)
            except ValidationError as exc:
                raise InvalidUpdateError(
                    f"node '{writer_of[field]}' set field '{field}' to {value!r}: "
                    f"{exc.errors()[0]['msg']}"
                ) from exc
        return new

    def _validation_message(self, exc: ValidationError, writer_of: dict[str, str]) -> str:
        parts = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            node = writer_of.get(field, "?")
            parts.append(f"node '{node}' set field '{field}' to {err.get('input')!r}: {err['msg']}")
        return "; ".join(parts)

    def _unknown_message(self, unknown: list[str]) -> str:
        return (
            f"unknown field(s) {', '.join(map(repr, unknown))} for state {self.name}; "
            f"its fields are: {', '.join(self.fields)}"
        )
