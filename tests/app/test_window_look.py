"""What a user sees: disabled fields look disabled, labels sit on their field's line,
nothing touches the form's frame, closed panels come back, every control has a tooltip."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import detour_graph, shown_end
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QPushButton,
    QSlider,
    QWidget,
)
from pytestqt.qtbot import QtBot

from graphstage import Journal
from graphstage.app import MainWindow
from graphstage.app.gui import style_sheet
from graphstage.app.loader import DEFAULT_GRAPH, load_graph
from graphstage.app.theme import STYLE_PROPERTY
from graphstage.app.time_travel import FORK_TIP


@pytest.fixture(autouse=True)
def _styled(qapp: QApplication) -> Iterator[None]:
    """The app's style sheet, as ``graphstage`` runs with it (the other tests go without)."""
    qapp.setProperty(STYLE_PROPERTY, style_sheet())
    yield
    qapp.setProperty(STYLE_PROPERTY, None)


def shown_window(qtbot: QtBot, settings: QSettings) -> MainWindow:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.resize(1440, 820)
    window.show()
    qtbot.waitExposed(window)
    return window


def background(widget: QWidget) -> QColor:
    """The colour right of the field's text and left of its arrows (no text there)."""
    return QColor(widget.grab().toImage().pixel(widget.width() * 2 // 3, widget.height() // 2))


def test_a_disabled_field_is_grey_like_a_disabled_button_not_white(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = shown_window(qtbot, settings)
    limit = window.run_options.recursion_limit
    assert background(limit).name() == "#ffffff"
    limit.setEnabled(False)  # as while a run goes on: it stayed white, looking editable
    assert background(limit).name() == "#f3f4f6"  # the disabled buttons' grey


def darkest_in_arrows(widget: QWidget) -> int:
    """The lightness of the darkest pixel in a spin box's arrow column (its right 16 px):
    the arrows' own colour."""
    image = widget.grab().toImage()
    scale = image.devicePixelRatio()
    width, height = int(widget.width() * scale), int(widget.height() * scale)
    return min(
        QColor(image.pixel(x, y)).lightness()
        for x in range(width - int(17 * scale), width - int(2 * scale))
        for y in range(int(2 * scale), height - int(2 * scale))
    )


def test_a_disabled_number_fields_arrows_are_grey_with_it(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = shown_window(qtbot, settings)
    limit = window.run_options.recursion_limit
    assert darkest_in_arrows(limit) < 120  # the dark grey arrows of a field one may step
    limit.setEnabled(False)  # as while a run goes on: the arrows stayed dark, clickable
    assert darkest_in_arrows(limit) > 160


def test_a_fields_label_is_centred_on_a_one_line_field_and_clear_of_the_frame(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = shown_window(qtbot, settings)
    form = window.input_form
    field = form.editors["sleep_seconds"].widget
    layout = form.findChild(QFormLayout)
    assert layout is not None
    label = layout.labelForField(field.parentWidget())
    assert label is not None
    qtbot.waitUntil(lambda: label.height() == field.height(), timeout=5_000)
    centre = field.mapTo(form, QPoint(0, field.height() // 2)).y()
    assert label.geometry().center().y() in (centre - 1, centre)  # it sat 3-4 px above
    assert label.x() >= 4 and field.mapTo(form, QPoint(field.width(), 0)).x() <= form.width() - 4


def test_a_closed_panel_comes_back_from_the_view_menu(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    names = [a.text() for a in window.panels_menu.actions()]
    assert names == ["History", "Waiting for an answer", "Thread history"]
    dock = window.findChild(QDockWidget, "historyDock")
    assert dock is not None and dock.isVisible()
    dock.close()  # its title bar's close button: before, nothing brought it back
    assert not dock.isVisible()
    [toggle] = [a for a in window.panels_menu.actions() if a.text() == "History"]
    toggle.trigger()
    assert dock.isVisible()
    journal.close()


def test_every_button_and_field_of_the_window_says_what_it_does(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    untold = [
        w.objectName() or w.text()
        for kind in (QPushButton, QCheckBox, QComboBox, QSlider)
        for w in window.findChildren(kind)
        if w.isVisible() and not w.toolTip() and not w.objectName().startswith("qt_")
    ]
    assert untold == []  # Play, Refresh, the fork button, the scope and the slider had none
    closes = [
        b.toolTip()
        for d in window.findChildren(QDockWidget)
        for b in d.findChildren(QAbstractButton, "qt_dockwidget_closebutton")
    ]
    assert closes and all("View > Panels" in tip for tip in closes)
    assert "Ctrl+Shift+K" in window.force_stop_button.toolTip()
    journal.close()


def test_the_fork_button_keeps_its_tooltip_once_a_checkpoint_is_picked(
    qtbot: QtBot,
    settings: QSettings,
    tmp_path: Path,
    run_async: Callable[[Any], Any],
    wait_until: Callable[..., Any],
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    window = MainWindow(detour_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()

    async def run() -> None:
        window.run_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(run())
    panel = window.time_travel
    qtbot.waitUntil(lambda: panel.list.count() > 0, timeout=5_000)
    panel.select(0)
    assert panel.fork_button.isEnabled()
    assert panel.fork_button.toolTip() == FORK_TIP  # a pick set it to "" before
    journal.close()


def test_a_running_runs_thread_history_says_it_is_read_once_a_second(
    qtbot: QtBot,
    settings: QSettings,
    run_async: Callable[[Any], Any],
    wait_until: Callable[..., Any],
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.show()
    label = window.time_travel.label
    window.input_form.editors["sleep_seconds"].widget.setValue(5)  # type: ignore[attr-defined]

    async def run() -> None:
        window.run_button.click()
        # a fast run's list lagged 150 steps behind under "the newest 100 checkpoints"
        await wait_until(lambda: "read every 1 s while the run goes on" in label.text(), 10)
        window.stop_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(run())
    assert window.run is not None and window.run.status == "cancelled"
    assert label.text().endswith("checkpoints")  # the last read, complete: no caveat
