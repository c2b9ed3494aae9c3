"""The graph panel: the graph view with its tools: find a node, follow the run, fit, and a
minimap of the whole graph in the corner. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from graphstage import CompiledGraph
from graphstage.app.graph_view import GraphView
from graphstage.app.theme import NODE_COLOURS

MINIMAP_SIZE = (180, 130)
"""Width and height of the minimap, in pixels."""
MINIMAP_MIN_NODES = 12
"""Graphs smaller than this fit on screen: no minimap."""


def legend() -> QLabel:
    """One coloured dot per node state."""
    chips = " ".join(
        f'<span style="color:{border}">●</span>&nbsp;{state}&nbsp;&nbsp;'
        for state, (_, border) in NODE_COLOURS.items()
    )
    label = QLabel(chips)
    label.setObjectName("legend")
    label.setWordWrap(True)
    return label


class Minimap(QGraphicsView):
    """The whole scene, small, with the main view's visible part as a rectangle; click or
    drag in it to move there (object name ``minimap``)."""

    def __init__(self, view: GraphView, parent: QWidget | None = None) -> None:
        super().__init__(view.scene(), parent)
        self.setObjectName("minimap")
        self.view = view
        self.setFixedSize(*MINIMAP_SIZE)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setInteractive(False)
        self.setRenderHints(QPainter.RenderHint.Antialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setStyleSheet("border: 1px solid #cbd5e1; background: rgba(255,255,255,0.92);")
        view.viewChanged.connect(self.viewport().update)
        view.layoutReady.connect(lambda _: self.refit())

    def refit(self) -> None:
        """Show the whole graph."""
        rect = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        pen = QPen(QColor("#2563eb"), 0)  # cosmetic: one pixel whatever the scale
        painter.setPen(pen)
        fill = QColor("#2563eb")
        fill.setAlpha(30)
        painter.setBrush(fill)
        painter.drawRect(visible)

    def _go(self, event: QMouseEvent) -> None:
        point: QPointF = self.mapToScene(event.position().toPoint())
        self.view.centerOn(point)
        self.view._auto_fit = False
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._go(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go(event)


class GraphPanel(QWidget):
    """Tools above the graph view, the minimap over its corner, the legend below."""

    def __init__(self, graph: CompiledGraph, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = GraphView(graph)
        self.search = QLineEdit()
        self.search.setObjectName("nodeSearch")
        self.search.setPlaceholderText("Find node…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Type a node's name and press Enter to go to it (Ctrl+F)")
        self.search.returnPressed.connect(self._on_search)
        self.follow = QCheckBox("Follow")
        self.follow.setObjectName("followActive")
        self.follow.setChecked(True)
        self.follow.setToolTip("Keep the running node in sight")
        self.follow.toggled.connect(self._on_follow_toggled)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setObjectName("fitButton")
        self.fit_button.setToolTip("Fit the graph to the window (double-click the graph)")
        self.fit_button.clicked.connect(self.view.fit)
        self.search_result = QLabel()
        self.search_result.setObjectName("searchResult")
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.search, 1)
        tools.addWidget(self.search_result)
        tools.addWidget(self.follow)
        tools.addWidget(self.fit_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(tools)
        column.addWidget(self.view, 1)
        column.addWidget(legend())
        self.minimap = Minimap(self.view, self.view)
        self.view.layoutReady.connect(lambda _: self._on_layout_ready())
        self.view.viewChanged.connect(self._place_minimap)
        self._on_layout_ready()

    def set_graph(self, graph: CompiledGraph) -> None:
        """Show another graph (the one shown is not laid out again)."""
        if graph is not self.view.graph:
            self.view.set_graph(graph)
        self._on_layout_ready()

    def _on_layout_ready(self) -> None:
        names = [n.title for n in self.view.nodes.values()]
        completer = QCompleter(names, self.search)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search.setCompleter(completer)
        self.minimap.setVisible(len(names) >= MINIMAP_MIN_NODES)
        self._place_minimap()
        self.minimap.refit()

    def _place_minimap(self) -> None:
        width, height = MINIMAP_SIZE
        self.minimap.move(self.view.width() - width - 6, self.view.height() - height - 6)

    def find(self, text: str) -> str | None:
        """Go to the first node whose name contains ``text`` (an exact name first)."""
        wanted = text.strip().lower()
        if not wanted:
            return None
        by_title = {item.title.lower(): name for name, item in self.view.nodes.items()}
        name = by_title.get(wanted) or next((n for t, n in by_title.items() if wanted in t), None)
        if name is not None:
            self.view.focus_node(name)
        return name

    def _on_search(self) -> None:
        found = self.find(self.search.text())
        self.search_result.setText("" if found else "no such node")

    def _on_follow_toggled(self, on: bool) -> None:
        self.view.follow = on
