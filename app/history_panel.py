"""``HistoryPanel``: past runs from the journal, each replayable step by step.

The table lists the journal's runs (id, graph, start, duration, status, steps), this
graph's by default, and the tree their threads; both are read in a worker thread at each
refresh (``history_reader``). Selecting a run loads its events in a worker thread too and
replays it through the window's ``RunSession``, so the same views draw it; a banner marks
the replay. The slider (or Play) moves through the events; a jump is applied a chunk per
event-loop turn, so a run of 300,000 events never freezes the window. Resume (a run
``RunRecord.resumable`` accepts, of the graph shown) starts a new live run from the last
checkpoint. While a live run goes on, replay controls are off. GUI thread only.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from graphstage import Event, Journal, JournalError, ResumeError, RunRecord
from graphstage.app.elided_label import ElidedLabel
from graphstage.app.history_reader import LatestRead, Listing, read_listing, replay_events
from graphstage.app.history_tree import HistoryTree
from graphstage.app.ownership import check_owned, foreign
from graphstage.app.run_table import RunTable, when
from graphstage.app.session import Nested, RunSession

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow

PLAY_INTERVAL_MS = 250
"""Milliseconds between events while playing a replay."""
CHUNK = 4000
"""Events applied per event-loop turn when the replay jumps far."""
LOG_TAIL = 5000
"""Writer output older than this many events before the target is not sent to the log
(it keeps only its last lines anyway)."""


class _Loader(QObject):
    """Carries a run's events from the loading thread into the GUI thread (queued)."""

    loaded = Signal(str, object)


