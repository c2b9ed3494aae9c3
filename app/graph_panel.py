"""The graph panel: the graph view with its tools: find a node, follow the run, fit, and a
minimap of the whole graph in the corner. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
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
"""Width and height of the minimap, in pixels, in a view wide and tall enough..."""
MINIMAP_SHARE = 0.34
"""...else at most this share of the view's width and height (at 180 px it hid more than
half of a narrow window's graph), never under ``MINIMAP_MIN_SIZE``."""
MINIMAP_MIN_SIZE = (72, 52)
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


class Minimap(QWidget):
    """The whole graph, small, with the main view's visible part as a rectangle; click or
    drag in it to move there (object name ``minimap``).

    It draws each node as a dot in its state's colour and each edge as a line, at most
    every ``REFRESH_MS`` (not the live scene: rendering a thousand node items on every
    change cost the event loop O(nodes) per step); the rectangle follows the view at once.
    """

    REFRESH_MS = 1000

    def __init__(self, view: GraphView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("minimap")
        self.view = view
        self.setFixedSize(*MINIMAP_SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._source = QRectF()  # the scene rectangle the picture shows
        self._target = QRectF()  # where in this widget it is drawn
        self._stale = True
        self._lines: list[QLineF] = []  # the edges, in widget coordinates
        self._boxes: dict[str, QRectF] = {}  # the nodes, in widget coordinates
        self._picture: QImage | None = None  # the graph drawn; None: draw it again
        self._timer = QTimer(self)
        self._timer.setInterval(self.REFRESH_MS)
        self._timer.timeout.connect(self._refresh_if_stale)
        self._timer.start()
        view.viewChanged.connect(self.update)
        view.scene().changed.connect(self._on_scene_changed)
        # positions change only then; measured in a turn of its own, not in the turn of the
        # layout's last step and first paint (2-10 ms for a thousand nodes)
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self.refit)
        view.layoutReady.connect(lambda _: self._refit_timer.start())

    def _on_scene_changed(self, _regions: object) -> None:
        self._stale = True

    def _refresh_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self._stale = False
            self._picture = None  # drawn again at the next paint
            self.update()

    def refit(self) -> None:
        """Measure the whole graph again: where each node and edge is drawn (positions
        change only with a new layout; colours are read at each paint)."""
        self._stale = False
        source = self.view.graph_rect.adjusted(-20, -20, 20, 20)
        if source.isEmpty():
            return
        scale = min((self.width() - 4) / source.width(), (self.height() - 4) / source.height())
        width, height = source.width() * scale, source.height() * scale
        self._target = QRectF(
            (self.width() - width) / 2, (self.height() - height) / 2, width, height
        )
        self._source = source
        # from the layout's numbers, not the items: asking a thousand items for their
        # place and size cost 10 ms of the GUI thread (40 ms under load)
        places = self.view.positions
        left, top = (
            self._target.left() - source.left() * scale,
            self._target.top() - source.top() * scale,
        )
        self._lines = []
        for (src, dst), edge in self.view.edges.items():
            if edge.lane is not None:
                continue  # a column's foot to the next one's head: a line across the grid
            a, b = places.get(src), places.get(dst)
            if a is not None and b is not None:
                self._lines.append(
                    QLineF(
                        left + a[0] * scale,
                        top + a[1] * scale,
                        left + b[0] * scale,
                        top + b[1] * scale,
                    )
                )
        self._boxes = {}
        for name, item in self.view.nodes.items():
            x, y = places.get(name, (0.0, 0.0))
            w = max(2.0, item.width * scale)
            h = max(2.0, item.height * scale)
            self._boxes[name] = QRectF(left + x * scale - w / 2, top + y * scale - h / 2, w, h)
        self._picture = None
        self.update()

    def _to_widget_point(self, point: QPointF) -> QPointF:
        s = self._target.width() / max(self._source.width(), 1e-9)
        return QPointF(
            self._target.left() + (point.x() - self._source.left()) * s,
            self._target.top() + (point.y() - self._source.top()) * s,
        )

    def _to_widget(self, rect: QRectF) -> QRectF:
        s = self._target.width() / max(self._source.width(), 1e-9)
        return QRectF(
            self._target.left() + (rect.left() - self._source.left()) * s,
            self._target.top() + (rect.top() - self._source.top()) * s,
            rect.width() * s,
            rect.height() * s,
        )

    def _render(self) -> None:
        """Draw the graph (edges, and nodes in their states' colours) into the picture
        the paint events show: a thousand boxes are drawn at most once a second, not at
        every move of the view (a paint cost up to 30 ms under load)."""
        # a QImage, not a QPixmap: the picture may be freed by the garbage collector in
        # any thread (a node's worker thread, say), which a QPixmap does not survive
        ratio = self.devicePixelRatioF()
        picture = QImage(self.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        picture.setDevicePixelRatio(ratio)
        picture.fill(QColor(255, 255, 255, 235))
        painter = QPainter(picture)
        painter.setPen(QPen(QColor("#cbd5e1"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if not self._source.isEmpty():
            painter.drawLines(self._lines)  # one call: a thousand edges cost microseconds
            painter.setPen(Qt.PenStyle.NoPen)
            by_state: dict[str, list[QRectF]] = {}
            nodes = self.view.nodes
            for name, box in self._boxes.items():
                item = nodes.get(name)
                if item is not None:
                    by_state.setdefault(item.state, []).append(box)
            for state, boxes in by_state.items():
                fill, border = NODE_COLOURS.get(state, NODE_COLOURS["idle"])
                painter.setBrush(QColor(border if state != "idle" else fill))
                painter.drawRects(boxes)
        painter.end()
        self._picture = picture

    def paintEvent(self, event: object) -> None:
        if self._picture is None or self._picture.deviceIndependentSize() != self.size():
            self._render()
        painter = QPainter(self)
        assert self._picture is not None
        painter.drawImage(0, 0, self._picture)
        if self._source.isEmpty():
            return
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        fill = QColor("#2563eb")
        fill.setAlpha(30)
        painter.setBrush(fill)
        shown = self._to_widget(visible).intersected(QRectF(self.rect()))
        grow_x, grow_y = max(0.0, 10 - shown.width()) / 2, max(0.0, 10 - shown.height()) / 2
        painter.setPen(QPen(QColor("#1d4ed8"), 2))
        painter.drawRect(shown.adjusted(-grow_x, -grow_y, grow_x, grow_y))  # never a speck

    def _go(self, event: QMouseEvent) -> None:
        if self._source.isEmpty():
            return
        s = self._source.width() / max(self._target.width(), 1e-9)
        point = event.position()
        scene_point = QPointF(
            self._source.left() + (point.x() - self._target.left()) * s,
            self._source.top() + (point.y() - self._target.top()) * s,
        )
        self.view.centerOn(scene_point)
        self.view._auto_fit = False
        self.update()

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
        # not while a big graph is being built: an empty frame over an empty view
        self.minimap.setVisible(self.view.laid_out and len(names) >= MINIMAP_MIN_NODES)
        self._place_minimap()

    def _place_minimap(self) -> None:
        """In the view's corner, a third of the view at most (measured again when its
        size changes)."""
        width, height = MINIMAP_SIZE
        share = min(
            1.0,
            self.view.width() * MINIMAP_SHARE / width,
            self.view.height() * MINIMAP_SHARE / height,
        )
        size = QSize(
            max(MINIMAP_MIN_SIZE[0], int(width * share)),
            max(MINIMAP_MIN_SIZE[1], int(height * share)),
        )
        if self.minimap.size() != size:
            self.minimap.setFixedSize(size)
            self.minimap.refit()
        self.minimap.move(
            self.view.width() - size.width() - 6, self.view.height() - size.height() - 6
        )

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
