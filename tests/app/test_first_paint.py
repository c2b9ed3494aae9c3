"""A window's first paint: once, and never in the same event-loop turn as a slice of a big
graph's build (both made one block of the GUI thread)."""

from __future__ import annotations

from gui_helpers import chain_graph
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow
from graphstage.app.first_paint import FirstPaint


class _Paints(QObject):
    """Records, in order, the paints (and updates posted for later) of the watched
    widgets, by name."""

    def __init__(self, order: list[str], **watched: QWidget) -> None:
        super().__init__()
        self.order = order
        self._names = {id(w): name for name, w in watched.items()}
        for widget in watched.values():
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if id(watched) in self._names:
            if event.type() == QEvent.Type.Paint:
                self.order.append(self._names[id(watched)])
            elif event.type() == QEvent.Type.UpdateLater:
                self.order.append(f"{self._names[id(watched)]} update later")
        return False


def test_a_big_graph_build_goes_on_only_after_the_windows_first_paint(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(chain_graph(1000), settings=settings)
    qtbot.addWidget(window)
    view = window.graph_view
    order: list[str] = []
    paints = _Paints(order, window=window)
    real = view._run_job

    def run_job(generation: int, deadline: float | None) -> None:
        if view._paused is None:  # a slice that builds (a paused one returns at once)
            order.append("slice")
        real(generation, deadline)

    view._run_job = run_job  # type: ignore[method-assign]
    window.resize(1066, 760)
    window.show()
    assert not view.laid_out and view._paused is not None
    minimap = window.graph_panel.minimap
    assert not minimap.isVisible()  # no empty frame over the empty view meanwhile
    with qtbot.waitSignal(view.layoutReady, timeout=10_000):
        pass
    assert minimap.isVisible()
    painted_and_built = [what for what in order if what in ("window", "slice")]
    assert painted_and_built[0] == "window" and "slice" in order  # painted, then built
    assert view._paused is None and view.viewport().updatesEnabled()
    del paints


def test_a_window_never_painted_goes_on_after_the_wait(qtbot: QtBot) -> None:
    hidden = QWidget()  # never shown, so never painted
    qtbot.addWidget(hidden)
    called: list[str] = []
    FirstPaint(hidden, lambda: called.append("went on"))
    qtbot.waitUntil(lambda: called == ["went on"], timeout=5_000)


def test_a_shown_window_is_painted_once(qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow(chain_graph(1000), settings=settings)
    qtbot.addWidget(window)
    order: list[str] = []
    # widgets nothing changes after the show: painted by the window's first paint only
    paints = _Paints(order, run=window.run_button, details=window.detail)
    window.resize(1066, 760)
    window.show()
    # Qt posts each widget shown an update for later; left in the queue it was handled
    # after the window system's expose (a race), and the whole window painted twice
    assert sorted(order) == ["details update later", "run update later"]
    order.clear()
    with qtbot.waitSignal(window.graph_view.layoutReady, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: "run" in order and "details" in order, timeout=5_000)
    assert sorted(order) == ["details", "run"]  # once each (a second paint: the same turn)
    del paints
