"""One editor widget per state field, chosen from the field's type and constraints.

int -> QSpinBox (``gt``/``ge``/``lt``/``le`` become its limits), float -> QDoubleSpinBox,
bool -> QCheckBox, str -> QLineEdit, Enum/Literal -> QComboBox, ``X | None`` -> the editor
of X with a "set" check box (a str is None when left empty), anything else -> JSON text.
GUI thread only.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import PydanticUndefined
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

INT_LIMIT = 2**31 - 1  # QSpinBox holds a C int


@dataclass(slots=True)
class FieldSpec:
    """What the form needs to know about one field of the state model."""

    name: str
    annotation: Any
    """The type, with ``Optional`` and ``Annotated`` stripped."""
    optional: bool = False
    """True for ``X | None``."""
    default: Any = None
    required: bool = False
    constraints: dict[str, Any] = field(default_factory=dict)
    """``gt``, ``ge``, ``lt``, ``le``, ``min_length``, ``max_length``, ``pattern``..."""
    description: str = ""


class InvalidValue(ValueError):
    """An editor could not turn its text into a value (bad JSON, for instance)."""


@dataclass(slots=True)
class Editor:
    """An editor: its widget, how to read it, and how to learn that it changed."""

    widget: QWidget
    get: Callable[[], Any]
    """The value; raises ``InvalidValue`` when the text cannot be parsed."""
    connect: Callable[[Callable[[], None]], None]
    """Call the given function whenever the user edits the value."""


def unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(bare type, optional?, Annotated metadata) of an annotation."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        metadata.extend(typing.get_args(annotation)[1:])
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)) and len(args) == 1:
            inner, _, more = unwrap(args[0])
            return inner, True, metadata + more
    return annotation, False, metadata


def constraints_of(metadata: list[Any]) -> dict[str, Any]:
    """Constraint name -> value from annotated-types / pydantic metadata objects."""
    found: dict[str, Any] = {}
    names = ("gt", "ge", "lt", "le", "min_length", "max_length", "pattern", "multiple_of")
    for meta in metadata:
        for name in names:
            value = getattr(meta, name, None)
            if value is not None:
                found[name] = value
    return found


def make_editor(spec: FieldSpec) -> Editor:
    """The fitting editor for ``spec``, showing its default."""
    kind, default = spec.annotation, spec.default
    if spec.optional and kind is str:
        return _str_editor(spec, none_if_empty=True)
    if spec.optional and _simple(kind):
        return _optional_editor(spec)
    if kind is bool:
        box = QCheckBox()
        box.setChecked(bool(default))
        return Editor(box, box.isChecked, lambda f: box.toggled.connect(lambda _: f()))
    if kind is int:
        return _int_editor(spec)
    if kind is float:
        return _float_editor(spec)
    if kind is str:
        return _str_editor(spec)
    if _choices(kind) is not None:
        return _choice_editor(spec)
    return _json_editor(spec)


def _simple(kind: Any) -> bool:
    return kind in (int, float, bool) or _choices(kind) is not None


def _choices(kind: Any) -> list[tuple[str, Any]] | None:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [(str(m.value), m) for m in kind]
    if typing.get_origin(kind) is typing.Literal:
        return [(str(v), v) for v in typing.get_args(kind)]
    return None


def _int_editor(spec: FieldSpec) -> Editor:
    c = spec.constraints
    low = c["gt"] + 1 if "gt" in c else c.get("ge", -INT_LIMIT)
    high = c["lt"] - 1 if "lt" in c else c.get("le", INT_LIMIT)
    box = QSpinBox()
    box.setRange(max(-INT_LIMIT, int(low)), min(INT_LIMIT, int(high)))
    box.setValue(
        int(spec.default)
        if isinstance(spec.default, int)
        else box.minimum()
        if box.minimum() > 0
        else 0
    )
    box.setAccelerated(True)
    return Editor(box, box.value, lambda f: box.valueChanged.connect(lambda _: f()))


def _float_editor(spec: FieldSpec) -> Editor:
    c = spec.constraints
    box = QDoubleSpinBox()
    box.setDecimals(3)
    box.setRange(float(c.get("gt", c.get("ge", -1e12))), float(c.get("lt", c.get("le", 1e12))))
    if isinstance(spec.default, int | float):
        box.setValue(float(spec.default))
    return Editor(box, box.value, lambda f: box.valueChanged.connect(lambda _: f()))


def _str_editor(spec: FieldSpec, *, none_if_empty: bool = False) -> Editor:
    line = QLineEdit()
    if isinstance(spec.default, str):
        line.setText(spec.default)
    if none_if_empty:
        line.setPlaceholderText("None (leave empty)")
    if "max_length" in spec.constraints:
        line.setMaxLength(int(spec.constraints["max_length"]))

    def get() -> Any:
        text = line.text()
        return None if none_if_empty and not text else text

    return Editor(line, get, lambda f: line.textChanged.connect(lambda _: f()))


def _choice_editor(spec: FieldSpec) -> Editor:
    choices = _choices(spec.annotation) or []
    combo = QComboBox()
    for label, value in choices:
        combo.addItem(label, value)
    for i, (_, value) in enumerate(choices):
        if value == spec.default:
            combo.setCurrentIndex(i)
    return Editor(
        combo,
        lambda: choices[combo.currentIndex()][1] if choices else None,
        lambda f: combo.currentIndexChanged.connect(lambda _: f()),
    )


def _json_editor(spec: FieldSpec) -> Editor:
    line = QLineEdit()
    line.setProperty("json", True)
    default = None if spec.default is PydanticUndefined else spec.default
    try:
        line.setText(json.dumps(default))
    except (TypeError, ValueError):
        line.setText("null")
    line.setPlaceholderText("JSON")

    def get() -> Any:
        try:
            return json.loads(line.text())
        except json.JSONDecodeError as exc:
            raise InvalidValue(f"invalid JSON: {exc.msg} (column {exc.colno})") from None

    return Editor(line, get, lambda f: line.textChanged.connect(lambda _: f()))


def _optional_editor(spec: FieldSpec) -> Editor:
    inner_spec = FieldSpec(
        spec.name, spec.annotation, default=spec.default, constraints=spec.constraints
    )
    inner = make_editor(inner_spec)
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    toggle = QCheckBox("set")
    toggle.setToolTip("Unchecked: the field is None")
    toggle.setChecked(spec.default is not None)
    inner.widget.setEnabled(toggle.isChecked())
    toggle.toggled.connect(inner.widget.setEnabled)
    row.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
    row.addWidget(inner.widget, 1)

    def connect(f: Callable[[], None]) -> None:
        toggle.toggled.connect(lambda _: f())
        inner.connect(f)

    return Editor(holder, lambda: inner.get() if toggle.isChecked() else None, connect)