class HistoryPanel(QWidget):
    """The journal's runs and a replay of the one selected (object name ``historyPanel``)."""

    positionChanged = Signal(int)
    """The replay now shows the run's first N events."""
    loaded = Signal(str)
    """The events of the run with this id are loaded (the replay is under way)."""
    listed = Signal()
    """The lists show the newest read of the journal (after ``refresh``)."""

    def __init__(self, window: MainWindow, journal: Journal, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.window_ = window
        self.session: RunSession = window.session
        self.journal = journal
        self.records: list[RunRecord] = []  # the rows of the table, in order
        self.run_id: str | None = None  # the run replayed (its events are self.events)
        self.events: list[Event | Nested] = []
        self.position = 0  # how many of them the views show
        self._target = 0  # the position the chunked pump is heading for
        self._damage = ""  # what the journal could not give back of the run replayed
        self.scope = QComboBox()
        self.scope.setObjectName("historyScope")
        self.scope.addItems(["This graph", "All graphs"])
        self.scope.setToolTip("The runs of the graph shown, or of every graph in the journal")
        self.filter = QLineEdit()
        self.filter.setObjectName("historyFilter")
        self.filter.setPlaceholderText("Filter: id, graph or status")
        self.filter.setClearButtonEnabled(True)
        self.table = RunTable()
        self.tree = HistoryTree()  # the same runs by thread, forks marked
        self.tree.itemSelectionChanged.connect(self._on_tree_picked)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("replaySlider")
        self.slider.setToolTip("The replayed run after any of its events: drag, or use the arrows")
        self.play_button = QPushButton("Play")
        self.play_button.setObjectName("replayPlayButton")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Replay the selected run, an event at a time")
        self.resume_button = QPushButton("Resume")
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.setToolTip("Start a new run from this run's last checkpoint")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Read the runs and threads from the journal again")
        self.position_label = ElidedLabel("")
        self.position_label.setObjectName("replayPosition")
        filters = QHBoxLayout()
        filters.addWidget(self.scope)
        filters.addWidget(self.filter, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resume_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addWidget(self.tree, 1)
        column.addLayout(controls)
        column.addWidget(self.position_label)
        column.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_play_tick)
        self._pump_timer = QTimer(self)
        self._pump_timer.setInterval(0)
        self._pump_timer.timeout.connect(self._pump)
        self._loader = _Loader(self)
        self._loader.loaded.connect(self._on_loaded)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.slider.valueChanged.connect(self.show_position)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.resume_button.clicked.connect(self._on_resume_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self._listing = Listing()  # the last read of the journal's lists
        self._reader = LatestRead(self)
        self._reader.done.connect(self._on_listed)
        self.scope.currentIndexChanged.connect(lambda _: self._show_listing())
        self.filter.textChanged.connect(lambda _: self._show_listing())
        window.runFinished.connect(self._on_run_finished)
        self.session.on_mode(self._on_session)
        self._set_controls()
        self.refresh()

    # -- the list -------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the run list and the threads from the journal again, in a worker thread
        (a big journal took the GUI thread for as long as its reads); ``listed`` says
        when the lists show what it found. Until then they show the last read."""
        interrupts = getattr(self.window_, "interrupts", None)  # installed after this panel
        saver = interrupts.threads.saver if interrupts is not None else None
        journal = self.journal
        self._reader.request(lambda: read_listing(journal, saver))
        self._show_listing()  # another graph's scope at once, from the last read

    @property
    def reading(self) -> bool:
        """A refresh is under way: the lists may not show the journal's newest runs yet."""
        return self._reader.reading

    def _on_listed(self, listing: Listing) -> None:
        """GUI thread: the newest read is back (older ones were dropped)."""
        self._listing = listing
        self._show_listing()
        self.listed.emit()

    def _show_listing(self) -> None:
        """Fill the table and the tree from the last read, filtered by scope and text,
        keeping the selection (GUI thread: no journal read here)."""
        listing = self._listing
        if listing.error:
            self.position_label.setText(listing.error)
        selected = self.selected_run_id()  # before the rows change under it
        records = every = listing.runs
        this_graph = self.scope.currentIndex() == 0  # the graph column says nothing then
        if this_graph:
            records = [r for r in records if r.graph == self.window_.graph.name]
        wanted = self.filter.text().strip().lower()
        if wanted:
            records = [r for r in records if wanted in f"{r.run_id} {r.graph} {r.status}".lower()]
        self.records = records
        self.table.setColumnHidden(1, this_graph)
        self.tree.setColumnHidden(1, this_graph)
        self.table.fill(records, selected)
        if listing.threads is not None:
            graph = self.window_.graph.name if this_graph else None
            self.tree.fill(
                listing.threads,
                every,
                graph=graph,
                wanted=wanted,
                when=when,
                older=listing.older_threads,
            )
        self._set_controls()

    def selected_run_id(self) -> str | None:
        """The run selected in the list, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()].run_id

    def selected_record(self) -> RunRecord | None:
        run_id = self.selected_run_id()
        return next((r for r in self.records if r.run_id == run_id), None)

    def select_run(self, run_id: str) -> None:
        """Select ``run_id`` in the list (it replays at its end once loaded)."""
        for row, record in enumerate(self.records):
            if record.run_id == run_id:
                self.table.selectRow(row)
                return
        raise KeyError(f"run {run_id} is not in the history list; refresh() (and wait for listed)")

    def _on_tree_picked(self) -> None:
        """A run picked in the thread tree: selected in the table, so it replays."""
        run_id = self.tree.picked_run()
        if run_id is not None and run_id != self.selected_run_id():
            with contextlib.suppress(KeyError):  # not in the table's scope: nothing to do
                self.select_run(run_id)

    def _on_selection_changed(self) -> None:
        record = self.selected_record()
        self.play_button.setChecked(False)
        self._set_controls()
        if record is None or self.window_.running:
            return
        if record.graph != self.window_.graph.name:
            self.position_label.setText(
                f"run {record.run_id[:8]} is of graph {record.graph}: open that graph "
                f"(File > Open) to replay it"
            )
            return
        self.position_label.setText(f"loading run {record.run_id[:8]}…")
        journal, loader, run_id = self.journal, self._loader, record.run_id

        def load() -> None:  # a worker thread: the journal's reads are thread-safe
            damaged: list[str] = []
            try:
                result: Any = (replay_events(journal, run_id, damaged), damaged)
            except Exception as exc:  # shown in the panel, never a traceback
                result = exc
            loader.loaded.emit(run_id, result)

        threading.Thread(target=load, name="graphstage history", daemon=True).start()

    def _on_loaded(self, run_id: str, result: tuple[list[Event], list[str]] | Exception) -> None:
        record = self.selected_record()
        if record is None or record.run_id != run_id or self.window_.running:
            return  # the user moved on meanwhile
        if isinstance(result, Exception):
            self.position_label.setText(f"cannot load run {run_id[:8]}: {result}")
            return
        events, damaged = result
        self.run_id, self.events, self.position = run_id, events, 0
        label = f"run {run_id[:8]} · {record.graph} · {record.status}"
        self.session.begin("replay", run_id, label)
        self.window_.status.show_replay(record.status, record.duration)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(events))
        self.slider.setValue(len(events))
        self.slider.blockSignals(False)
        self._set_controls()
        self._damage = ""
        if damaged or record.damaged:  # shown, never fatal: the rest of the run replays
            self._damage = (
                f" · {len(damaged)} damaged event(s) left out" if damaged else " · damaged row"
            )
            self.position_label.setToolTip("\n".join([record.damaged or "", *damaged]).strip())
        self.show_position(len(events))
        self.loaded.emit(run_id)

    # -- replay ---------------------------------------------------------------------

    def show_position(self, position: int) -> None:
        """Show the replayed run as it was after its first ``position`` events (a far jump
        is applied over several event-loop turns)."""
        if self.session.mode != "replay" or self.session.run_id != self.run_id:
            return
        position = max(0, min(position, len(self.events)))
        if position < self.position:
            self.session.begin("replay", self.run_id, self.session.label)
            self.position = 0
        self._target = position
        if position - self.position > CHUNK:
            self._pump_timer.start()
        else:
            self._pump()

    def _pump(self) -> None:
        """Apply the next chunk towards ``_target`` (GUI thread)."""
        end = min(self._target, self.position + CHUNK)
        chunk = self.events[self.position : end]
        if end < self._target - LOG_TAIL:
            chunk = [e for e in chunk if _kind(e) != "custom_output"]
        self.session.apply(chunk)
        self.position = end
        if end >= self._target:
            self._pump_timer.stop()
        self._show_where()

    def _show_where(self) -> None:
        position = self.position
        if self.slider.value() != position and not self._pump_timer.isActive():
            self.slider.blockSignals(True)
            self.slider.setValue(position)
            self.slider.blockSignals(False)
        step = next(
            (
                getattr(e, "step", None)
                for e in reversed(self.events[max(0, position - 200) : position])
                if getattr(e, "step", None) is not None
            ),
            0,
        )
        loading = " (loading…)" if self._pump_timer.isActive() else ""
        self.position_label.setText(f"event {position}/{len(self.events)} · step {step}{loading}")
        self.positionChanged.emit(position)

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            if self.position >= len(self.events):
                self.show_position(0)
            self._timer.start()
        else:
            self._timer.stop()

    def _on_play_tick(self) -> None:
        if self.position >= len(self.events) or self.session.mode != "replay":
            self.play_button.setChecked(False)
            return
        self.show_position(self.position + 1)

    def _set_controls(self) -> None:
        """Replay controls only for a loaded replay; Resume only for a resumable run of
        this graph; nothing while a live run goes on."""
        live = self.window_.running
        replaying = self.session.mode == "replay" and self.run_id == self.selected_run_id()
        self.slider.setEnabled(replaying and not live)
        self.play_button.setEnabled(replaying and not live)
        record = self.selected_record()
        resumable = record is not None and record.resumable  # the journal's one definition
        # another graph's run would run the window's graph in its place: refused, and why
        other = foreign(self.window_, record.run_id) if record is not None else None
        self.resume_button.setEnabled(not live and resumable and other is None)
        self.resume_button.setToolTip(other or "Start a new run from this run's last checkpoint")

    def _on_session(self, session: RunSession) -> None:
        """The views left this replay (a live run, another graph): stop playing."""
        if session.mode != "replay":
            self.play_button.setChecked(False)
            self._pump_timer.stop()
            self.run_id, self.events, self.position = None, [], 0
            # no replay's position left behind ("event 8/16 · step 1" after Back to live)
            self.slider.blockSignals(True)
            self.slider.setRange(0, 0)
            self.slider.blockSignals(False)
            self.position_label.setText("")
            self.position_label.setToolTip("")
            if session.mode == "live":
                self.table.clearSelection()  # the selection no longer describes the views
        self._set_controls()

    # -- resume ---------------------------------------------------------------------

    def _on_resume_clicked(self) -> None:
        """Resume (GUI thread): start a new run from the selected run's last checkpoint."""
        record = self.selected_record()
        window = self.window_
        if record is None or window.running:
            return
        interrupts = getattr(window, "interrupts", None)  # the window's threads
        try:  # a run on a thread continues its thread, once
            run_id = record.run_id
            check_owned(window, run_id)
            run = interrupts.threads.resume_run(run_id) if interrupts is not None else None
            if run is None:
                run = window.graph.resume(self.journal.resume(run_id), journal=self.journal)
        except (JournalError, ResumeError) as exc:
            self.position_label.setText(str(exc))
            return
        window.show_run(run)

    def _on_run_finished(self, status: str) -> None:
        self.refresh()


def _kind(event: Any) -> str:
    """An event's kind, a subgraph's event's own for a ``Nested``."""
    return getattr(getattr(event, "event", event), "kind", "")


def install_history(window: MainWindow, journal: Any) -> HistoryPanel | None:
    """Dock a history panel on ``window`` when it has a ``Journal``; return it."""
    if not isinstance(journal, Journal):
        return None
    panel = HistoryPanel(window, journal)
    dock = QDockWidget("History", window)
    dock.setObjectName("historyDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    # a quarter of the window at most: a 1,066 px window keeps room for its views
    window.resizeDocks([dock], [min(360, window.width() // 4)], Qt.Orientation.Horizontal)
    return panel
