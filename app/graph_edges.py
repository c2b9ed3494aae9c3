"""The graph view's edges: arrows between node boxes, styled by kind, with a label pill
(the kind, or the reason of the transition that took it). GUI thread only."""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from graphstage.app.graph_items import NodeItem, node_font
from graphstage.app.theme import EDGE_COLOURS


@functools.lru_cache(maxsize=256)
def _label_width(text: str, strong: bool) -> float:
    """The width of a label's text (a run takes a thousand edges with the same few labels)."""
    return QFontMetricsF(node_font(size=8.5, bold=strong)).horizontalAdvance(text)


class EdgeLabel(QGraphicsRectItem):
    """A small pill with text, drawn on an edge (its kind, or the last transition's reason).

    Its rectangle (the pill's, never drawn as such) gives Qt its bounds without a Python
    call (see ``NodeItem``)."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.text = ""
        self.colour = QColor("#475569")
        self.strong = False
        self._pill = QRectF(-7, -10, 14, 20)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setRect(self._pill.adjusted(-1, -1, 1, 1))
        self.setZValue(3)

    def set_text(self, text: str, colour: str, *, strong: bool = False) -> None:
        """Show ``text`` in ``colour``; ``strong`` (a transition just taken) fills the pill."""
        if (text, strong) == (self.text, self.strong) and QColor(colour) == self.colour:
            return  # a fast loop marks the same edge again and again
        self.text, self.colour, self.strong = text, QColor(colour), strong
        width = _label_width(text, strong) + 14
        self._pill = QRectF(-width / 2, -10, width, 20)  # measured once per text
        self.setRect(self._pill.adjusted(-1, -1, 1, 1))
        self.setVisible(bool(text))
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._pill
        painter.setPen(QPen(self.colour, 1))
        painter.setBrush(self.colour if self.strong else QColor("white"))
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(QColor("white") if self.strong else self.colour)
        painter.setFont(node_font(size=8.5, bold=self.strong))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)


BOUNDS_PEN = 12.0
"""Width of an edge item's undrawn pen: its bounds reach 6 px beyond the path, past the
arrowhead (9 px long, about 4 px wide) and a taken edge's 2.6 px stroke."""


class EdgeItem(QGraphicsPathItem):
    """An arrow from one node box to another, styled by its kind.

    ``kind`` is a ``GraphEdge`` kind (edge, conditional, join, on_cancel, command), ``end``
    (the implicit edge of a node with no outgoing edge) or ``dynamic`` (a Command goto
    the static graph did not declare, added when the run took it). An edge into a later
    band of a wrapped layout runs along free lanes (``lane``: the x of the lane right of
    its source's band; ``entry``: the lane left of its destination's band, when that band
    is not the next one, reached along the ``ceiling`` above every box) and carries its
    label halfway up its source's lane, where no other edge runs.
    """

    def __init__(
        self,
        src: NodeItem,
        dst: NodeItem,
        kind: str,
        key: str | None = None,
        *,
        lane: float | None = None,
        entry: float | None = None,
        ceiling: float = 0.0,
        label_at: float = 0.5,
    ) -> None:
        super().__init__()
        self.src, self.dst, self.kind = src, dst, kind
        self.lane = lane
        self.entry = entry  # None: the destination's band is the next one (same lane)
        self.ceiling = ceiling  # the y of the run above every box, for ``entry``'s route
        self.label_at = label_at  # where along the edge its label sits (0: at src)
        self.key = key  # a conditional edge's path_map key(s), shown while idle
        self.taken = False  # a transition went along it in the current run
        self.label = EdgeLabel(self)
        self._arrow = QPolygonF()
        self.stroke = QPen()  # how the edge is drawn (its kind, taken or not)
        # the item's own pen is never drawn: its width makes Qt's bounds of the path hold
        # the arrowhead too, so Qt asks no Python boundingRect of a thousand edges
        self.setPen(QPen(QColor(0, 0, 0, 0), BOUNDS_PEN))
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
        self.stroke = pen
        self.update()

    def update_path(self) -> None:
        """Route the edge between the boxes' current positions."""
        a, b = self.src.pos(), self.dst.pos()
        sh, dh = self.src.height / 2, self.dst.height / 2
        path = QPainterPath()
        self._lane_span: tuple[float, float] | None = None  # where the source's lane is
        if self.src is self.dst:  # a self-loop on the right side
            right = a.x() + self.src.width / 2
            start, end = QPointF(right, a.y() - 8), QPointF(right, a.y() + 8)
            path.moveTo(start)
            path.cubicTo(QPointF(right + 46, a.y() - 34), QPointF(right + 46, a.y() + 34), end)
        elif self.lane is not None:  # into a later band: down, along the lane(s), over, in
            below, above = a.y() + sh + 22, b.y() - dh - 22
            route = [(a.x(), below), (self.lane, below)]
            if self.entry is None:  # the next band: up (or down) its lane to the row
                route += [(self.lane, above)]
            else:  # over the top of the bands between, down the lane left of its band
                route += [(self.lane, self.ceiling), (self.entry, self.ceiling)]
                route += [(self.entry, above)]
            route += [(b.x(), above), (b.x(), b.y() - dh)]
            path.moveTo(a.x(), a.y() + sh)
            for x, y in route:
                path.lineTo(x, y)
            # the label on the source's lane (halfway up, unless placed apart): at 0.5 of
            # the whole path it sat on a run along the top, or on another band's boxes
            length = max(path.length(), 1e-9)
            start = 22 + abs(self.lane - a.x())
            self._lane_span = (start / length, (start + abs(route[2][1] - below)) / length)
            self.label_at = self.label_spots()[0]
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
        self.label.setPos(path.pointAtPercent(self.label_at))

    def label_spots(self) -> list[float]:
        """Where along the path (0: at the source) the label may sit, best first: its
        middle and around it, or for an edge into a later band its source's lane only."""
        spots = [0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85]
        if self._lane_span is None:
            return spots
        low, high = self._lane_span
        return [low + (high - low) * f for f in spots]

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.stroke)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(self.stroke.color()))
        painter.drawPolygon(self._arrow)


def _arrowhead(path: QPainterPath, size: float = 9.0) -> QPolygonF:
    tip = path.pointAtPercent(1.0)
    back = path.pointAtPercent(max(0.0, 1.0 - 8.0 / max(path.length(), 8.0)))
    angle = math.atan2(tip.y() - back.y(), tip.x() - back.x())
    left = tip - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size)
    right = tip - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)
    return QPolygonF([tip, left, right])
