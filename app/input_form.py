"""The input form, built from the graph's state model; Run is allowed only when it is valid.

Each field gets the editor its type calls for (see ``field_editors``); every edit
re-validates the whole input with pydantic and shows each error under its field. Nothing
here raises out of the window: an unexpected failure becomes a message on the form.
GUI thread only.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from graphstage.app.field_editors import (
    OMIT,
    Editor,
    FieldSpec,
    InvalidValue,
    constraints_of,
    make_editor,
    unwrap,
)


def is_pydantic_model(model: Any) -> bool:
    """True for a pydantic ``BaseModel`` class (``issubclass`` raises on a TypedDict)."""
    try:
        return isinstance(model, type) and issubclass(model, BaseModel)
    except TypeError:
        return False


def input_model(graph: Any) -> type[Any]:
    """The model the input form is built from: the graph's ``input_schema`` where it has
    one (as LangGraph's ``StateGraph(State, input_schema=Input)``), else its state."""
    for holder in (graph, getattr(graph, "builder", None)):
        schema = getattr(holder, "input_schema", None)
        schema = getattr(schema, "model", schema)  # a StateSchema wrapper, if any
        if isinstance(schema, type):
            return schema
    return graph.state_schema  # type: ignore[no-any-return]


def field_specs(model: type[Any]) -> list[FieldSpec]:
    """The fields of a pydantic model, a dataclass or a TypedDict, in declaration order.

    A TypedDict's fields may all be left out of the input (LangGraph and graphstage accept
    a partial input for one), so each gets an "include" box, unticked at first.
    """
    specs: list[FieldSpec] = []
    if is_pydantic_model(model):
        for name, info in model.model_fields.items():
            kind, optional, metadata = unwrap(info.annotation)
            default = (
                info.get_default(call_default_factory=True) if not info.is_required() else None
            )
            specs.append(
                FieldSpec(
                    name,
                    kind,
                    optional,
                    default,
                    info.is_required(),
                    constraints_of([*info.metadata, *metadata]),
                    info.description or "",
                )
            )
        return specs
    hints = typing.get_type_hints(model, include_extras=True)
    if dataclasses.is_dataclass(model):
        for f in dataclasses.fields(model):
            kind, optional, metadata = unwrap(hints.get(f.name, f.type))
            if f.default is not dataclasses.MISSING:
                default, required = f.default, False
            elif f.default_factory is not dataclasses.MISSING:
                default, required = f.default_factory(), False
            else:
                default, required = None, True
            specs.append(
                FieldSpec(f.name, kind, optional, default, required, constraints_of(metadata))
            )
        return specs
    for name, annotation in hints.items():
        kind, optional, metadata = unwrap(annotation)
        specs.append(
            FieldSpec(name, kind, optional, None, False, constraints_of(metadata), omittable=True)
        )
    return specs


QWIDGETSIZE_MAX = (1 << 24) - 1
"""Qt's largest widget size (a maximum height unset)."""
SINGLE_LINE_MAX = 36
"""Fields up to this tall (pixels) are one line high: their labels are centred on them."""
NOTHING_READ = (
    "No node reads a field of this state, so none is offered as input: the run starts "
    "from the state's defaults. Tick \u201cShow all fields\u201d below to set any of them."
)
"""What the form says when every field is hidden behind *Show all fields*."""


class _LabelAligner(QObject):
    """Keeps a one-line field's label as tall as the field (its size is known only once
    the window's style sheet applies), so their texts share a line: a form's labels sat at
    the top of their row, 3-4 px above the field's text."""

    def __init__(self, label: QWidget, field: QWidget) -> None:
        super().__init__(label)
        self._label = label
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            height = watched.height()
            one_line = height <= SINGLE_LINE_MAX
            self._label.setMinimumHeight(height if one_line else 0)
            self._label.setMaximumHeight(height if one_line else QWIDGETSIZE_MAX)
        return False


def align_label(label: QWidget, field: QWidget) -> None:
    """Centre ``label``'s text on ``field``'s when the field is one line high."""
    _LabelAligner(label, field)


class InputForm(QWidget):
    """Editors for the state's fields (object name ``inputForm``)."""

    validityChanged = Signal(bool)
    """True when every field holds a valid value, False as soon as one does not."""

    def __init__(
        self,
        model: type[Any],
        parent: QWidget | None = None,
        *,
        initial: dict[str, Any] | None = None,
        shown: set[str] | None = None,
    ) -> None:
        """``initial``: values the editors start from instead of the fields' defaults (a
        checkpoint's state, edited before a fork). ``shown``: the fields offered
        (``input_fields``); the others are built too but hidden and left out of the input
        until ``show_all(True)``. None: every field."""
        super().__init__(parent)
        self.setObjectName("inputForm")
        self._model = model
        self._shown = shown
        self.hidden: list[str] = []  # fields not offered (no node reads them), in order
        self._adapter: TypeAdapter[Any] | None = None  # dataclasses: the whole input
        self._field_adapters: dict[str, TypeAdapter[Any]] = {}  # TypedDicts: per field
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._general_error = QLabel()
        self._general_error.setObjectName("fieldError")
        self._general_error.setWordWrap(True)
        self._general_error.hide()
        # said when every field is hidden: an empty form looked broken, with no way out
        self.note = QLabel(NOTHING_READ)
        self.note.setObjectName("formNote")
        self.note.setWordWrap(True)
        self.note.hide()
        outer = QVBoxLayout(self)
        # room inside the form's frame: labels and fields touched its left and right edges
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(self.note)
        outer.addLayout(self._form)
        outer.addWidget(self._general_error)
        outer.addStretch(1)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}
        self._showing_all = False
        self._valid = False
        try:
            self._build(model, initial or {})
        except Exception as exc:  # a model we cannot introspect: say so, never crash
            self._show_general(f"cannot build a form for {model!r}: {exc}")
        self._show_note()
        self.revalidate()

    def _build(self, model: type[Any], initial: dict[str, Any]) -> None:
        specs = field_specs(model)
        for spec in specs:
            if spec.name in initial:
                spec.default = initial[spec.name]
        if dataclasses.is_dataclass(model):
            self._adapter = TypeAdapter(model)
        elif not is_pydantic_model(model):
            hints = typing.get_type_hints(model, include_extras=True)
            self._field_adapters = {s.name: TypeAdapter(hints[s.name]) for s in specs}
        if not specs:
            self._show_general("this graph's input has no fields")
        for spec in specs:
            editor = make_editor(spec)
            (editor.named or editor.widget).setObjectName(f"field_{spec.name}")
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor.widget)
            if spec.description:
                hint = QLabel(spec.description)
                hint.setObjectName("fieldHint")
                hint.setWordWrap(True)
                column.addWidget(hint)
            column.addWidget(error)
            label = QLabel(spec.name + (" *" if spec.required else ""))
            label.setToolTip(spec.description or spec.name)
            align_label(label, editor.widget)
            self._form.addRow(label, holder)
            if self._shown is not None and spec.name not in self._shown:
                self.hidden.append(spec.name)
                self._form.setRowVisible(self._form.rowCount() - 1, False)
            self.editors[spec.name] = editor
            self.errors[spec.name] = error
            editor.connect(self.revalidate)

    @property
    def is_valid(self) -> bool:
        """True when the current input would be accepted by the state model."""
        return self._valid

    def values(self) -> dict[str, Any] | None:
        """The input as a dict for ``graph.start``, or None while it is invalid."""
        return self._collect()[0] if self._valid else None

    def show_all(self, on: bool) -> None:
        """Offer the hidden fields too (``on``), or hide them again (their values are then
        left out of the input)."""
        names = list(self.editors)
        for name in self.hidden:
            self._form.setRowVisible(names.index(name), on)
        self._showing_all = on
        self._show_note()
        self.revalidate()

    def _show_note(self) -> None:
        """The note is shown while every field is hidden (no node reads any)."""
        offered = [name for name in self.editors if name not in self.hidden]
        self.note.setVisible(bool(self.editors) and not offered and not self._showing_all)

    def set_enabled_for_run(self, running: bool) -> None:
        """Lock the editors while a run is going on (or a replay is shown)."""
        for editor in self.editors.values():
            editor.widget.setEnabled(not running)

    def _collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, editor in self.editors.items():
            if name in self.hidden and not self._showing_all:
                continue  # not offered: not part of the input (the state's default stands)
            try:
                value = editor.get()
            except InvalidValue as exc:
                problems[name] = str(exc)
                continue
            if value is not OMIT:
                values[name] = value
        return values, problems

    def revalidate(self) -> None:
        """Check every field again and show the errors (after each edit, GUI thread)."""
        try:
            values, problems = self._collect()
            general = ""
            errors: list[tuple[tuple[Any, ...], str]] = []
            try:
                if self._field_adapters:
                    for name, value in values.items():
                        try:
                            self._field_adapters[name].validate_python(value)
                        except ValidationError as exc:
                            errors += [((name,), e.get("msg", "invalid")) for e in exc.errors()]
                elif self._adapter is not None:
                    self._adapter.validate_python(values)
                else:
                    self._model.model_validate(values)
            except ValidationError as exc:
                errors += [
                    (tuple(e.get("loc") or ()), e.get("msg", "invalid")) for e in exc.errors()
                ]
            for loc, msg in errors:
                name = str(loc[0]) if loc else ""
                if name in self.editors and name not in values and name not in problems:
                    problems[name] = "required"
                elif name in self.editors:
                    problems.setdefault(name, msg)
                else:
                    general = general or msg
            for name, label in self.errors.items():
                self._mark(name, label, problems.get(name, ""))
            self._show_general(general)
            valid = not problems and not general
        except Exception as exc:  # a validator raised something odd: show it, stay alive
            self._show_general(f"cannot check the input: {type(exc).__name__}: {exc}")
            valid = False
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)

    def _mark(self, name: str, label: QLabel, problem: str) -> None:
        label.setText(problem)
        label.setVisible(bool(problem))
        editor = self.editors[name]
        widget = editor.named or editor.widget
        widget.setToolTip(problem)
        if bool(widget.property("invalid")) != bool(problem):
            widget.setProperty("invalid", bool(problem))
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _show_general(self, text: str) -> None:
        self._general_error.setText(text)
        self._general_error.setVisible(bool(text))

    def error_text(self, name: str) -> str:
        """The error shown under field ``name`` (empty when it is valid)."""
        label = self.errors.get(name)
        return label.text() if label is not None and label.isVisibleTo(self) else ""
