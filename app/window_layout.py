"""The window's layout helpers: captioned panels, splitters, and keeping their sizes in
``QSettings``. GUI thread only."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

SPLITTERS = ("outerSplitter", "topSplitter", "bottomSplitter", "detailSplitter")


def section(title: str, body: QWidget, extra: QWidget | None = None) -> QWidget:
    """A panel: a small caption above ``body``."""
    panel = QWidget()
    panel.setObjectName("panel")
    column = QVBoxLayout(panel)
    column.setContentsMargins(8, 6, 8, 8)
    column.setSpacing(4)
    header = QHBoxLayout()
    caption = QLabel(title)
    caption.setObjectName("panelTitle")
    header.addWidget(caption)
    header.addStretch(1)
    if extra is not None:
        header.addWidget(extra)
    column.addLayout(header)
    column.addWidget(body, 1)
    return panel


def splitter(
    name: str, orientation: Qt.Orientation, widgets: Sequence[QWidget], sizes: list[int]
) -> QSplitter:
    """A named splitter holding ``widgets`` at ``sizes`` (kept in the settings)."""
    made = QSplitter(orientation)
    made.setObjectName(name)
    made.setChildrenCollapsible(False)
    for widget in widgets:
        made.addWidget(widget)
    made.setSizes(sizes)
    return made


def save_settings(window: QMainWindow, settings: QSettings) -> None:
    """Window geometry, docks and splitter sizes, into ``settings``."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/docks", window.saveState())  # the History dock
    for name in SPLITTERS:
        found = window.findChild(QSplitter, name)
        if found is not None:
            settings.setValue(f"window/{name}", found.saveState())
    settings.sync()


def restore_settings(window: QMainWindow, settings: QSettings, width: int) -> None:
    """Geometry and splitter sizes from ``settings`` (a first start: ``width`` x 800)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(width, 800)
    for name in SPLITTERS:
        state = settings.value(f"window/{name}")
        found = window.findChild(QSplitter, name)
        if isinstance(state, QByteArray) and found is not None:
            found.restoreState(state)
