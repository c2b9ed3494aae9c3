"""``StateSchema``: validating input and updates, and merging them, for one graph's state.

The state lives as a pydantic model instance (for a ``BaseModel`` schema; its
``model_fields_set`` says which fields have a value, as LangGraph's channels do) or as a
dict of the fields that have a value (``TypedDict`` and dataclass schemas; nodes of a
dataclass graph receive an instance built from it). Input and updates are validated field by
field; reducer fields are folded by their reducer and not re-validated (LangGraph validates
neither), so a step costs the size of its update.

The run's state is private to it and changed in place (nodes, path functions and events get
shallow copies): a pydantic state's changed fields are validated alone (with the model's
config) and set on the instance, not the whole model re-validated; a list reduced by
``operator.add`` grows in place (see ``growth``). A model with validators of its own
(``field_validator``, ``model_validator``) is validated whole after every step, as they
may read several fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from .._errors import GraphError, InvalidUpdateError, error_repr, troubleshooting
from .channels import Channel, merge_writes
from .fields import (
    MISSING,
    Reducer,
    empty_value,
    field_hints,
    is_ephemeral,
    managed_kind,
    reducer_of,
    schema_kind,
)
from .growth import appendable, extend, own_lists, split_appends


def _has_value(value: Any) -> bool:
    return value is not MISSING and value is not None


def _model_field_adapter(annotation: Any, model: type[BaseModel]) -> TypeAdapter[Any] | None:
    """A validator for one field of ``model``, with the model's config (strict...)."""
    try:
        config = ConfigDict(**{**model.model_config, "arbitrary_types_allowed": True})
        return TypeAdapter(annotation, config=config)
    except Exception:  # a model or TypedDict field type: it has a config of its own
        return _adapter(annotation)


def _adapter(annotation: Any) -> TypeAdapter[Any] | None:
    """A validator for one field's values; None for a type pydantic cannot validate (a
    user's class), whose values are then taken as they are, as LangGraph takes them all."""
    for config in (ConfigDict(arbitrary_types_allowed=True), None):
        try:
            return TypeAdapter(annotation, config=config)
        except Exception:
            continue
    return None


