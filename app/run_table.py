"""``RunTable``: the history panel's list of journaled runs, one row each (id, graph,
start, duration, status, steps), the whole record in each row's tooltip. GUI thread only."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from graphstage import RunRecord

COLUMNS = ("Run", "Graph", "Started", "Duration", "Status", "Steps")


class RunTable(QTableWidget):
    """The runs of the history panel (object name ``historyTable``), one selectable row each."""

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setObjectName("historyTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the status whole ("cancelled" read "cancel…" in a 1,066 px window); the graph and
        # the duration share the rest, elided
        for column in ("Graph", "Duration"):
            header.setSectionResizeMode(COLUMNS.index(column), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Dura…", not "uratio"
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # whole text in tooltips

    def fill(self, records: Sequence[RunRecord], selected: str | None) -> None:
        """Show ``records`` in order; the run ``selected`` stays selected (no selection
        signal fires meanwhile)."""
        self.blockSignals(True)  # no replay of whatever row lands under the cursor
        self.clearSelection()
        self.setRowCount(len(records))
        for row, record in enumerate(records):
            duration = "—" if record.duration is None else f"{record.duration:.2f} s"
            status = "damaged" if record.damaged else record.status
            cells = (
                record.run_id[:8],
                record.graph,
                when(record.started),
                duration,
                status,
                str(record.steps),
            )
            tip = (
                f"run {record.run_id}\ngraph {record.graph}\nstatus {record.status}"
                + (f"\nerror: {record.error}" if record.error else "")
                + (f"\ndamaged: {record.damaged}" if record.damaged else "")
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.setItem(row, column, item)
            if record.run_id == selected:
                self.selectRow(row)
        self.blockSignals(False)


def when(timestamp: float) -> str:
    """A start time as short as it can be: the time today, else the date and time."""
    try:
        local = time.localtime(timestamp)
    except (OverflowError, OSError, ValueError):  # a crafted time
        return "?"
    if time.strftime("%Y-%m-%d", local) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M:%S", local)
    return time.strftime("%b %d %H:%M", local)
