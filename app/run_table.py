"""``RunTable``: the history panel's list of journaled runs, one row each (id, graph,
start, duration, status, steps), the whole record in each row's tooltip. GUI thread only.

A view over a model (``RunModel``): a fill replaces the model's list at once, and Qt asks
for the cells it draws and measures only. As a ``QTableWidget`` it made six items per run,
and its columns sized to their contents re-measured every row at each item set: a second
fill of 1,000 runs held the GUI thread for over a minute.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from graphstage import RunRecord
from graphstage.app.empty_hint import RUNS_HINT, paint_hint

COLUMNS = ("Run", "Graph", "Started", "Duration", "Status", "Steps")
OPTIONAL = (COLUMNS.index("Steps"), COLUMNS.index("Duration"))
"""Columns a narrow table hides, first to last."""
MEASURED_ROWS = 60
"""Rows a column sized to its contents is measured over (the first ones and those shown)."""

Index = QModelIndex | QPersistentModelIndex


def cells(record: RunRecord) -> tuple[str, ...]:
    """The texts of ``record``'s row, in ``COLUMNS`` order."""
    duration = "—" if record.duration is None else f"{record.duration:.2f} s"
    status = "damaged" if record.damaged else record.status
    return (
        record.run_id[:8],
        record.graph,
        when(record.started),
        duration,
        status,
        str(record.steps),
    )


def tip(record: RunRecord) -> str:
    """The whole record, for a row's tooltip (a narrow table hides some columns)."""
    took = "—" if record.duration is None else f"{record.duration:.2f} s"
    return (
        f"run {record.run_id}\ngraph {record.graph}\nstatus {record.status}"
        f"\nstarted {when(record.started)}, took {took}, {record.steps} step(s)"
        + (f"\nerror: {record.error}" if record.error else "")
        + (f"\ndamaged: {record.damaged}" if record.damaged else "")
    )


class RunModel(QAbstractTableModel):
    """The runs shown, one row each; a row's texts are made when Qt first asks for them."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[RunRecord] = []
        self._cells: dict[int, tuple[str, ...]] = {}  # row -> its texts, made on demand

    def set_records(self, records: Sequence[RunRecord]) -> None:
        self.beginResetModel()
        self.records, self._cells = list(records), {}
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        made = self._cells.get(row)
        if made is None:
            made = self._cells[row] = cells(self.records[row])
        return made[column]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(self.records[index.row()])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class RunTable(QTableView):
    """The runs of the history panel (object name ``historyTable``), one selectable row each."""

    itemSelectionChanged = Signal()
    """The selected row changed (not while a fill keeps the selection)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("historyTable")
        self.runs = RunModel()
        self.setModel(self.runs)
        self.selectionModel().selectionChanged.connect(lambda *_: self.itemSelectionChanged.emit())
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(MEASURED_ROWS)
        # the status whole ("cancelled" read "cancel…" in a 1,066 px window); the graph and
        # the duration share the rest, elided
        for column in ("Graph", "Duration"):
            header.setSectionResizeMode(COLUMNS.index(column), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Dura…", not "uratio"
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)  # whole text in tooltips
        self.showing_hint = False  # the last paint showed the empty table's hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.showing_hint = self.runs.rowCount() == 0  # what the last paint showed
        if self.showing_hint:  # an empty table under its headers read as broken
            paint_hint(self.viewport(), RUNS_HINT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Hide the steps, then the duration, when the columns would not fit (a 1,066 px
        window's dock, all graphs listed, cut the steps at its edge); shown again when
        they fit. Both stay in each row's tooltip."""
        fit_columns(self, self.horizontalHeader(), OPTIONAL)

    def setColumnHidden(self, column: int, hide: bool) -> None:
        """Hide ``column`` (the panel hides the graph's for this graph's runs); the
        optional ones then fit again."""
        super().setColumnHidden(column, hide)
        self.fit_columns()

    def rowCount(self) -> int:
        """How many runs are listed."""
        return self.runs.rowCount()

    def text(self, row: int, column: int) -> str:
        """The text shown in a cell."""
        return self.runs.text(row, column)

    def fill(self, records: Sequence[RunRecord], selected: str | None) -> None:
        """Show ``records`` in order; the run ``selected`` stays selected (no selection
        signal fires meanwhile)."""
        self.blockSignals(True)  # no replay of whatever row lands under the cursor
        self.runs.set_records(records)
        for row, record in enumerate(records):
            if record.run_id == selected:
                self.selectionModel().select(
                    self.runs.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                break
        self.blockSignals(False)
        self.fit_columns()


def fit_columns(view: QAbstractItemView, header: QHeaderView, optional: Sequence[int]) -> None:
    """Show the ``optional`` columns of ``view``, then hide them in turn while the visible
    columns need more than its width (contents-sized ones whole, stretched ones at twice
    their least)."""
    for column in optional:
        header.showSection(column)
    for column in optional:
        needed = 0
        for other in range(header.count()):
            if header.isSectionHidden(other):
                continue
            if header.sectionResizeMode(other) == QHeaderView.ResizeMode.Stretch:
                needed += header.minimumSectionSize() * 2
            else:
                needed += max(view.sizeHintForColumn(other), header.sectionSizeHint(other))
        if needed <= view.viewport().width():
            return
        header.hideSection(column)


def when(timestamp: float) -> str:
    """A start time as short as it can be: the time today, else the date and time."""
    try:
        local = time.localtime(timestamp)
    except (OverflowError, OSError, ValueError):  # a crafted time
        return "?"
    if time.strftime("%Y-%m-%d", local) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M:%S", local)
    return time.strftime("%b %d %H:%M", local)
