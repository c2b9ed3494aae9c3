"""The timeline: one row per node execution, with its step, start, duration, status and
the transition it led to. GUI thread only; ``apply(events)`` takes a batch from the bridge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from graphstage import END as END_NODE
from graphstage import Event
from graphstage.app.outcomes import Durations, node_outcome
from graphstage.app.theme import NODE_COLOURS, REASON_COLOURS, format_seconds, reason_label

COLUMNS = ("Step", "Node", "Start", "Duration", "Status", "Transition")
STEP, NODE, START, DURATION, STATUS, TRANSITION = range(len(COLUMNS))
MAX_ROWS = 2000
"""Rows kept; a graph looping for thousands of steps drops its oldest."""


class TimelineView(QTableWidget):
    """Steps of the run (object name ``timeline``); times are relative to the run's start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("timeline")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for column, width in ((STEP, 40), (NODE, 108), (START, 62), (DURATION, 68), (STATUS, 98)):
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(NODE, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._t0 = 0.0  # RunStarted.time: row starts are shown relative to it
        # (node, step) -> row of that execution; rebuilt when old rows are dropped
        self._rows: dict[tuple[str, int], int] = {}
        self._durations = Durations()

    def apply(self, events: Sequence[Event]) -> None:
        """Show a batch of lifecycle events in order (GUI thread)."""
        for event in events:
            handler = getattr(self, f"_on_{getattr(event, 'kind', '')}", None)
            if handler is not None:
                handler(event)

    def _on_run_started(self, event: Any) -> None:
        self.setRowCount(0)
        self._rows.clear()
        self._t0 = event.time

    def _on_node_started(self, event: Any) -> None:
        if self.rowCount() >= MAX_ROWS:
            self.removeRow(0)
            self._rows = {k: r - 1 for k, r in self._rows.items() if r > 0}
        row = self.rowCount()
        self.insertRow(row)
        cells = (str(event.step), event.node, f"+{event.time - self._t0:.2f} s", "…", "running", "")
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column in (STEP, START, DURATION):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, column, item)
        self._set_status(row, "running", "running")
        # a Send runs one node several times in a step: its rows are keyed by task id
        self._rows[(getattr(event, "task", None) or event.node, event.step)] = row
        self._durations.started(event)
        self.scrollToBottom()

    def _set_status(self, row: int, text: str, state: str) -> None:
        item = self.item(row, STATUS)
        item.setText(text)
        item.setForeground(QColor(NODE_COLOURS[state][1]).darker(115))

    def _ended(self, event: Any) -> None:
        row = self._rows.get((getattr(event, "task", None) or event.node, event.step))
        if row is None:
            return
        outcome, how = node_outcome(event)
        state = {"done": "done", "failed": "failed"}.get(outcome, "cancelled")
        self.item(row, DURATION).setText(format_seconds(self._durations.of(event)))
        self._set_status(row, outcome, state)
        self.item(row, STATUS).setToolTip(f"{outcome}: {how}" if how else outcome)

    def _on_stop_requested(self, event: Any) -> None:
        for (node, _), row in self._rows.items():
            if node in event.nodes and self.item(row, STATUS).text() == "running":
                self._set_status(row, "stopping…", "stopping")

    _on_node_finished = _on_node_cancelled = _on_node_failed = _ended

    def _on_transition(self, event: Any) -> None:
        row = self._rows.get((event.src, event.step))
        if row is None:
            return
        label = reason_label(event.reason, event.after_stop, event.branch)
        dst = "END" if event.dst == END_NODE else event.dst
        item = self.item(row, TRANSITION)
        text = f"→ {dst} · {label}"
        item.setText(f"{item.text()};  {text}" if item.text() else text)
        item.setForeground(QColor(REASON_COLOURS.get(label, "#475569")))

    def row_texts(self) -> list[tuple[str, ...]]:
        """Every row as its column texts (for tests and copy)."""
        return [
            tuple(self.item(r, c).text() for c in range(len(COLUMNS)))
            for r in range(self.rowCount())
        ]
