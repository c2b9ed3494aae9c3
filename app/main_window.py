"""``MainWindow``: the graph, the input form, Run / Stop / Force stop, log, state, timeline.

The window only *tells* the runtime what the user did (``graph.start``, ``run.stop``,
``run.kill``); the runtime owns its tasks. What the run does comes back through one
``RunBridge`` in batches. Everything here runs in the GUI thread, on the qasync loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from graphstage import (
    CompiledGraph,
    Run,
    RunFinished,
    RunStarted,
)
from graphstage.app.bridge import RunBridge
from graphstage.app.detail_pane import DetailPane
from graphstage.app.graph_panel import GraphPanel
from graphstage.app.input_form import InputForm
from graphstage.app.input_panel import InputPanel
from graphstage.app.loader import GraphLoadError, load_graph
from graphstage.app.log_view import LogView
from graphstage.app.ownership import set_graph_spec
from graphstage.app.replay_banner import ReplayBanner
from graphstage.app.run_controls import RunControls
from graphstage.app.run_options import RunOptions
from graphstage.app.session import RunSession
from graphstage.app.state_view import StateView
from graphstage.app.status_bar import RunStatusBar
from graphstage.app.theme import STYLE_PROPERTY, shown_path
from graphstage.app.timeline import TimelineView
from graphstage.app.window_layout import restore_settings, save_settings, section, splitter
from graphstage.app.window_menus import add_panel_action, build_menus

ORGANISATION = APPLICATION = "graphstage"
STATE_MIN_WIDTH = 190
"""The state view's narrowest, in pixels: a field name and a short value whole."""
POLISH_SLICE = 40
"""Widgets styled per event-loop turn while a window is built (``MainWindow.open``)."""


