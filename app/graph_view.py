"""The graph panel: nodes laid out in layers, coloured by state, transitions animated.

Everything here runs in the GUI thread. ``apply(events)`` is called by the main window with
each batch from the bridge and dispatches to ``_on_<event kind>`` handlers.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEasingCurve, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsScene, QGraphicsView, QWidget

from graphstage import (
    END,
    START,
    CompiledGraph,
    Event,
    NodeCancelled,
    NodeFailed,
    NodeFinished,
    NodeStarted,
    RunFinished,
    RunStarted,
    StopRequested,
    Transition,
)
from graphstage.app.graph_items import EdgeItem, NodeItem
from graphstage.app.graph_layout import layered_layout
from graphstage.app.theme import REASON_COLOURS, format_seconds, reason_label

ANIMATION_MS = 550
"""How long a token takes to travel along an edge, in milliseconds."""
# Which kind wins when several edges join the same two nodes (the first drawn).
_KIND_PRIORITY = ("edge", "join", "conditional", "command", "on_cancel", "end", "dynamic")


class GraphView(QGraphicsView):
    """Shows one compiled graph and what its current run is doing.

    Zoom with the wheel, pan by dragging, double-click (or ``fit()``) to fit the window.
    """

    activeNodesChanged = Signal(tuple)
    """The names of the nodes now running or stopping (emitted on every change)."""

    def __init__(self, graph: CompiledGraph, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self._active: tuple[str, ...] = ()
        self._animations: set[QVariantAnimation] = set()
        self._auto_fit = True  # fit on resize until the user zooms
        self.set_graph(graph)

    # -- building -------------------------------------------------------------------

    def set_graph(self, graph: CompiledGraph) -> None:
        """Replace what is drawn with ``graph``, laid out afresh."""
        scene = self.scene()
        scene.clear()
        self.nodes.clear()
        self.edges.clear()
        for name in (START, *graph.nodes, END):
            item = NodeItem(name)
            scene.addItem(item)
            self.nodes[name] = item
        drawable = graph.edges_for_drawing()
        drawn = [(e.src, e.dst, e.kind) for e in drawable]
        keys = {(e.src, e.dst): e.label for e in drawable if e.kind == "conditional"}
        leaves = {
            n
            for n in graph.nodes
            if not any(s == n and k in ("edge", "conditional", "join") for s, _, k in drawn)
        }
        drawn += [(n, END, "end") for n in sorted(leaves)]
        drawn.sort(key=lambda e: _KIND_PRIORITY.index(e[2]))
        sizes = {name: item.size() for name, item in self.nodes.items()}
        layout_edges = [(s, d) for s, d, _ in drawn]
        for name, (x, y) in layered_layout(sizes, layout_edges, roots=[START]).items():
            self.nodes[name].setPos(x, y)
        for src, dst, kind in drawn:
            if (src, dst) not in self.edges and src in self.nodes and dst in self.nodes:
                self._add_edge(src, dst, kind, keys.get((src, dst)))
        self._set_active(())
        self.fit()

    def _add_edge(self, src: str, dst: str, kind: str, key: str | None = None) -> EdgeItem:
        edge = EdgeItem(self.nodes[src], self.nodes[dst], kind, key)
        self.scene().addItem(edge)
        self.edges[(src, dst)] = edge
        return edge

    # -- view -----------------------------------------------------------------------

    def fit(self) -> None:
        """Fit the whole graph in the window (never magnified beyond 1.6x)."""
        rect = self.scene().itemsBoundingRect().adjusted(-24, -24, 24, 24)
        self.scene().setSceneRect(rect.adjusted(-400, -400, 400, 400))
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.6:
            self.resetTransform()
            self.scale(1.6, 1.6)
        self.centerOn(rect.center())
        self._auto_fit = True

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor`` around the mouse, within 0.2x to 4x."""
        current = self.transform().m11()
        factor = max(0.2 / current, min(4.0 / current, factor))
        self.scale(factor, factor)
        self._auto_fit = False

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.15 ** (event.angleDelta().y() / 120))
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor("#fbfbfd"))

    # -- run state ------------------------------------------------------------------

    @property
    def active_nodes(self) -> tuple[str, ...]:
        """The nodes running or stopping now, in the order they started."""
        return self._active

    def reset(self) -> None:
        """Back to idle for a new run: colours, labels, and no on-the-fly edges."""
        for key, edge in list(self.edges.items()):
            if edge.kind == "dynamic":
                self.scene().removeItem(edge)
                del self.edges[key]
            else:
                edge.reset_label()
        for node in self.nodes.values():
            node.set_state("idle", active=False)
        self._set_active(())

    def apply(self, events: Sequence[Event]) -> None:
        """Show a batch of the run's events, in order (GUI thread)."""
        for event in events:
            handler = getattr(self, f"_on_{getattr(event, 'kind', '')}", None)
            if handler is not None:
                handler(event)

    def _set_active(self, active: tuple[str, ...]) -> None:
        if active != self._active:
            self._active = active
            self.activeNodesChanged.emit(active)

    def _on_run_started(self, event: RunStarted) -> None:
        self.reset()
        self.nodes[START].set_state("done")

    def _on_node_started(self, event: NodeStarted) -> None:
        detail = f"step {event.step}" + (" · shielded" if event.shielded else "")
        self.nodes[event.node].set_state("running", detail, active=True)
        if event.node not in self._active:
            self._set_active((*self._active, event.node))

    def _on_stop_requested(self, event: StopRequested) -> None:
        for name in event.nodes:
            if name in self.nodes and name in self._active:
                self.nodes[name].set_state("stopping", "stopping…")

    def _end_node(self, name: str, state: str, detail: str) -> None:
        if name in self.nodes:
            self.nodes[name].set_state(state, detail, active=False)  # type: ignore[arg-type]
        self._set_active(tuple(n for n in self._active if n != name))

    def _on_node_finished(self, event: NodeFinished) -> None:
        if event.answered_cancel:
            self._end_node(event.node, "cancelled", f"stopped · {format_seconds(event.duration)}")
        else:
            self._end_node(event.node, "done", f"done · {format_seconds(event.duration)}")

    def _on_node_cancelled(self, event: NodeCancelled) -> None:
        self._end_node(event.node, "cancelled", f"cancelled · {event.how}")

    def _on_node_failed(self, event: NodeFailed) -> None:
        self._end_node(event.node, "failed", f"failed: {event.error_type}")

    def _on_transition(self, event: Transition) -> None:
        if event.src not in self.nodes or event.dst not in self.nodes:
            return
        edge = self.edges.get((event.src, event.dst))
        if edge is None:  # a Command goto the static graph did not declare
            edge = self._add_edge(event.src, event.dst, "dynamic")
        label = reason_label(event.reason, event.after_stop, event.branch)
        colour = REASON_COLOURS.get(label, "#475569")
        edge.mark_taken(label, colour)
        self._animate_token(edge, colour)

    def _on_run_finished(self, event: RunFinished) -> None:
        for name in self._active:
            self.nodes[name].set_state("cancelled", event.status, active=False)
        self._set_active(())
        if event.status == "completed" or self.edges_taken_to(END):
            self.nodes[END].set_state("done")

    def edges_taken_to(self, dst: str) -> bool:
        """True if the current run has taken an edge into ``dst``."""
        return any(e.taken for (_, d), e in self.edges.items() if d == dst)

    def _animate_token(self, edge: EdgeItem, colour: str) -> None:
        token = QGraphicsEllipseItem(-6, -6, 12, 12)
        token.setBrush(QColor(colour))
        token.setPen(QPen(QColor("white"), 2))
        token.setZValue(4)
        self.scene().addItem(token)
        path = edge.path()
        token.setPos(path.pointAtPercent(0))
        animation = QVariantAnimation(self)
        animation.setDuration(ANIMATION_MS)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        animation.valueChanged.connect(lambda t: token.setPos(path.pointAtPercent(float(t))))

        def finished() -> None:
            self._animations.discard(animation)
            if token.scene() is not None:
                token.scene().removeItem(token)

        animation.finished.connect(finished)
        self._animations.add(animation)
        animation.start()
