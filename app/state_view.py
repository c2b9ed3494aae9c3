"""The state inspector: the run's state as a tree of fields and values.

Long lists are collapsed and show their newest items (a conversation's last messages, not
its first 200); the fields the last step changed are highlighted, and in a list that grew,
the new items too. Long values are elided with the whole value in the tooltip. Picking a
step in the timeline shows the state after that step (``show_step``). GUI thread only;
``apply(events)`` redraws once per batch from the last state seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from graphstage import Event
from graphstage.app.empty_hint import STATE_HINT, paint_hint
from graphstage.app.state_fold import StateFold, plain

NEWEST = 20
"""Items shown of a long list or dict: the newest (last) ones."""
CHANGED = QColor("#fef9c3")
"""Background of what the last step changed."""
TOOLTIP_CHARS = 4000


def value_text(value: Any) -> str:
    """How a value is shown in one cell: strings bare, containers by size, the rest repr."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if {"content"} <= set(value) and ("role" in value or "type" in value):
            role = value.get("role") or value.get("type")
            return f"{role}: {value.get('content')}"
        return f"{{{len(value)} field{'' if len(value) == 1 else 's'}}}"
    if isinstance(value, list | tuple):
        return f"[{len(value)} item{'' if len(value) == 1 else 's'}]"
    return repr(value)


def _full_text(value: Any) -> str:
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, indent=1, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= TOOLTIP_CHARS else text[:TOOLTIP_CHARS] + "…"


class StateView(QTreeWidget):
    """Field / value tree (object name ``stateView``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateView")
        self.setColumnCount(2)
        self.setHeaderLabels(["Field", "Value"])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.header().setStretchLastSection(True)
        self.setColumnWidth(0, 120)
        self.setWordWrap(False)
        # values are elided, whole in their tooltips: never a sideways scroll bar
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # a stretched last column never shrinks below its first width (100 px): in a narrow
        # panel the values were cut at its edge, without an ellipsis
        self.header().setMinimumSectionSize(20)
        self.setColumnWidth(1, 20)
        self.values: dict[str, Any] = {}  # the state shown, as plain data
        self.changed: set[str] = set()  # top-level fields the last step changed
        self.pinned_step: int | None = None  # a step picked in the timeline, else None
        self.fold = StateFold()  # the run's newest state, kept from the events' deltas
        self._grown: dict[str, int] = {}  # list field -> length before the step shown
        self.showing_hint = False  # the last paint showed the empty view's hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.showing_hint = self.topLevelItemCount() == 0  # what the last paint showed
        if self.showing_hint:
            paint_hint(self.viewport(), STATE_HINT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The field column takes at most half: the values never slide out of sight (at
        40% a 220 px panel cut "sleep_seconds")."""
        super().resizeEvent(event)
        self.setColumnWidth(0, int(max(60, min(150, self.viewport().width() * 0.5))))

    def reset_run(self) -> None:
        """A new run or replay: empty."""
        self.pinned_step, self.fold = None, StateFold()
        self.values, self.changed = {}, set()
        self.clear()

    def apply(self, events: Sequence[Event]) -> None:
        """Fold a batch of events into the state and redraw once (GUI thread). Events carry
        only what each step changed; the fold keeps the whole state."""
        if self.fold.apply(events) and self.pinned_step is None:
            self._show_fold(self.fold)

    def show_step(self, step: int | None, fold: StateFold | None = None) -> None:
        """Show the state after ``step`` (picked in the timeline, folded by the caller);
        None: back to the newest state."""
        self.pinned_step = step
        self._show_fold(fold if step is not None and fold is not None else self.fold)

    def show_checkpoint(self, step: int, values: Any) -> None:
        """Show a checkpoint's state (picked in the thread history, or the one a timeline
        step took), pinned as a picked step is: a live run's events do not replace it."""
        self.pinned_step = step
        self._grown = {}
        self.show_state(values)

    def _show_fold(self, fold: StateFold) -> None:
        self._grown = fold.grown
        self.show_state(fold.values, fold.changed)

    def show_state(self, values: Any, changed: set[str] | frozenset[str] = frozenset()) -> None:
        """Replace the tree with ``values``; fields in ``changed`` are highlighted, and in
        a list that grew, its new items."""
        data = plain(values)
        self.values = dict(data) if isinstance(data, Mapping) else {"state": data}
        self.changed = set(changed)
        expanded = self._expanded_fields()
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            nested = any(isinstance(v, Mapping | list | tuple) for v in self.values.values())
            self.setRootIsDecorated(nested)
            for key, value in self.values.items():
                old = self._grown.get(key) if key in changed else None
                item = self._item(self.invisibleRootItem(), str(key), value, old)
                if key in changed:
                    self._mark(item)
                small = not isinstance(value, list | tuple | Mapping) or len(value) <= NEWEST
                item.setExpanded(key in expanded if expanded is not None else small)
        finally:
            self.setUpdatesEnabled(True)

    def _expanded_fields(self) -> set[str] | None:
        root = self.invisibleRootItem()
        if root.childCount() == 0:
            return None
        return {
            root.child(i).text(0) for i in range(root.childCount()) if root.child(i).isExpanded()
        }

    @staticmethod
    def _mark(item: QTreeWidgetItem) -> None:
        font = QFont(item.font(0))
        font.setBold(True)
        for column in (0, 1):
            item.setFont(column, font)
            item.setBackground(column, QBrush(CHANGED))

    def _item(
        self, parent: QTreeWidgetItem, key: str, value: Any, old_length: int | None = None
    ) -> QTreeWidgetItem:
        """A row for ``value``; ``old_length``: a list's length before the step shown."""
        text = value_text(value)
        grown = ""
        if isinstance(value, list | tuple) and old_length is not None:
            added = len(value) - old_length
            grown = f"  (+{added} new)" if added > 0 else ""
        item = QTreeWidgetItem(parent, [key, text + grown])
        item.setToolTip(1, _full_text(value))
        item.setToolTip(0, key)
        if value is None:
            item.setForeground(1, QBrush(QColor("#9aa4b2")))
        children: list[tuple[str, Any]] = []
        if isinstance(value, Mapping):
            children = [(str(k), v) for k, v in value.items()]
        elif isinstance(value, list | tuple):
            children = [(f"[{i}]", v) for i, v in enumerate(value)]
        hidden = len(children) - NEWEST
        if hidden > 0:  # the newest items; the earlier ones are summed up first
            earlier = QTreeWidgetItem(item, ["…", f"{hidden} earlier items (tooltip: all)"])
            earlier.setForeground(1, QBrush(QColor("#6b7280")))
            children = children[hidden:]
        new_from = old_length
        for index, (child_key, child) in enumerate(children, start=max(0, hidden)):
            child_item = self._item(item, child_key, child)
            if new_from is not None and isinstance(value, list | tuple) and index >= new_from:
                self._mark(child_item)
        return item

    def field_text(self, name: str) -> str | None:
        """The value column of top-level field ``name`` (None if not shown)."""
        root = self.invisibleRootItem()
        for i in range(root.childCount()):
            if root.child(i).text(0) == name:
                return root.child(i).text(1)
        return None
