"""One editor widget per state field, chosen from the field's type and constraints.

int -> QSpinBox (``gt``/``ge``/``lt``/``le`` become its limits), float -> QDoubleSpinBox,
bool -> QCheckBox, str -> QLineEdit, Enum/Literal -> QComboBox, ``X | None`` -> the editor
of X with a "set" check box (a str is None when left empty), a list of chat messages -> a
chat view with a JSON editor behind it, anything else -> a multi-line JSON editor. A field
the input may leave out (any field of a TypedDict state) gets an "include" check box, ticked
as soon as it is edited; left unticked, the field is not part of the input. An emptied or
out-of-range number box is an error at the field, never the previous value. GUI thread only.
"""

from __future__ import annotations

import enum
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

from graphstage.app.json_editor import ChatField, JsonEdit, is_message_list

INT_LIMIT = 2**31 - 1  # QSpinBox holds a C int
NUMBER_MIN_WIDTH = 80
"""The narrowest a number box gets, in pixels (its text scrolls beyond)."""
OMIT: Any = object()
"""What an unticked "include" editor returns: the field is left out of the input."""


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
    omittable: bool = False
    """True when the input may leave the field out (a TypedDict's fields)."""


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
    named: QWidget | None = None
    """The widget that holds the value, named ``field_<name>`` (default: ``widget``)."""

    def __post_init__(self) -> None:
        if self.named is None:
            self.named = self.widget


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
    if spec.omittable:
        return _omittable_editor(spec)
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
    return _number_editor(box, f"a whole number from {box.minimum()} to {box.maximum()}")


def _float_editor(spec: FieldSpec) -> Editor:
    c = spec.constraints
    box = QDoubleSpinBox()
    box.setDecimals(3)
    box.setRange(float(c.get("gt", c.get("ge", -1e12))), float(c.get("lt", c.get("le", 1e12))))
    if isinstance(spec.default, int | float):
        box.setValue(float(spec.default))
    return _number_editor(box, f"a number from {box.minimum():g} to {box.maximum():g}")


def _number_editor(box: QSpinBox | QDoubleSpinBox, wanted: str) -> Editor:
    """A spin box whose text, not its last good value, is the truth: an emptied box or
    one holding an out-of-range number ("0" in a ``gt=0`` field) is an error."""
    # it may be narrower than its widest number (2,147,483,647 for an unbounded int):
    # at that width a narrow input panel clipped it, arrows and all
    box.setMinimumWidth(NUMBER_MIN_WIDTH)

    def get() -> Any:
        if not box.cleanText().strip():
            raise InvalidValue(f"empty: enter {wanted}")
        if not box.hasAcceptableInput():
            raise InvalidValue(f"{box.cleanText()!r} is not {wanted}")
        return box.value()

    def connect(f: Callable[[], None]) -> None:
        box.valueChanged.connect(lambda _: f())  # setValue() blocks the line edit's signals
        box.lineEdit().textChanged.connect(lambda _: f())  # typing, emptying

    return Editor(box, get, connect)


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
    default = None if spec.default is PydanticUndefined else spec.default
    if default is None and not spec.optional:
        default = _empty_of(spec.annotation)
    chat = ChatField(default) if is_message_list(default, spec.name) else None
    edit = chat.editor if chat is not None else JsonEdit(default)

    def get() -> Any:
        try:
            return edit.value()
        except ValueError as exc:
            raise InvalidValue(str(exc)) from None

    return Editor(
        chat if chat is not None else edit,
        get,
        lambda f: edit.textChanged.connect(f),
        named=edit,
    )


def _empty_of(kind: Any) -> Any:
    """The natural empty value of a list or dict type (what a new field starts with)."""
    origin = typing.get_origin(kind) or kind
    if origin in (list, tuple, set, frozenset):
        return []
    if origin is dict or (isinstance(origin, type) and issubclass(origin, dict)):
        return {}
    return None


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


def _omittable_editor(spec: FieldSpec) -> Editor:
    """The field's own editor behind an "include" check box, ticked by the first edit."""
    inner_spec = FieldSpec(
        spec.name,
        spec.annotation,
        spec.optional,
        spec.default,
        constraints=spec.constraints,
        description=spec.description,
    )
    inner = make_editor(inner_spec)
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    toggle = QCheckBox()
    toggle.setObjectName(f"include_{spec.name}")
    toggle.setToolTip("Ticked: the field is part of the input; unticked: it is left out")
    toggle.setChecked(False)
    inner.connect(lambda: toggle.setChecked(True))
    row.addWidget(toggle, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(inner.widget, 1)

    def connect(f: Callable[[], None]) -> None:
        toggle.toggled.connect(lambda _: f())
        inner.connect(f)

    return Editor(
        holder,
        lambda: inner.get() if toggle.isChecked() else OMIT,
        connect,
        named=inner.named or inner.widget,
    )
