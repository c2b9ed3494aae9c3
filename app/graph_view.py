"""The graph panel: nodes laid out in layers, coloured by state, transitions animated.

Everything here runs in the GUI thread. ``apply(events)`` is called by the main window with
each batch from the bridge and dispatches to ``_on_<event kind>`` handlers.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QObject,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

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
from graphstage.app.graph_layout import Layout, layout_graph
from graphstage.app.graph_tokens import Tokens
from graphstage.app.outcomes import Durations, node_outcome
from graphstage.app.theme import REASON_COLOURS, format_seconds, reason_label

# Which kind wins when several edges join the same two nodes (the first drawn).
_KIND_PRIORITY = ("edge", "join", "conditional", "command", "on_cancel", "end", "dynamic")
SYNC_LAYOUT_MAX = 60
"""Graphs with up to this many nodes are laid out at once (a few ms); bigger ones in a
worker thread, so the GUI thread never waits on the layout."""
EDGES_PER_TURN = 150
"""Edges drawn per event-loop turn after a layout."""
MIN_FIT_SCALE = 0.7
"""``fit()`` never zooms out further than this: labels stay readable; the minimap shows
the whole graph and the view centres on where the run is instead."""


class _LayoutRelay(QObject):
    """Carries a finished layout from the worker thread into the GUI thread (queued)."""

    done = Signal(int, object)


class GraphView(QGraphicsView):
    """Shows one compiled graph and what its current run is doing.

    Zoom with the wheel, pan by dragging, double-click (or ``fit()``) to fit the window.
    """

    activeNodesChanged = Signal(tuple)
    """The names of the nodes now running or stopping (emitted on every change)."""
    layoutReady = Signal(str)
    """The nodes have their places; the text says how (engine, and a fallback's reason)."""
    viewChanged = Signal()
    """The visible part of the scene moved or was zoomed (the minimap follows)."""

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
        # node -> its executions still running (a Send runs one node several times a step)
        self._running: dict[str, int] = {}
        # running token animations, each with its token (removed when it stops early)
        self._tokens = Tokens(self)
        self._auto_fit = True  # fit on resize until the user zooms
        self._durations = Durations()  # start times, for nodes ended with no duration
        self._last_started: str | None = None  # the newest node started in this batch
        self.follow = True  # keep the active node in sight while a run goes on
        self.layout_info = ""  # how the current graph was laid out (for the status bar)
        self._generation = 0  # bumped per set_graph; a late layout of an older graph is dropped
        self._drawn: list[tuple[str, str, str]] = []  # edges to draw once laid out
        self._keys: dict[tuple[str, str], str | None] = {}  # conditional edges' branch keys
        self._flashed: str | None = None  # the search hit ringed for a moment
        self.graph_rect = QRectF()  # the laid-out graph's extent, in scene coordinates
        self.laid_out = False  # every node placed and every edge drawn (then layoutReady)
        self._edge_queue: list[tuple[str, str, str]] = []  # edges still to draw
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(1500)
        self._flash_timer.timeout.connect(self._unflash)
        self._edge_timer = QTimer(self)  # draws the queued edges, a batch per turn
        self._edge_timer.setSingleShot(True)
        self._edge_timer.setInterval(0)
        self._edge_timer.timeout.connect(lambda: self._add_queued_edges(self._generation))
        self._relay = _LayoutRelay(self)
        self._relay.done.connect(self._on_layout_done)
        self.horizontalScrollBar().valueChanged.connect(lambda _: self.viewChanged.emit())
        self.verticalScrollBar().valueChanged.connect(lambda _: self.viewChanged.emit())
        self.set_graph(graph)

    # -- building -------------------------------------------------------------------

    def set_graph(self, graph: CompiledGraph) -> None:
        """Replace what is drawn with ``graph``, laid out afresh (big graphs in a worker
        thread: ``layoutReady`` says when the boxes have their places)."""
        self.graph = graph
        self._flashed = None
        self._tokens.stop_all()
        scene = self.scene()
        scene.clear()
        self.nodes.clear()
        self.edges.clear()
        self._generation += 1
        self.laid_out = False
        self._edge_queue = []
        for name in (START, *graph.nodes, END):
            self.nodes[name] = NodeItem(name)  # added to the scene once it has its place
        drawable = graph.edges_for_drawing()
        drawn = [(e.src, e.dst, e.kind) for e in drawable]
        self._keys = {(e.src, e.dst): e.label for e in drawable if e.kind == "conditional"}
        leading = {s for s, _, k in drawn if k in ("edge", "conditional", "join")}
        leaves = {n for n in graph.nodes if n not in leading}
        drawn += [(n, END, "end") for n in sorted(leaves)]
        drawn.sort(key=lambda e: _KIND_PRIORITY.index(e[2]))
        self._drawn = drawn
        sizes = {name: item.size() for name, item in self.nodes.items()}
        layout_edges = [(s, d) for s, d, _ in drawn]
        self._set_active(())
        if len(sizes) <= SYNC_LAYOUT_MAX:
            self._on_layout_done(self._generation, layout_graph(sizes, layout_edges, [START]))
            return
        self.layout_info = f"laying out {len(sizes)} nodes…"
        generation, relay = self._generation, self._relay

        def work() -> None:  # a worker thread: pure Python, no Qt object but the relay
            try:
                result: Any = layout_graph(sizes, layout_edges, [START])
            except BaseException as exc:  # never lost: reported in the status bar
                result = exc
            relay.done.emit(generation, result)

        threading.Thread(target=work, name="graphstage layout", daemon=True).start()

    def _on_layout_done(self, generation: int, result: Layout | BaseException) -> None:
        """GUI thread: place the boxes and draw the edges (a stale layout is dropped)."""
        if generation != self._generation:
            return
        if isinstance(result, BaseException):  # even the fast layout failed: a plain column
            positions = {name: (0.0, i * 114.0) for i, name in enumerate(self.nodes)}
            result = Layout(positions, "column", f"layout failed ({type(result).__name__})")
        scene = self.scene()
        for name, item in self.nodes.items():
            x, y = result.positions.get(name, (0.0, 0.0))
            item.setPos(x, y)
            if item.scene() is None:
                scene.addItem(item)
        xs = [x for x, _ in result.positions.values()] or [0.0]
        ys = [y for _, y in result.positions.values()] or [0.0]
        widest = max((item.width for item in self.nodes.values()), default=0.0)
        self.graph_rect = QRectF(
            min(xs) - widest / 2, min(ys) - 40, max(xs) - min(xs) + widest, max(ys) - min(ys) + 80
        )  # measured once: itemsBoundingRect walks every item (34 ms at 1,000 nodes)
        engine = {"grandalf": "layered (grandalf)", "layered": "fast layered"}.get(
            result.engine, result.engine
        )
        self.layout_info = f"{len(self.nodes)} nodes, {engine} layout" + (
            f"; {result.note}, so the fast layered layout stands in" if result.note else ""
        )
        self.fit()
        self._edge_queue = [e for e in self._drawn if e[0] in self.nodes and e[1] in self.nodes]
        self._add_queued_edges()

    def _add_queued_edges(self) -> None:
        """Draw the next ``EDGES_PER_TURN`` edges; the rest on the next event-loop turn
        (a thousand edges at once held the GUI thread for a quarter of a second)."""
        batch, self._edge_queue = (
            self._edge_queue[:EDGES_PER_TURN],
            self._edge_queue[EDGES_PER_TURN:],
        )
        for src, dst, kind in batch:
            if (src, dst) not in self.edges:
                self._add_edge(src, dst, kind, self._keys.get((src, dst)))
        if self._edge_queue:
            QTimer.singleShot(0, self._add_queued_edges)
            return
        self.laid_out = True
        self.layoutReady.emit(self.layout_info)

    def _add_edge(self, src: str, dst: str, kind: str, key: str | None = None) -> EdgeItem:
        edge = EdgeItem(self.nodes[src], self.nodes[dst], kind, key)
        self.scene().addItem(edge)
        self.edges[(src, dst)] = edge
        return edge

    # -- view -----------------------------------------------------------------------

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
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()
        self.viewChanged.emit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor("#fbfbfd"))

    # -- run state ------------------------------------------------------------------

    @property
    def active_nodes(self) -> tuple[str, ...]:
        """The nodes running or stopping now, in the order they started."""
        return self._active

    def reset_run(self) -> None:
        """Back to idle for a new run: colours, labels, and no on-the-fly edges."""
        self._tokens.stop_all()
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
        self._follow_active()  # once per batch: a fast run must not re-centre per event

    def _set_active(self, active: tuple[str, ...]) -> None:
        if active != self._active:
            self._active = active
            self.activeNodesChanged.emit(active)

    def _on_run_started(self, event: RunStarted) -> None:
        self.reset_run()
        self._running.clear()
        self._durations.clear()
        self.nodes[START].set_state("done")

    def _on_node_started(self, event: NodeStarted) -> None:
        self._durations.started(event)
        self._last_started = event.node
        detail = f"step {event.step}" + (" · shielded" if event.shielded else "")
        if event.where:  # e.g. "ray host 1 (node 3f2a9c01, pid 4242)": the host is enough
            detail += f" · {event.where.split(' (')[0]}"
        item = self.nodes.get(event.node)
        if item is None:  # not a node of the graph shown (an old journal): nothing to draw
            return
        running = self._running[event.node] = self._running.get(event.node, 0) + 1
        if running > 1:
            detail += f" · {running} running"
        item.set_state("running", detail, active=True)
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

    def _ended(self, event: NodeFinished | NodeCancelled | NodeFailed) -> None:
        running = self._running.pop(event.node, 1) - 1
        if running > 0:  # other executions of this node (Sends) are still running
            self._running[event.node] = running
            return
        outcome, _how = node_outcome(event)
        state = {"done": "done", "failed": "failed"}.get(outcome, "cancelled")
        detail = f"{outcome} · {format_seconds(self._durations.of(event))}"
        self._end_node(event.node, state, detail)

    _on_node_finished = _on_node_cancelled = _on_node_failed = _ended

    def show_grace(self, nodes: Sequence[str], left: float | None) -> None:
        """The grace countdown on the nodes told to stop (None: they answered)."""
        for name in nodes:
            item = self.nodes.get(name)
            if item is not None and item.state == "stopping":
                item.set_state("stopping", "stopping…" if left is None else f"stop · {left:.1f} s")

    def _on_transition(self, event: Transition) -> None:
        if event.src not in self.nodes or event.dst not in self.nodes:
            return
        edge = self.edges.get((event.src, event.dst))
        if edge is None:  # a Command goto the static graph did not declare
            edge = self._add_edge(event.src, event.dst, "dynamic")
        label = reason_label(event.reason, event.after_stop, event.branch)
        colour = REASON_COLOURS.get(label, "#475569")
        edge.mark_taken(label, colour)
        self._tokens.send(edge, colour)

    def _on_run_finished(self, event: RunFinished) -> None:
        for name in self._active:
            if name in self.nodes:
                self.nodes[name].set_state("cancelled", event.status, active=False)
        self._set_active(())
        if event.status == "completed" or self.edges_taken_to(END):
            self.nodes[END].set_state("done")

    def edges_taken_to(self, dst: str) -> bool:
        """True if the current run has taken an edge into ``dst``."""
        return any(e.taken for (_, d), e in self.edges.items() if d == dst)
