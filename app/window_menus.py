"""The main window's menus: File, Run and View, whose Panels submenu shows or hides each
docked panel. GUI thread only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QDockWidget

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """The menu bar's actions, kept on ``window`` (``run_action``...) for ``RunControls``
    to enable and disable; ``panels_menu`` gets each dock's show/hide as it is docked."""

    def action(menu: Any, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        act = QAction(text, window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    window.open_action = action(file_menu, "&Open graph…", window._on_open_triggered, "Ctrl+O")
    file_menu.addSeparator()
    action(file_menu, "&Quit", window.close, "Ctrl+Q")
    run_menu = bar.addMenu("&Run")
    window.run_action = action(run_menu, "&Run", window._on_run_clicked, "Ctrl+R")
    window.stop_action = action(run_menu, "&Stop", window._on_stop_clicked, "Esc")
    window.drain_action = action(run_menu, "Stop &after this step", window._on_drain_triggered)
    window.kill_action = action(
        run_menu, "&Force stop", window._on_force_stop_clicked, "Ctrl+Shift+K"
    )
    view_menu = window.view_menu = bar.addMenu("&View")
    action(view_menu, "&Fit graph", window.graph_view.fit, "Ctrl+0")
    action(view_menu, "&Find node…", window.graph_panel.search.setFocus, "Ctrl+F")
    action(view_menu, "Zoom &in", lambda: window.graph_view.zoom(1.25), "Ctrl++")
    action(view_menu, "Zoom &out", lambda: window.graph_view.zoom(0.8), "Ctrl+-")
    # each docked panel's show/hide (added as it is docked): a closed dock had no way
    # back, and stayed closed at the next start (the docks' state is kept)
    window.panels_menu = view_menu.addMenu("&Panels")


def add_panel_action(window: MainWindow, dock: QDockWidget) -> None:
    """``dock``'s show/hide in *View > Panels*, and its title bar's buttons said."""
    window.panels_menu.addAction(dock.toggleViewAction())
    for name, tip in (
        ("qt_dockwidget_closebutton", "Close this panel (View > Panels brings it back)"),
        ("qt_dockwidget_floatbutton", "Undock this panel into a window of its own, or dock it"),
    ):
        button = dock.findChild(QAbstractButton, name)
        if button is not None:
            button.setToolTip(tip)
