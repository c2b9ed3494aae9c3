"""The state inspector: the run's current state as a tree of fields and values.

Runs in the GUI thread; ``apply(events)`` redraws once per batch from the last state seen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic_core import to_jsonable_python
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from graphstage import Event, RunFinished, RunStarted, StateUpdated

MAX_CHILDREN = 200
"""Items shown per dict or list; the rest are summarised in one row."""


def plain(values: Any) -> Any:
    """A state (model instance, dict, anything) as plain dicts and lists."""
    dump = getattr(values, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return values


def plain_value(value: Any) -> Any:
    """A value from an update as plain data (models inside it become dicts)."""
    return to_jsonable_python(value, fallback=repr)


def _as_fields(values: Any) -> dict[str, Any]:
    data = plain(values)
    if not isinstance(data, Mapping):
        return {"state": data}
    return {key: _owned(value) for key, value in data.items()}


def _owned(value: Any) -> Any:
    """A list the view may extend in place: never one an event still holds."""
    return list(value) if isinstance(value, list) else value


def value_text(value: Any) -> str:
    """How a leaf value is shown: strings bare, ``None`` as None, the rest as repr."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return f"{{{len(value)} fields}}"
    if isinstance(value, list | tuple):
        return f"[{len(value)} items]"
    return repr(value)


class StateView(QTreeWidget):
    """Field / value tree (object name ``stateView``); fields just updated are bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateView")
        self.setColumnCount(2)
        self.setHeaderLabels(["Field", "Value"])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.header().setStretchLastSection(True)
        self.setColumnWidth(0, 140)
        self.values: dict[str, Any] = {}  # the state shown, as plain data
        # the run's state as of the last event applied, as plain data the view owns
        self._current: dict[str, Any] = {}

    def apply(self, events: Sequence[Event]) -> None:
        """Show the state after a batch of events (GUI thread). A ``StateUpdated`` carries
        only what its step changed: the view keeps its own plain copy of the state and
        applies each delta to it (lists it owns grow in place), then redraws once."""
        changed: set[str] | None = None
        for event in events:
            if isinstance(event, StateUpdated):
                for key, value in event.update.items():
                    self._current[key] = _owned(plain_value(value))
                for key, items in (event.appended or {}).items():
                    current = self._current.get(key)
                    if not isinstance(current, list):
                        current = self._current[key] = list(current or ())
                    current.extend(plain_value(items))
                changed = set(event.update) | set(event.appended or ())
            elif isinstance(event, RunStarted):
                self._current = _as_fields(event.input)
                changed = set()
            elif isinstance(event, RunFinished):
                self._current = _as_fields(event.values)
                changed = changed or set()
        if changed is not None:
            self.show_state(self._current, changed=changed)

    def show_state(self, values: Any, changed: set[str] | frozenset[str] = frozenset()) -> None:
        """Replace the tree with ``values``; fields in ``changed`` are drawn bold."""
        data = plain(values)
        self.values = dict(data) if isinstance(data, Mapping) else {"state": data}
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            nested = any(isinstance(v, Mapping | list | tuple) for v in self.values.values())
            self.setRootIsDecorated(nested)
            for key, value in self.values.items():
                item = self._item(self.invisibleRootItem(), str(key), value)
                if key in changed:
                    font = QFont(item.font(0))
                    font.setBold(True)
                    item.setFont(0, font)
                    item.setFont(1, font)
            self.expandToDepth(1)
        finally:
            self.setUpdatesEnabled(True)

    def _item(self, parent: QTreeWidgetItem, key: str, value: Any) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [key, value_text(value)])
        if value is None:
            item.setForeground(1, QBrush(QColor("#9aa4b2")))
        children: list[tuple[str, Any]] = []
        if isinstance(value, Mapping):
            children = [(str(k), v) for k, v in value.items()]
        elif isinstance(value, list | tuple):
            children = [(f"[{i}]", v) for i, v in enumerate(value)]
        for child_key, child in children[:MAX_CHILDREN]:
            self._item(item, child_key, child)
        if len(children) > MAX_CHILDREN:
            QTreeWidgetItem(item, ["…", f"{len(children) - MAX_CHILDREN} more"])
        return item

    def field_text(self, name: str) -> str | None:
        """The value column of top-level field ``name`` (None if not shown)."""
        root = self.invisibleRootItem()
        for i in range(root.childCount()):
            if root.child(i).text(0) == name:
                return root.child(i).text(1)
        return None