class StateSchema:
    """Everything the supervisor needs to know about the state, computed once.

    ``extra`` are further schemas whose fields join the state (``input_schema``,
    ``output_schema``, nodes' private input schemas), as LangGraph makes every schema's
    keys a channel of the graph.
    """

    def __init__(
        self,
        model: type[Any],
        *,
        extra: Sequence[type[Any]] = (),
        output: type[Any] | None = None,
    ) -> None:
        kind = schema_kind(model)
        if kind is None:
            raise GraphError(
                f"StateGraph needs a TypedDict, a dataclass or a pydantic BaseModel as its "
                f"state, got {model!r}; declare `class State(TypedDict): ...`"
            )
        self.kind = kind
        self.is_model = kind == "model"
        self.name: str = model.__name__
        hints = field_hints(model, kind)
        added: dict[str, Any] = {}
        output_fields: list[str] = []
        if output is not None and output is not model:
            extra = [*extra, output]
        for other in extra:
            other_kind = schema_kind(other)
            if other_kind is None:
                raise GraphError(f"{other!r} is not a TypedDict, dataclass or BaseModel")
            for name, ann in field_hints(other, other_kind).items():
                if other is output:
                    output_fields.append(name)
                if name not in hints and name not in added:
                    added[name] = ann
        if added and kind == "model":
            # a subclass holds the other schemas' keys too: nodes still get a `model`
            model = create_model(  # type: ignore[call-overload]
                model.__name__, __base__=model, **{n: (a, None) for n, a in added.items()}
            )
        if added and not output_fields:  # private keys: ainvoke returns the state's own
            output_fields = [n for n in hints if managed_kind(hints[n]) is None]
        hints.update(added)
        self.model = model
        # field name -> "remaining" / "last": managed values, computed per step, never written
        self.managed: dict[str, str] = {
            name: m for name, ann in hints.items() if (m := managed_kind(ann)) is not None
        }
        # field name -> its merge rule, for every field that is a channel
        self.channels: dict[str, Channel] = {}
        for name, ann in hints.items():
            if name not in self.managed:
                reducer = reducer_of(ann)
                empty = empty_value(ann) if reducer is not None else MISSING
                self.channels[name] = Channel(name, reducer, empty)
        self.fields: tuple[str, ...] = tuple(self.channels)
        # fields whose value lasts one step (LangGraph's EphemeralValue): set back to None
        # after a step that did not write them
        self.ephemeral = tuple(n for n in self.channels if is_ephemeral(hints[n]))
        # the fields ainvoke and the values stream show (output_schema's), None: all
        self.output_fields: frozenset[str] | None = (
            frozenset(f for f in output_fields if f in self.channels) if output_fields else None
        )
        # the fields without a reducer: a step writing only these folds nothing
        self._last_value = frozenset(n for n, c in self.channels.items() if c.reducer is None)
        self.reducers: dict[str, Reducer] = {
            name: c.reducer for name, c in self.channels.items() if c.reducer is not None
        }
        # dict-backed kinds: field name -> validator of a last-value field's values
        self._adapters: dict[str, TypeAdapter[Any] | None] = (
            {}
            if self.is_model
            else {n: _adapter(hints[n]) for n, c in self.channels.items() if c.reducer is None}
        )
        types = dict(hints)
        self._whole = False  # validate the whole model after each step (it has validators)
        if self.is_model:
            decorators = model.__pydantic_decorators__
            self._whole = bool(
                decorators.field_validators
                or decorators.model_validators
                or decorators.root_validators
                or decorators.validators
            )
            # a field's own constraints (Field(gt=0)...) live in its FieldInfo's metadata
            for name, info in model.model_fields.items():
                if name in self.channels:
                    types[name] = (
                        Annotated[(info.annotation, *info.metadata)]
                        if info.metadata
                        else info.annotation
                    )
                    self._adapters[name] = _model_field_adapter(types[name], model)
        # field -> its adapter's core validate_python, bound on first use (a hot path:
        # TypeAdapter.validate_python is a Python wrapper around it)
        self._checks: dict[str, Any] = {}
        # list fields reduced by operator.add: grown in place (see growth)
        self._appendable = frozenset() if self._whole else appendable(self.reducers, types)
        # pydantic's defaults, to tell which fields of a returned model are updates
        self._defaults: dict[str, Any] = (
            {n: f.default for n, f in model.model_fields.items()} if self.is_model else {}
        )

    # -- input -----------------------------------------------------------------------

    def validate_input(self, value: Any, *, restore: bool = False) -> Any:
        """A state from the caller's input; raises pydantic's ``ValidationError`` or
        ``InvalidUpdateError``. Input to a reducer field goes through its reducer from the
        field's empty value, as in LangGraph; ``restore`` takes a checkpoint's values as
        they are instead."""
        if value is None:
            value = {}
        data = self.updates_of(value) if not isinstance(value, Mapping) else dict(value)
        if data is None:  # LangGraph's error and first words, then what to pass
            shown = error_repr(value)
            shown = shown if len(shown) <= 200 else shown[:200] + "..."
            raise InvalidUpdateError(
                f"Expected dict, got {shown}: the input for {self.name} is "
                f"{type(value).__name__}; pass a dict of its fields (or None)"
                + troubleshooting("INVALID_GRAPH_NODE_RETURN_VALUE")
            )
        for name in self.managed:
            data.pop(name, None)
        if not self.is_model:
            unknown = [k for k in data if k not in self.channels]
            if unknown:
                raise InvalidUpdateError(self._unknown_message(unknown))
        for name, channel in self.channels.items():
            if channel.reducer is None:
                continue
            start = channel.start()
            if name in data:
                if not restore:
                    data[name] = channel.reduce(start, data[name], "input")
            elif start is not MISSING:
                data[name] = start
        if self.is_model:
            return self.model.model_validate(data)
        return {k: self._validate_field(k, v, "input") for k, v in data.items()}

    def own(self, state: Any) -> Any:
        """The run's private copy of a validated input: shallow, except that the lists that
        grow in place are copied once here (O(input), as its validation), so the input
        itself, which ``RunStarted`` keeps, never changes."""
        if self.is_model:
            copy = state.model_copy()
            own_lists(copy.__dict__, self._appendable)
            return copy
        copy = dict(state)
        own_lists(copy, self._appendable)
        return copy

    def as_dict(self, state: Any) -> dict[str, Any]:
        """The fields that have a value, as a shallow dict (what ``ainvoke`` returns, and
        what LangGraph returns for every kind of state)."""
        if self.is_model:
            have = state.model_fields_set
            return {name: getattr(state, name) for name in self.fields if name in have}
        return dict(state)

    def output(self, state: Any) -> dict[str, Any]:
        """``as_dict`` narrowed to the output schema's fields, if the graph has one."""
        values = self.as_dict(state)
        wanted = self.output_fields
        if wanted is None:
            return values
        return {k: v for k, v in values.items() if k in wanted}

    # -- updates ---------------------------------------------------------------------

    def updates_of(self, value: Any) -> dict[str, Any] | None:
        """The fields a returned model or dataclass instance writes, by LangGraph's rule:
        those set explicitly, not None, or whose default is not None. None if ``value``
        is no such object."""
        if isinstance(value, BaseModel):
            keep = value.model_fields_set
            defaults = {k: f.default for k, f in type(value).model_fields.items()}
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            keep, defaults = set(), {f.name: f.default for f in dataclasses.fields(value)}
        else:
            return None
        out = {}
        for name in self.fields:
            item = getattr(value, name, MISSING)
            if item is not MISSING and (
                item is not None or defaults.get(name, MISSING) is not None or name in keep
            ):
                out[name] = item
        return out

    def check_update(self, node: str, update: Any) -> dict[str, Any] | None:
        """A node's update as a dict of known fields, or ``InvalidUpdateError``.

        Managed fields (``RemainingSteps``) are dropped, as LangGraph drops them, so a
        node may return its whole input. An unknown field is an error naming it (LangGraph
        drops it silently; graphstage keeps the typo from going unnoticed).
        """
        if update is None:
            return None
        if not isinstance(update, Mapping):
            fields = self.updates_of(update)
            if fields is None:
                raise InvalidUpdateError(  # LangGraph's first words, then the node
                    f"Expected dict, got {update!r}: node '{node}' returned "
                    f"{type(update).__name__} {update!r}; a node returns a dict update, a "
                    f"Command or None" + troubleshooting("INVALID_GRAPH_NODE_RETURN_VALUE")
                )
            return fields
        channels = self.channels
        if type(update) is dict:
            if channels.keys() >= update.keys():
                return dict(update)
        elif all(k in channels for k in update):
            return dict(update)
        unknown = [k for k in update if k not in channels and k not in self.managed]
        if unknown:
            raise InvalidUpdateError(f"node '{node}' returned " + self._unknown_message(unknown))
        return {k: v for k, v in update.items() if k in channels}

    def merge(
        self, state: Any, updates: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> tuple[Any, dict[str, Any], dict[str, list[Any]]]:
        """Apply the step's updates (in the given deterministic order) to the run's private
        ``state``, in place.

        Returns the state, the fields set (field -> new value) and the items appended to
        lists (field -> items): the step's delta. Nothing is applied if anything is
        invalid: ``InvalidUpdateError`` names the node and field when a value fails
        validation, a reducer raises, or two nodes write a last-value field in one step.
        """
        if len(updates) == 1:
            node, update = updates[0]
            done = self.merge_one(state, node, update)
            if done is not None:
                return done
        getter = self._getter(state)
        appends: dict[str, list[Any]] = {}
        if self._appendable:
            check = self._validate_field if self.is_model else None
            appends, updates = split_appends(self._appendable, getter, updates, check)
        values, writer_of = merge_writes(self.channels, getter, updates)
        # an ephemeral value written a step ago expires now (not validated: None may not
        # be of its type, and it only says "no value")
        expired = [f for f in self.ephemeral if f not in values and _has_value(getter(f))]
        if not values and not appends and not expired:
            return state, values, appends
        if self._whole:
            have = state.model_fields_set
            data = {name: getattr(state, name) for name in self.fields if name in have}
            data.update(values)
            try:
                new = self.model.model_validate(data)
            except ValidationError as exc:
                raise InvalidUpdateError(self._validation_message(exc, writer_of)) from exc
            return new, {field: getattr(new, field) for field in values}, {}
        for field, value in values.items():
            if self.is_model or self.channels[field].reducer is None:
                values[field] = self._validate_field(field, value, writer_of[field])
        # nothing can fail from here on
        values.update(dict.fromkeys(expired))
        target: dict[str, Any] = state.__dict__ if self.is_model else state
        target.update(values)
        for field, items in appends.items():
            extend(target, field, items)
        if self.is_model:
            state.__pydantic_fields_set__.update(values, appends)
        return state, values, appends

    def merge_one(
        self, state: Any, node: str, update: Mapping[str, Any]
    ) -> tuple[Any, dict[str, Any], dict[str, list[Any]]] | None:
        """``merge`` of one node's update of last-value fields only (the common step), or
        None if it needs the general merge: a reducer to fold, an ephemeral field to
        expire, a model validated whole, or an empty update."""
        if self._whole or self.ephemeral or not update or not self._last_value.issuperset(update):
            return None
        checks = self._checks
        values = {}
        for field, value in update.items():
            check = checks.get(field)
            if check is None:
                values[field] = self._validate_field(field, value, node)
            else:
                try:
                    values[field] = check(value)
                except ValidationError:  # again, to raise the error naming node and field
                    values[field] = self._validate_field(field, value, node)
        if self.is_model:
            state.__dict__.update(values)
            state.__pydantic_fields_set__.update(values)
        else:
            state.update(values)
        return state, values, {}

    def _getter(self, state: Any) -> Any:
        if self.is_model:
            have = state.model_fields_set
            return lambda field: getattr(state, field) if field in have else MISSING
        return lambda field: state.get(field, MISSING)

    def _validate_field(self, field: str, value: Any, node: str) -> Any:
        check = self._checks.get(field)
        if check is None:
            adapter = self._adapters.get(field)
            if adapter is None:
                return value
            check = self._checks[field] = adapter.validator.validate_python
        try:
            return check(value)
        except ValidationError as exc:
            raise InvalidUpdateError(
                f"node '{node}' set field '{field}' to {value!r}: {exc.errors()[0]['msg']}"
            ) from exc

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
