"""The live log: writer output and lifecycle events, in a bounded model-based list.

Only the last ``max_rows`` lines are kept in memory (the journal keeps every line); the
view is a ``QListView`` with uniform row heights, so a flood of lines costs little.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from graphstage import END, START, Event
from graphstage.app.theme import reason_label

MAX_ROWS = 5000
"""Lines kept by default; older ones are dropped from the view (not from the journal)."""

_KIND_COLOURS = {
    "custom_output": None,
    "run_started": "#2563eb",
    "node_started": "#2563eb",
    "node_finished": "#16a34a",
    "transition": "#7c3aed",
    "state_updated": "#6b7280",
    "stop_requested": "#d97706",
    "node_cancelled": "#c2410c",
    "node_failed": "#dc2626",
    "run_finished": "#111827",
}

_NAMES = {START: "START", END: "END"}

Index = QModelIndex | QPersistentModelIndex


def describe(event: Event) -> tuple[str, str]:
    """(node or "run", one line of text) for the log."""
    e: Any = event
    kind = getattr(event, "kind", "")
    if kind == "custom_output":
        data = e.data
        return e.node, data if isinstance(data, str) else repr(data)
    if kind == "run_started":
        return "run", f"▶ run started: {e.graph}" + (
            f" (resumed from {e.resumed_from})" if e.resumed_from else ""
        )
    if kind == "node_started":
        return e.node, f"▶ started (step {e.step}{', shielded' if e.shielded else ''})"
    if kind == "node_finished":
        goto = f", goto {', '.join(e.goto)}" if e.goto else ""
        answer = " (answered the stop)" if e.answered_cancel else ""
        return e.node, f"✓ finished in {e.duration:.3f} s{goto}{answer}"
    if kind == "node_cancelled":
        return e.node, f"✕ cancelled ({e.how}) after {e.duration:.3f} s"
    if kind == "node_failed":
        return e.node, f"✕ failed: {e.error_type}: {e.error}"
    if kind == "stop_requested":
        nodes = ", ".join(e.nodes) or "no active node"
        return "run", f"■ stop requested ({e.mode}, {e.reason}); grace {e.grace:g} s; {nodes}"
    if kind == "transition":
        src, dst = _NAMES.get(e.src, e.src), _NAMES.get(e.dst, e.dst)
        return "run", f"→ {src} → {dst} ({reason_label(e.reason, e.after_stop, e.branch)})"
    if kind == "state_updated":
        keys = ", ".join(e.update) or "nothing"
        return "run", f"state after step {e.step}: updated {keys}"
    if kind == "run_finished":
        error = f": {e.error}" if e.error else ""
        return "run", f"■ run {e.status}{error}"
    return "run", repr(event)


class LogModel(QAbstractListModel):
    """The last ``max_rows`` log lines; ``append_events`` adds a batch (GUI thread)."""

    def __init__(self, max_rows: int = MAX_ROWS, parent: Any = None) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        # (time, node, text, kind) per row, oldest first; never longer than max_rows
        self._rows: deque[tuple[float, str, str, str]] = deque()
        self.dropped = 0  # lines no longer shown because the log is full
        self._font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        when, node, text, kind = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            clock = time.strftime("%H:%M:%S", time.localtime(when))
            return f"{clock}.{int(when * 1000) % 1000:03d}  {node:<14.14} {text}"
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = _KIND_COLOURS.get(kind)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.FontRole:
            return self._font
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 80 else None
        return None

    def append_events(self, events: Sequence[Event]) -> None:
        """Add a batch of events as lines; only the last ``max_rows`` are described."""
        if not events:
            return
        skipped = max(0, len(events) - self.max_rows)
        self.dropped += skipped
        new = [(e.time, *describe(e), getattr(e, "kind", "")) for e in events[skipped:]]
        overflow = len(self._rows) + len(new) - self.max_rows
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for _ in range(overflow):
                self._rows.popleft()
            self.endRemoveRows()
            self.dropped += overflow
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)  # type: ignore[arg-type]
        self.endInsertRows()

    def append_text(self, node: str, text: str, kind: str = "custom_output") -> None:
        """Add one line that is not an event (a start error, for instance)."""
        self.append_events([_Line(time.time(), node, text, kind)])  # type: ignore[list-item]

    def clear(self) -> None:
        """Forget every line (a new run starts)."""
        self.beginResetModel()
        self._rows.clear()
        self.dropped = 0
        self.endResetModel()

    def texts(self) -> list[str]:
        """The text of every row kept (for tests and copy)."""
        return [text for _, _, text, _ in self._rows]


class _Line:
    """A log line that did not come from the run (quacks like a CustomOutput)."""

    __slots__ = ("data", "kind", "node", "time")

    def __init__(self, when: float, node: str, text: str, kind: str) -> None:
        self.time, self.node, self.data, self.kind = when, node, text, kind


class LogView(QListView):
    """The log list (object name ``eventLog``); sticks to the bottom unless scrolled up."""

    def __init__(self, max_rows: int = MAX_ROWS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventLog")
        self.log_model = LogModel(max_rows, self)
        self.setModel(self.log_model)
        self.setUniformItemSizes(True)
        # Batched layout: a flood of rows is laid out a slice at a time, not all at once.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setFont(font)

    def append_events(self, events: Sequence[Event]) -> None:
        """Add a batch from the bridge (GUI thread), following the tail if we were there."""
        bar = self.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 2
        self.log_model.append_events(events)
        if at_bottom:
            self.scrollToBottom()