class MainWindow(RunControls, QMainWindow):
    """The live monitor of one compiled graph.

    ``journal`` (optional) is passed to ``graph.start``; ``settings`` defaults to the
    user's ``QSettings("graphstage", "graphstage")``. ``MainWindow.open`` builds one a
    piece per event-loop turn (the app's way); ``staged`` leaves it to the caller to
    finish the construction so (``open`` does).
    """

    runFinished = Signal(str)
    """The final status of a run shown in this window (completed, cancelled, ...)."""
    closed = Signal()
    """The window was closed; the boot code then lets a live run settle and quits."""

    def __init__(
        self,
        graph: CompiledGraph,
        journal: Any = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        staged: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.graph = graph
        self.journal = journal
        self.settings = settings or QSettings(ORGANISATION, APPLICATION)
        self.run: Run | None = None  # the run shown; stays after it ends, for inspection
        self.bridge: RunBridge | None = None  # the live run's bridge; None when settled
        self._stopping = False  # Stop was clicked for the live run
        self._draining = False  # Stop after this step was asked for the live run
        self._shown_graph: CompiledGraph | None = None  # the graph the panels were built for
        self._stages = self._build()  # the construction's remaining steps
        if not staged:
            for _ in self._stages:
                pass

    @classmethod
    async def open(
        cls, graph: CompiledGraph, journal: Any = None, settings: QSettings | None = None
    ) -> MainWindow:
        """A window built a piece per event-loop turn, ready to show (on the qasync loop):
        built in one go, it held the GUI thread for 100 to 300 ms at a load of 5."""
        window = cls(graph, journal, settings, staged=True)
        for _ in window._stages:
            await asyncio.sleep(0)
        return window

    def _build(self) -> Iterator[None]:
        """The steps of building the window; yields between pieces of a few ms each."""
        yield from self._build_panels()
        self._build_actions()
        yield None
        self._show_graph(self.graph)
        restore_settings(self, self.settings, 1440 if self.journal is not None else 1180)
        yield None
        from graphstage.app.history_panel import install_history  # past runs, replay

        self.history = install_history(self, self.journal)
        yield None
        from graphstage.app.interrupt_panel import install_interrupts  # threads, answers

        self.interrupts = install_interrupts(self, self.journal)
        if self.history is not None:  # its threads can be read now
            self.history.refresh()
        yield None
        from graphstage.app.time_travel import install_time_travel  # checkpoints, forks

        self.time_travel = install_time_travel(self, self.interrupts.threads)
        from graphstage.app.breakpoints import Breakpoints  # right-click a node

        self.breakpoints = Breakpoints(self)
        for dock in self.findChildren(QDockWidget):
            add_panel_action(self, dock)
        docks = self.settings.value("window/docks")
        if isinstance(docks, QByteArray) and not docks.isEmpty():
            self.restoreState(docks)
        yield None
        app = QApplication.instance()
        sheet = app.property(STYLE_PROPERTY) if app is not None else None
        if isinstance(sheet, str) and sheet:  # styled once, built (see gui.application)
            self.setStyleSheet(sheet)
        # each widget styled (polished) a slice at a time, not all in show()
        widgets = self.findChildren(QWidget)
        for start in range(0, len(widgets), POLISH_SLICE):
            yield None
            for widget in widgets[start : start + POLISH_SLICE]:
                widget.ensurePolished()

    # -- construction ---------------------------------------------------------------

    def _build_panels(self) -> Iterator[None]:
        self.graph_panel = GraphPanel(self.graph)
        self.graph_view = self.graph_panel.view
        yield None
        self.state_view = StateView()
        self.timeline = TimelineView()
        self.log_view = LogView()
        yield None
        self.session = RunSession()  # the one source the views draw from: live or replay
        for view in (self.graph_view, self.timeline, self.state_view):
            self.session.subscribe(view)
        self.session.subscribe(self.log_view, writer_output=True)
        self.banner = ReplayBanner()
        self.banner.exitRequested.connect(self.leave_replay)
        self.session.on_mode(self.banner.on_session)
        self.session.on_mode(lambda _session: self.detail.clear_text())  # of another run
        self.session.on_mode(lambda _session: self._update_actions())
        self.timeline.stepSelected.connect(self._on_step_selected)
        self.log_view.selectionModel().currentChanged.connect(self._on_log_line_picked)
        self.state_view.currentItemChanged.connect(self._on_state_value_picked)
        self.status = RunStatusBar()
        self.setStatusBar(self.status)
        yield None
        self.input_panel = InputPanel(self.graph)
        self.input_panel.validityChanged.connect(self._update_actions)
        self.run_button = self.input_panel.run_button
        self.stop_button = self.input_panel.stop_button
        self.force_stop_button = self.input_panel.force_stop_button
        self.stop_reason = self.input_panel.stop_reason
        top = splitter(
            "topSplitter",
            Qt.Orientation.Horizontal,
            [
                section("Input", self.input_panel),
                section("Graph", self.graph_panel),
                section("State", self.state_view),
            ],
            [270, 620, 260],
        )
        # a 1,066 px window left the state 120 px: every field and value cut
        self.state_view.setMinimumWidth(STATE_MIN_WIDTH)
        yield None
        self.detail = DetailPane()  # the whole text of a picked log line, bar or value
        bottom = splitter(
            "detailSplitter",
            Qt.Orientation.Vertical,
            [
                splitter(
                    "bottomSplitter",
                    Qt.Orientation.Horizontal,
                    [section("Timeline", self.timeline), section("Log", self.log_view)],
                    [650, 600],
                ),
                section("Details", self.detail),
            ],
            [200, 56],
        )
        outer = splitter("outerSplitter", Qt.Orientation.Vertical, [top, bottom], [470, 250])
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 4, 6, 0)
        column.setSpacing(4)
        column.addWidget(self.banner)
        column.addWidget(outer, 1)
        self.setCentralWidget(central)
        self._title_nodes: tuple[str, ...] = ()  # the active nodes the title will name
        self._title_timer = QTimer(self)
        self._title_timer.setSingleShot(True)
        self._title_timer.setInterval(0)
        self._title_timer.timeout.connect(self._set_title)
        self.graph_view.activeNodesChanged.connect(self._on_active_nodes_changed)
        self.graph_view.layoutReady.connect(self.status.set_layout_info)
        self.status.graceLeft.connect(self._on_grace_left)

    def _build_actions(self) -> None:
        build_menus(self)
        self.run_button.clicked.connect(self._on_run_clicked)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.force_stop_button.clicked.connect(self._on_force_stop_clicked)

    def _show_graph(self, graph: CompiledGraph) -> None:
        self.graph = graph
        if self.input_panel.input_form is not None and self._shown_graph is not None:
            self.input_panel.set_graph(graph)  # the panel built the first graph's form
        self._shown_graph = graph
        inner = [  # a subgraph's nodes are logged by their path (shown_path)
            shown_path(f"{path.replace('|', '/')}/{node}")
            for path, sub in graph.get_subgraphs(recurse=True)
            for node in sub.nodes
        ]
        self.log_view.set_node_names([*graph.nodes, *inner])
        self.session.begin("idle", None)
        self.status.show_idle()
        if getattr(self, "history", None) is not None:
            self.history.refresh()  # this graph's runs
        self.graph_panel.set_graph(graph)
        self.status.set_layout_info(self.graph_view.layout_info)
        self.status.set_graph_name(graph.name)
        self.setWindowTitle(f"graphstage — {graph.name}")
        self._update_actions()

    def _on_open_triggered(self) -> None:
        """File > Open graph… (GUI thread): pick a .py file and open its ``graph``."""
        path, _ = QFileDialog.getOpenFileName(self, "Open graph", "", "Python files (*.py)")
        if path:
            self.open_graph(f"{path}:graph")

    def open_graph(self, spec: str) -> bool:
        """Show the graph named by ``spec``; on failure a dialog says why and the current
        graph stays. Returns True if the graph was opened."""
        if self.running:
            QMessageBox.warning(
                self, "A run is going on", "Stop the run before opening another graph."
            )
            return False
        try:
            graph = load_graph(spec)
        except GraphLoadError as exc:
            QMessageBox.critical(self, "Cannot open graph", str(exc))
            return False
        except (Exception, KeyboardInterrupt) as exc:  # the loader did not foresee it, or
            # the file raised KeyboardInterrupt on import: a dialog, never a traceback
            QMessageBox.critical(self, "Cannot open graph", f"{type(exc).__name__}: {exc}")
            return False
        self.run = None
        set_graph_spec(self, graph, spec)  # before the panels refresh for the new graph
        self._show_graph(graph)
        return True

    def add_panel(
        self,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        """Dock another panel (an interrupt panel, breakpoints...) beside the views; it may
        follow the run by ``self.session.subscribe(view)``. Its object name is kept in the
        settings with the other docks."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{widget.objectName() or title.lower()}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        add_panel_action(self, dock)
        return dock

    def leave_replay(self) -> None:
        """Back from a replay: the views show this window's own run again (from its
        events, which the run keeps), or nothing if there was none."""
        if self.session.mode != "replay":
            return
        run = self.run
        if run is None:
            self.session.begin("idle", None)
            self.status.show_idle()
            return
        self.session.begin("live", run.run_id)
        events = list(run.event_log)
        self.session.apply(events)
        # the run's own clock again (the replay's counted from 0: the elapsed time shown
        # was the finish's time since the epoch)
        started = next((e for e in events if isinstance(e, RunStarted)), None)
        self.status.run_started(started.time if started is not None else None)
        finished = next((e for e in reversed(events) if isinstance(e, RunFinished)), None)
        if finished is not None:
            self.status.run_finished(finished.status, finished.error, finished.time)
        self._update_actions()

    def _on_log_line_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """A log line picked: the whole of it in the detail pane."""
        if current.isValid() and current.row() < self.log_view.log_model.rowCount():
            self.detail.show_text(*self.log_view.log_model.line(current.row()))

    def _on_state_value_picked(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        """A state value picked: the whole value in the detail pane."""
        if item is not None:
            path = [item.text(0)]
            parent = item.parent()
            while parent is not None:
                path.insert(0, parent.text(0))
                parent = parent.parent()
            self.detail.show_text(".".join(path), item.toolTip(1) or item.text(1))

    def _on_step_selected(self, key: tuple[str, int] | None) -> None:
        """A bar picked in the timeline: ring its node, show the state after its step —
        the checkpoint that step took, when the run has a thread (the thread history
        selects it, for "Edit state and run from here"), else folded from the events — and
        the bar's whole text in the detail pane. A bar of a node inside a subgraph shows
        the subgraph's state after its step, and rings its box (or, closed, the subgraph's)."""
        for item in self.graph_view.nodes.values():
            item.set_highlighted(False)
        time_travel = getattr(self, "time_travel", None)
        bar = self.timeline.selected_bar
        if key is None or bar is None:
            self.state_view.show_step(None)
            if time_travel is not None:
                time_travel.show_step(self.session.run_id, None)
            return
        self.detail.show_text("", self.timeline.details(key) or "")
        fold: Any = self.timeline.state_after_selected()
        if bar.namespace and time_travel is not None:  # no checkpoint of the run's is it
            time_travel.show_step(self.session.run_id, None)
        if fold is not None:
            self.state_view.show_step(bar.step, fold)
        if time_travel is not None and not bar.namespace:
            time_travel.show_step(self.session.run_id, bar.step)
        node = bar.node
        while node not in self.graph_view.nodes and "/" in node:  # a closed subgraph's box
            node = node.rsplit("/", 1)[0]
        if node in self.graph_view.nodes:  # the bar's own node, whatever the checkpoint
            self.graph_view.nodes[node].set_highlighted(True)

    def _on_active_nodes_changed(self, nodes: tuple[str, ...]) -> None:
        """The graph view's active nodes changed: name them in the window title, once per
        event-loop turn (a fast run changes them a thousand times a second, and each
        setWindowTitle went to the window system: a fifth of the graph's drawing time)."""
        self._title_nodes = nodes
        if not self._title_timer.isActive():
            self._title_timer.start()

    def _set_title(self) -> None:
        nodes = self._title_nodes
        suffix = f" — {', '.join(shown_path(n) for n in nodes)}" if nodes else ""
        self.setWindowTitle(f"graphstage — {self.graph.name}{suffix}")

    @property
    def input_form(self) -> InputForm:
        """The input form of the graph shown."""
        assert self.input_panel.input_form is not None
        return self.input_panel.input_form

    @property
    def run_options(self) -> RunOptions:
        """The run options of the graph shown."""
        assert self.input_panel.run_options is not None
        return self.input_panel.run_options

    # -- closing --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_docks()

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        if visible:
            # Qt posts every widget shown an UpdateLater; when the window system's expose
            # was handled first (a race), the whole window was painted twice in one
            # event-loop turn (5-10 ms each). Handled now, the expose paints it once.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateLater)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_docks)  # docks have their widths once laid out

    def _fit_docks(self) -> None:
        """Docks take at most 30% of a narrow window: the views keep their room (a
        1,066 px window gave its docks 360 px, the state view 100)."""
        docks = [d for d in self.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
        limit = max(240, self.width() * 3 // 10)
        wide = [d for d in docks if d.width() > limit]
        if wide:
            self.resizeDocks(wide, [limit] * len(wide), Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        save_settings(self, self.settings)
        if self.running and self.run is not None:
            self.run.stop(reason="window closed")
        super().closeEvent(event)
        self.closed.emit()
