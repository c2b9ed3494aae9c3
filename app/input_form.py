"""The input form, built from the graph's state model; Run is allowed only when it is valid.

Each field gets the editor its type calls for (see ``field_editors``); every edit
re-validates the whole input with pydantic and shows each error under its field. Nothing
here raises out of the window: an unexpected failure becomes a message on the form.
GUI thread only.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from graphstage.app.field_editors import (
    Editor,
    FieldSpec,
    InvalidValue,
    constraints_of,
    make_editor,
    unwrap,
)


def field_specs(model: type[Any]) -> list[FieldSpec]:
    """The fields of a pydantic model or a TypedDict, in declaration order."""
    specs: list[FieldSpec] = []
    if isinstance(model, type) and issubclass(model, BaseModel):
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
    required = getattr(model, "__required_keys__", frozenset())
    for name, annotation in typing.get_type_hints(model, include_extras=True).items():
        kind, optional, metadata = unwrap(annotation)
        specs.append(
            FieldSpec(name, kind, optional, None, name in required, constraints_of(metadata))
        )
    return specs


class InputForm(QWidget):
    """Editors for the state's fields (object name ``inputForm``)."""

    validityChanged = Signal(bool)
    """True when every field holds a valid value, False as soon as one does not."""

    def __init__(self, model: type[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputForm")
        self._model = model
        self._adapter: TypeAdapter[Any] | None = None
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._general_error = QLabel()
        self._general_error.setObjectName("fieldError")
        self._general_error.setWordWrap(True)
        self._general_error.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._form)
        outer.addWidget(self._general_error)
        outer.addStretch(1)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}
        self._valid = False
        try:
            self._build(model)
        except Exception as exc:  # a model we cannot introspect: say so, never crash
            self._show_general(f"cannot build a form for {model!r}: {exc}")
        self.revalidate()

    def _build(self, model: type[Any]) -> None:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            self._adapter = TypeAdapter(model)
        for spec in field_specs(model):
            editor = make_editor(spec)
            editor.widget.setObjectName(f"field_{spec.name}")
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
            self._form.addRow(label, holder)
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

    def set_enabled_for_run(self, running: bool) -> None:
        """Lock the editors while a run is going on."""
        for editor in self.editors.values():
            editor.widget.setEnabled(not running)

    def _collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.get()
            except InvalidValue as exc:
                problems[name] = str(exc)
        return values, problems

    def revalidate(self) -> None:
        """Check every field again and show the errors (after each edit, GUI thread)."""
        try:
            values, problems = self._collect()
            general = ""
            try:
                if self._adapter is not None:
                    self._adapter.validate_python(values)
                else:
                    self._model.model_validate(values)
            except ValidationError as exc:
                for error in exc.errors():
                    loc = error.get("loc") or ()
                    name = str(loc[0]) if loc else ""
                    if name in self.editors:
                        problems.setdefault(name, error.get("msg", "invalid"))
                    else:
                        general = general or error.get("msg", "invalid input")
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
        widget = self.editors[name].widget
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
