"""``HistoryPanel``: past runs from the journal, each replayable step by step.

The panel lists the journal's runs (graph, start time, duration, status). Selecting one
replays it in the window's own views: the slider (or Play) moves through the run's events,
and the graph, timeline, log and state show the run as it was at that point, by resetting
them and applying the events up to it, exactly as the live bridge applied them. Resume
(enabled on a run ``RunRecord.resumable`` accepts, of the graph shown) restarts the run
from its last checkpoint as a new live run. GUI thread only.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from graphstage import Event, Journal, JournalError, RunRecord

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow

COLUMNS = ("Graph", "Started", "Duration", "Status")
PLAY_INTERVAL_MS = 250
"""Milliseconds between events while playing a replay."""


class HistoryPanel(QWidget):
    """The journal's runs and a replay of the one selected (object name ``historyPanel``)."""

    positionChanged = Signal(int)
    """The replay now shows the run's first N events."""

    def __init__(self, window: MainWindow, journal: Journal, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.window_ = window
        self.journal = journal
        self.records: list[RunRecord] = []  # the rows of the table, in order
        self.events: list[Event] = []  # the selected run's events
        self.position = 0  # how many of them the views show
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the graph's name
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("replaySlider")
        self.slider.setEnabled(False)
        self.play_button = QPushButton("Play")
        self.play_button.setObjectName("replayPlayButton")
        self.play_button.setCheckable(True)
        self.play_button.setEnabled(False)
        self.resume_button = QPushButton("Resume")
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.setToolTip("Start a new run from this run's last checkpoint")
        self.resume_button.setEnabled(False)
        self.refresh_button = QPushButton("Refresh")
        self.position_label = QLabel("")
        self.position_label.setObjectName("replayPosition")
        controls = QHBoxLayout()
        for widget in (self.play_button, self.slider, self.position_label):
            controls.addWidget(widget, 1 if widget is self.slider else 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resume_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.table, 1)
        column.addLayout(controls)
        column.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_play_tick)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.slider.valueChanged.connect(self.show_position)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.resume_button.clicked.connect(self._on_resume_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        window.runFinished.connect(self._on_run_finished)
        self.refresh()

    # -- the list -------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the run list from the journal (newest first)."""
        selected = self.selected_run_id()  # from the old list, before it is replaced
        try:
            self.records = self.journal.runs(limit=500)
        except JournalError as exc:
            self.position_label.setText(str(exc))
            return
        self.table.blockSignals(True)  # no replay of whatever row lands under the cursor
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            started = _when(record.started)
            duration = "—" if record.duration is None else f"{record.duration:.2f} s"
            status = "damaged" if record.damaged else record.status
            tip = record.run_id + (f"\ndamaged: {record.damaged}" if record.damaged else "")
            for column, text in enumerate((record.graph, started, duration, status)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
            if record.run_id == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)

    def selected_run_id(self) -> str | None:
        """The run selected in the list, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()].run_id

    def select_run(self, run_id: str) -> None:
        """Select ``run_id`` in the list (it replays at its end)."""
        for row, record in enumerate(self.records):
            if record.run_id == run_id:
                self.table.selectRow(row)
                return
        raise KeyError(f"run {run_id} is not in the history list; refresh() first")

    def _on_selection_changed(self) -> None:
        run_id = self.selected_run_id()
        if run_id is None:
            return
        record = next(r for r in self.records if r.run_id == run_id)
        self.play_button.setChecked(False)
        damaged: list[str] = []
        try:
            self.events = self.journal.events(run_id, damaged)
        except JournalError as exc:
            self.events, damaged = [], [str(exc)]
        replayable = not self.window_.running
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.events))
        self.slider.setValue(len(self.events))
        self.slider.blockSignals(False)
        self.slider.setEnabled(replayable)
        self.play_button.setEnabled(replayable)
        resumable = record.resumable  # the journal's one definition
        self.resume_button.setEnabled(
            replayable and resumable and record.graph == self.window_.graph.name
        )
        if replayable:
            self.show_position(len(self.events))
        if damaged or record.damaged:  # shown, never fatal: the rest of the run replays
            skipped = f"{len(damaged)} damaged event(s) left out" if damaged else "damaged row"
            self.position_label.setText(f"{self.position_label.text()} · {skipped}")
            self.position_label.setToolTip("\n".join([record.damaged or "", *damaged]).strip())

    # -- replay ---------------------------------------------------------------------

    def show_position(self, position: int) -> None:
        """Show the selected run as it was after its first ``position`` events."""
        window = self.window_
        if window.running:  # the views belong to the live run
            return
        position = max(0, min(position, len(self.events)))
        if position < self.position or self.position == 0:
            self._reset_views()
            shown: Sequence[Event] = self.events[:position]
        else:  # moving forward: apply only what is new, as the live bridge did
            shown = self.events[self.position : position]
        self.position = position
        if shown:
            lifecycle = [e for e in shown if getattr(e, "kind", "") != "custom_output"]
            window.log_view.append_events(shown)
            window.graph_view.apply(lifecycle)
            window.timeline.apply(lifecycle)
            window.state_view.apply(lifecycle)
        if self.slider.value() != position:
            self.slider.blockSignals(True)
            self.slider.setValue(position)
            self.slider.blockSignals(False)
        step = next(
            (
                getattr(e, "step", None)
                for e in reversed(self.events[:position])
                if getattr(e, "step", None) is not None
            ),
            0,
        )
        self.position_label.setText(f"event {position}/{len(self.events)} · step {step}")
        self.positionChanged.emit(position)

    def _reset_views(self) -> None:
        window = self.window_
        window.graph_view.reset()
        window.timeline.setRowCount(0)
        window.state_view.clear()
        window.log_view.log_model.clear()
        self.position = 0

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            if self.position >= len(self.events):
                self.show_position(0)
            self._timer.start()
        else:
            self._timer.stop()

    def _on_play_tick(self) -> None:
        if self.position >= len(self.events) or self.window_.running:
            self.play_button.setChecked(False)
            return
        self.show_position(self.position + 1)

    # -- resume ---------------------------------------------------------------------

    def _on_resume_clicked(self) -> None:
        """Resume (GUI thread): start a new run from the selected run's last checkpoint."""
        run_id = self.selected_run_id()
        window = self.window_
        if run_id is None or window.running:
            return
        try:
            checkpoint = self.journal.resume(run_id)
        except JournalError as exc:
            self.position_label.setText(str(exc))
            return
        self.play_button.setChecked(False)
        self.position = 0
        window.show_run(window.graph.resume(checkpoint, journal=self.journal))

    def _on_run_finished(self, status: str) -> None:
        self.refresh()


def _when(timestamp: float) -> str:
    """A start time as short as it can be: the time today, else the date and time."""
    try:
        local = time.localtime(timestamp)
    except (OverflowError, OSError, ValueError):  # a crafted time
        return "?"
    if time.strftime("%Y-%m-%d", local) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M:%S", local)
    return time.strftime("%b %d %H:%M", local)


def install_history(window: MainWindow, journal: Any) -> HistoryPanel | None:
    """Dock a history panel on ``window`` when it has a ``Journal``; return it."""
    if not isinstance(journal, Journal):
        return None
    panel = HistoryPanel(window, journal)
    dock = QDockWidget("History", window)
    dock.setObjectName("historyDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [310], Qt.Orientation.Horizontal)
    return panel
