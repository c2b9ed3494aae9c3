"""The items the graph view draws: node boxes and the frames of opened subgraphs (edges
and their labels are in ``graph_edges``).

All of them live in the GUI thread; the view changes them in its ``_on_<event>`` handlers.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from graphstage import END, START
from graphstage.app.theme import NODE_COLOURS, NodeState

NODE_MIN_WIDTH = 132.0
NODE_HEIGHT = 50.0
TERMINAL_SIZE = (84.0, 32.0)
RING = 6.0
"""Room around a box for the highlight ring and the active halo, in scene pixels."""
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


@functools.lru_cache(maxsize=1)
def char_widths() -> dict[str, float]:
    """The advance of each printable ASCII character in the node-title font. Made once,
    in the GUI thread (``GraphView`` asks first); read from any thread after."""
    metrics = _title_metrics()
    return {chr(c): metrics.horizontalAdvance(chr(c)) for c in range(32, 127)}


def box_size(title: str, terminal: bool = False) -> tuple[float, float]:
    """Width and height of the box of a node titled ``title``, in scene pixels. Any
    thread: the title's width is summed from ``char_widths`` (no kerning; a character
    outside ASCII counts as an "M"), so a layout thread can size a thousand boxes."""
    if terminal:
        return TERMINAL_SIZE
    widths = char_widths()
    wide = widths["M"]
    return max(NODE_MIN_WIDTH, sum(widths.get(c, wide) for c in title) + 36), NODE_HEIGHT


class NodeItem(QGraphicsRectItem):
    """A node box: its name, a status line, a fill and border by ``NodeState``.

    ``name`` is its key in the view (``"sub/inner"`` inside an opened subgraph); ``title``
    the text shown (the node's own name); ``subgraph`` marks a subgraph node shown closed.

    A ``QGraphicsRectItem`` whose rectangle (never drawn as such: ``paint`` draws the box)
    is the box with room for its ring and halo, so Qt knows its bounds without calling
    Python: the scene's index of a thousand boxes (built at the first paint) cost a
    Python ``boundingRect`` call each, a third of that paint.
    """

    def __init__(
        self,
        name: str,
        *,
        title: str | None = None,
        terminal: bool | None = None,
        subgraph: bool = False,
    ) -> None:
        super().__init__()
        self.name = name
        self.terminal = name in (START, END) if terminal is None else terminal
        self.title = title if title is not None else {START: "START", END: "END"}.get(name, name)
        self.subgraph = subgraph
        self.state: NodeState = "idle"
        self.detail = ""  # the status line under the name ("running · step 1")
        self.active = False
        self.highlighted = False  # picked in the timeline or found by search: a violet ring
        self.width, self.height = box_size(self.title, self.terminal)
        self.setRect(self.box().adjusted(-RING, -RING, RING, RING))
        self.setPen(QPen(Qt.PenStyle.NoPen))  # the rectangle is the bounds, nothing more
        self.setZValue(2)
        self.setToolTip(self._tip())

    def _tip(self) -> str:
        tip = self.title if self.name == self.title else f"{self.title} ({self.name})"
        if self.subgraph:
            tip += "\nsubgraph: double-click to open it here"
        return tip

    def size(self) -> tuple[float, float]:
        """Width and height of the box, in scene pixels."""
        return self.width, self.height

    def box(self) -> QRectF:
        """The box, in item coordinates (centred on the item's position)."""
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)

    def set_state(self, state: NodeState, detail: str = "", *, active: bool | None = None) -> None:
        """Show ``state`` (and an optional status line); ``active`` thickens the border."""
        self.state = state
        self.detail = detail
        if active is not None:
            self.active = active
        self.setToolTip(f"{self._tip()}\n{state}" + (f" ({detail})" if detail else ""))
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
        rect = self.box()
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
        if self.subgraph:  # a stack of boxes: a graph is inside (double-click opens it)
            painter.setPen(QPen(QColor(border), 1.2))
            painter.setBrush(QColor(fill).darker(106))
            painter.drawRoundedRect(rect.translated(4, 4), 8, 8)
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


class ClusterItem(QGraphicsItem):
    """The frame around an opened subgraph's boxes (and the frames of subgraphs opened
    inside it), titled with its node's name and coloured by that node's state
    (double-click it to close the subgraph again)."""

    TITLE = 22.0

    def __init__(
        self,
        key: str,
        members: list[NodeItem],
        inner: list[ClusterItem],
        rect: tuple[float, float, float, float] | None = None,
    ) -> None:
        super().__init__()
        self.key = key
        self.name = key
        self.title = key.rsplit("/", 1)[-1]
        self.state: NodeState = "idle"
        self.detail = ""
        self.active = False
        if rect is not None:  # the room the layout made for it (left, top, right, bottom)
            left, top, right, bottom = rect
            self._rect = QRectF(left, top, right - left, bottom - top)
        else:  # around its boxes
            area = QRectF()
            for item in members:
                area = area.united(item.sceneBoundingRect())
            for frame in inner:  # the frames of the subgraphs opened inside this one
                area = area.united(frame.rect())
            self._rect = area.adjusted(-14, -14 - self.TITLE, 14, 10)
        self.setZValue(0)
        self.setToolTip(f"subgraph {key}: double-click its frame to close it")

    def set_state(self, state: NodeState, detail: str = "", *, active: bool | None = None) -> None:
        """The subgraph node's own state (from the parent run's events)."""
        self.state, self.detail = state, detail
        if active is not None:
            self.active = active
        self.setToolTip(
            f"subgraph {self.key}: {state}"
            + (f" ({detail})" if detail else "")
            + "\ndouble-click its frame to close it"
        )
        self.update()

    def set_highlighted(self, on: bool) -> None:
        """Nothing to ring: the boxes inside are."""

    def rect(self) -> QRectF:
        return self._rect

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill, border = NODE_COLOURS[self.state]
        background = QColor(fill)
        background.setAlpha(90)
        pen = QPen(QColor(border), 2.2 if self.active else 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(background)
        painter.drawRoundedRect(self._rect, 12, 12)
        painter.setPen(QColor(border).darker(140))
        painter.setFont(node_font(bold=True, size=9))
        title = QRectF(self._rect.left() + 12, self._rect.top() + 4, self._rect.width() - 24, 18)
        text = f"▾ {self.title}" + (f" · {self.detail}" if self.detail else "")
        text = QFontMetricsF(node_font(bold=True, size=9)).elidedText(
            text, Qt.TextElideMode.ElideRight, title.width()
        )
        painter.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
