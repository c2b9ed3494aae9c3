"""The graph view's navigation: fit, zoom, find and follow a node, open and close
subgraphs with a double-click. A mixin of ``GraphView``, which owns the items; GUI thread
only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QResizeEvent, QWheelEvent

from graphstage import START
from graphstage.app.graph_items import ClusterItem, NodeItem
from graphstage.app.graph_model import SEP

MIN_FIT_SCALE = 0.7
"""``fit()`` never zooms out further than this: labels stay readable; the minimap shows
the whole graph and the view centres on where the run is instead."""

if TYPE_CHECKING:
    from graphstage.app.graph_view import GraphView

    _Base = GraphView
else:
    _Base = object


class GraphNavigation(_Base):
    """Where the view looks, and what a double-click does."""

    def fit(self) -> None:
        """Fit the whole graph in the window, never magnified beyond 1.6x nor shrunk below
        ``MIN_FIT_SCALE``; a graph too big for that is centred on its active node (or its
        start) instead, and the minimap shows the rest."""
        rect = self.graph_rect.adjusted(-24, -24, 24, 24)
        self.scene().setSceneRect(rect.adjusted(-400, -400, 400, 400))
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.transform().m11()
        if scale > 1.6 or scale < MIN_FIT_SCALE:
            self.resetTransform()
            self.scale(min(1.6, max(scale, MIN_FIT_SCALE)), min(1.6, max(scale, MIN_FIT_SCALE)))
        if scale < MIN_FIT_SCALE:
            focus = self._active[-1] if self._active else START
            self.centerOn(self.nodes[focus] if focus in self.nodes else rect.center())
        else:
            self.centerOn(rect.center())
        self._auto_fit = True
        self.viewChanged.emit()

    def focus_node(self, name: str) -> bool:
        """Centre the view on node ``name`` and flash it; False if there is no such node."""
        item = self.nodes.get(name)
        if item is None:
            return False
        if self.transform().m11() < MIN_FIT_SCALE:
            self.resetTransform()
            self.scale(1.0, 1.0)
        self.centerOn(item)
        self._unflash()
        item.set_highlighted(True)
        self._flashed = name
        self._flash_timer.start()
        self._auto_fit = False
        self.viewChanged.emit()
        return True

    def _unflash(self) -> None:
        """The search hit's ring goes (the timer's item may be gone: looked up by name)."""
        item = self.nodes.get(self._flashed or "")
        if item is not None:
            item.set_highlighted(False)
        self._flashed = None

    def _follow_active(self) -> None:
        """Keep the newest active node (or the last that ran) in sight, when ``follow``
        is on; a fast run starts and ends many nodes within one batch."""
        name = self._active[-1] if self._active else self._last_started
        self._last_started = None
        if not self.follow or name is None:
            return
        item = self.nodes.get(name)
        if item is None:
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if not visible.contains(item.sceneBoundingRect()):
            self.centerOn(item)
            self.viewChanged.emit()

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor`` around the mouse, within 0.2x to 4x."""
        current = self.transform().m11()
        factor = max(0.2 / current, min(4.0 / current, factor))
        self.scale(factor, factor)
        self._auto_fit = False
        self.viewChanged.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.15 ** (event.angleDelta().y() / 120))
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """On a subgraph's box: open it; on an opened subgraph's frame: close it; elsewhere:
        fit the graph to the window."""
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, NodeItem | ClusterItem):
            item = item.parentItem()
        if isinstance(item, NodeItem) and item.subgraph:
            self.set_expanded(item.name, True)
        elif isinstance(item, ClusterItem):
            self.set_expanded(item.key, False)
        elif isinstance(item, NodeItem) and SEP in item.name:  # a box inside a subgraph
            self.set_expanded(item.name.rsplit(SEP, 1)[0], False)
        else:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()
        self.viewChanged.emit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor("#fbfbfd"))
