"""The items the graph view draws: node boxes, edges with arrowheads, and labels.

All of them live in the GUI thread; the view changes them in its ``_on_<event>`` handlers.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from graphstage import END, START
from graphstage.app.theme import EDGE_COLOURS, NODE_COLOURS, NodeState

NODE_MIN_WIDTH = 132.0
NODE_HEIGHT = 50.0
TERMINAL_SIZE = (84.0, 32.0)
LOD_SIMPLE = 0.5
"""Below this zoom a node is drawn as a plain box with its name in a larger font."""


@functools.lru_cache(maxsize=64)
def node_font(bold: bool = False, size: float = 10.0) -> QFont:
    """The font node boxes use (the application's family, a fixed point size); made once
    per size (a thousand nodes painting each made their own)."""
    font = QFont()
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


@functools.lru_cache(maxsize=1)
def _title_metrics() -> QFontMetricsF:
    """Metrics of the node-title font, made once (a thousand nodes each made their own)."""
    return QFontMetricsF(node_font(bold=True))


class NodeItem(QGraphicsItem):
    """A node box: its name, a status line, a fill and border by ``NodeState``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.terminal = name in (START, END)
        self.title = {START: "START", END: "END"}.get(name, name)
        self.state: NodeState = "idle"
        self.detail = ""  # the status line under the name ("running · step 1")
        self.active = False
        self.highlighted = False  # picked in the timeline or found by search: a violet ring
        if self.terminal:
            self.width, self.height = TERMINAL_SIZE
        else:
            self.width = max(NODE_MIN_WIDTH, _title_metrics().horizontalAdvance(self.title) + 36)
            self.height = NODE_HEIGHT
        self.setZValue(2)
        self.setToolTip(self.title)

    def size(self) -> tuple[float, float]:
        """Width and height of the box, in scene pixels."""
        return self.width, self.height

    def rect(self) -> QRectF:
        """The box, in item coordinates (centred on the item's position)."""
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-6, -6, 6, 6)

    def set_state(self, state: NodeState, detail: str = "", *, active: bool | None = None) -> None:
        """Show ``state`` (and an optional status line); ``active`` thickens the border."""
        self.state = state
        self.detail = detail
        if active is not None:
            self.active = active
        self.setToolTip(f"{self.title}: {state}" + (f" ({detail})" if detail else ""))
        self.update()

    def set_highlighted(self, on: bool) -> None:
        """Ring the box (the step picked in the timeline, a search hit)."""
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect()
        if self.highlighted:
            painter.setPen(QPen(QColor("#7c3aed"), 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-5, -5, 5, 5), 11, 11)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < LOD_SIMPLE and not self.terminal:
            self._paint_simple(painter, rect, lod)
            return
        if self.terminal:
            painter.setPen(QPen(QColor("#334155"), 1.5))
            painter.setBrush(QColor("#334155" if self.state != "idle" else "#475569"))
            painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
            painter.setPen(QColor("white"))
            painter.setFont(node_font(bold=True, size=9))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.title)
            return
        fill, border = NODE_COLOURS[self.state]
        if self.active:  # a soft halo around the active node
            halo = QColor(border)
            halo.setAlpha(70)
            painter.setPen(QPen(halo, 8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 10, 10)
        painter.setPen(QPen(QColor(border), 2.6 if self.active else 1.4))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(QColor("#111827"))
        painter.setFont(node_font(bold=True))
        if self.detail:
            top = QRectF(rect.left(), rect.top() + 5, rect.width(), rect.height() / 2)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, self.title)
            painter.setPen(QColor(border).darker(130))
            painter.setFont(node_font(size=8.5))
            bottom = QRectF(rect.left(), rect.center().y(), rect.width(), rect.height() / 2 - 4)
            painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.detail)
        else:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.title)

    def _paint_simple(self, painter: QPainter, rect: QRectF, lod: float) -> None:
        """Zoomed far out: the box and its name only, in a font that stays readable on
        screen (elided to the box, the full name in the tooltip)."""
        fill, border = NODE_COLOURS[self.state]
        painter.setPen(QPen(QColor(border), 2.6 / max(lod, 0.05) if self.active else 1.4))
        painter.setBrush(QColor(fill))
        painter.drawRect(rect)
        if lod < 0.08:
            return  # a speck on the minimap: colour is all that can be seen
        font = node_font(bold=True, size=min(30.0, 8.0 / lod))
        painter.setFont(font)
        painter.setPen(QColor("#111827"))
        text = QFontMetricsF(font).elidedText(
            self.title, Qt.TextElideMode.ElideRight, rect.width() - 4
        )
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class EdgeLabel(QGraphicsItem):
    """A small pill with text, drawn on an edge (its kind, or the last transition's reason)."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.text = ""
        self.colour = QColor("#475569")
        self.strong = False
        self._pill = QRectF(-7, -10, 14, 20)
        self.setZValue(3)

    def set_text(self, text: str, colour: str, *, strong: bool = False) -> None:
        """Show ``text`` in ``colour``; ``strong`` (a transition just taken) fills the pill."""
        if (text, strong) == (self.text, self.strong) and QColor(colour) == self.colour:
            return  # a fast loop marks the same edge again and again
        self.prepareGeometryChange()
        self.text, self.colour, self.strong = text, QColor(colour), strong
        metrics = QFontMetricsF(node_font(size=8.5, bold=strong))
        width = metrics.horizontalAdvance(text) + 14
        self._pill = QRectF(-width / 2, -10, width, 20)  # measured once per text
        self.setVisible(bool(text))
        self.update()

    def _rect(self) -> QRectF:
        return self._pill

    def boundingRect(self) -> QRectF:
        return self._rect().adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._rect()
        painter.setPen(QPen(self.colour, 1))
        painter.setBrush(self.colour if self.strong else QColor("white"))
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(QColor("white") if self.strong else self.colour)
        painter.setFont(node_font(size=8.5, bold=self.strong))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)


class EdgeItem(QGraphicsPathItem):
    """An arrow from one node box to another, styled by its kind.

    ``kind`` is a ``GraphEdge`` kind (edge, conditional, join, on_cancel, command), ``end``
    (the implicit edge of a node with no outgoing edge) or ``dynamic`` (a Command goto
    the static graph did not declare, added when the run took it).
    """

    def __init__(self, src: NodeItem, dst: NodeItem, kind: str, key: str | None = None) -> None:
        super().__init__()
        self.src, self.dst, self.kind = src, dst, kind
        self.key = key  # a conditional edge's path_map key(s), shown while idle
        self.taken = False  # a transition went along it in the current run
        self.label = EdgeLabel(self)
        self._arrow = QPolygonF()
        self.setZValue(1)
        self.reset_label()
        self.update_path()

    def reset_label(self) -> None:
        """Back to the kind's own label (command/on_cancel/dynamic edges, and conditional
        edges with a path_map key)."""
        self.taken = False
        text = self.key or {
            "on_cancel": "on_cancel",
            "command": "command",
            "dynamic": "command",
        }.get(self.kind, "")
        self.label.set_text(text, EDGE_COLOURS[self.kind])
        self._restyle()

    def mark_taken(self, reason: str, colour: str) -> None:
        """A transition went this way: highlight the edge and label it with the reason."""
        self.taken = True
        self.label.set_text(reason, colour, strong=reason != "edge")
        self._restyle(colour)

    def _restyle(self, colour: str | None = None) -> None:
        pen = QPen(QColor(colour or EDGE_COLOURS[self.kind]), 2.6 if self.taken else 1.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if not self.taken and self.kind in ("conditional", "on_cancel", "end"):
            pen.setStyle(Qt.PenStyle.DashLine)
        elif not self.taken and self.kind in ("command", "dynamic"):
            pen.setStyle(Qt.PenStyle.DotLine)
        self.setPen(pen)
        self.update()

    def update_path(self) -> None:
        """Route the edge between the boxes' current positions."""
        a, b = self.src.pos(), self.dst.pos()
        sh, dh = self.src.height / 2, self.dst.height / 2
        path = QPainterPath()
        if self.src is self.dst:  # a self-loop on the right side
            right = a.x() + self.src.width / 2
            start, end = QPointF(right, a.y() - 8), QPointF(right, a.y() + 8)
            path.moveTo(start)
            path.cubicTo(QPointF(right + 46, a.y() - 34), QPointF(right + 46, a.y() + 34), end)
        elif b.y() > a.y() + 1:  # downwards, as the layout ranks it
            start, end = QPointF(a.x(), a.y() + sh), QPointF(b.x(), b.y() - dh)
            bend = max(24.0, (end.y() - start.y()) * 0.45)
            path.moveTo(start)
            path.cubicTo(start + QPointF(0, bend), end - QPointF(0, bend), end)
        else:  # a back edge: loop around the right of both boxes
            start = QPointF(a.x() + self.src.width / 2, a.y())
            end = QPointF(b.x() + self.dst.width / 2, b.y())
            bulge = 60 + abs(a.y() - b.y()) * 0.15
            path.moveTo(start)
            path.cubicTo(start + QPointF(bulge, 0), end + QPointF(bulge, 0), end)
        self.setPath(path)
        self._arrow = _arrowhead(path)
        self.label.setPos(path.pointAtPercent(0.5))

    def boundingRect(self) -> QRectF:
        return super().boundingRect().united(self._arrow.boundingRect()).adjusted(-4, -4, 4, 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(self.pen().color()))
        painter.drawPolygon(self._arrow)


def _arrowhead(path: QPainterPath, size: float = 9.0) -> QPolygonF:
    tip = path.pointAtPercent(1.0)
    back = path.pointAtPercent(max(0.0, 1.0 - 8.0 / max(path.length(), 8.0)))
    angle = math.atan2(tip.y() - back.y(), tip.x() - back.x())
    left = tip - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size)
    right = tip - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)
    return QPolygonF([tip, left, right])
