"""The graph view: nodes laid out in layers, coloured by state, transitions animated;
subgraphs open in place.

Everything here runs in the GUI thread. ``apply(events)`` is called with each batch from
the bridge and dispatches to ``GraphStatus``'s ``_on_<event kind>`` handlers. A big graph
is laid out in a worker thread and drawn a slice per event-loop turn.
"""

from __future__ import annotations

import _thread
import contextlib
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import (
    QObject,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from graphstage import START, CompiledGraph, Event
from graphstage.app.first_paint import FirstPaint
from graphstage.app.graph_edges import EdgeItem
from graphstage.app.graph_frames import frame_layout
from graphstage.app.graph_items import ClusterItem, NodeItem, box_size, char_widths
from graphstage.app.graph_layout import Layout
from graphstage.app.graph_model import SEP, DisplayGraph, display_graph
from graphstage.app.graph_navigation import GraphNavigation
from graphstage.app.graph_status import GraphStatus
from graphstage.app.graph_tokens import Tokens
from graphstage.app.outcomes import Durations

SYNC_LAYOUT_MAX = 60
"""Graphs with up to this many nodes are laid out at once (a few ms); bigger ones in a
worker thread, so the GUI thread never waits on the layout."""
BUILD_SLICE_S = 0.004
"""Seconds of the GUI thread spent adding boxes and edges per event-loop turn."""


def _flat_layout(graph: CompiledGraph, expanded: frozenset[str]) -> tuple[DisplayGraph, Layout]:
    """The boxes and edges of ``graph`` with ``expanded`` opened, and their layout, each
    opened subgraph's frame with room of its own (any thread: sizes come from
    ``box_size``'s table of character widths)."""
    display = display_graph(graph, expanded)
    sizes = {box.key: box_size(box.title, box.terminal) for box in display.boxes}
    edges = [(s, d) for s, d, _ in display.edges]
    layout, frames = frame_layout(sizes, edges, display.clusters, [START])
    layout.frames = frames
    return display, layout


class _LayoutRelay(QObject):
    """Carries a finished layout from the worker thread into the GUI thread (queued)."""

    done = Signal(int, object)


class GraphView(GraphStatus, GraphNavigation, QGraphicsView):
    """Shows one compiled graph and what its current run is doing.

    Zoom with the wheel, pan by dragging, double-click (or ``fit()``) to fit the window;
    double-click a subgraph's box to open it in place, its frame to close it again. What
    the run does is drawn by ``GraphStatus``.
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
        self._animate = True  # tokens for this batch's transitions (not for a fast run's)
        self._batch_end = 0.0  # the time of the batch's newest event (s, the run's clock)
        # each subgraph run's latest events, by its key prefix ("research/")
        self._subgraph_events: dict[str, deque[Event]] = {}
        self.follow = True  # keep the active node in sight while a run goes on
        self.layout_info = ""  # how the current graph was laid out (for the status bar)
        self._generation = 0  # bumped per set_graph; a late layout of an older graph is dropped
        # the edges into each box, for placing labels apart (None: to be made again)
        self._into_cache: tuple[object, dict[str, list[EdgeItem]]] | None = None
        self.expanded: set[str] = set()  # the subgraph nodes opened in place (their keys)
        self.display = DisplayGraph()  # the boxes and edges drawn, subgraphs opened
        self.clusters: dict[str, ClusterItem] = {}  # the frame around each opened subgraph
        self._kept: dict[str, tuple[str, str, bool]] = {}  # box states kept over a rebuild
        self._kept_edges: dict[tuple[str, str], tuple[str, str]] = {}  # taken: label, colour
        self._layout: Layout | None = None  # the current build's layout, once it is there
        self._job: Iterator[None] = iter(())  # the current build's remaining steps
        self._flashed: str | None = None  # the search hit ringed for a moment
        self.graph_rect = QRectF()  # the laid-out graph's extent, in scene coordinates
        self.laid_out = False  # every node placed and every edge drawn (then layoutReady)
        self._bands: dict[str, int] = {}  # a wrapped layout's band of each node
        self._gutters: list[float] = []  # the lane right of each band
        self._ceiling = 0.0  # the y above every box, where edges run over bands
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(1500)
        self._flash_timer.timeout.connect(self._unflash)
        self._build_timer = QTimer(self)  # adds the queued boxes and edges, a slice per turn
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(
            lambda: self._run_job(self._generation, time.perf_counter() + BUILD_SLICE_S)
        )
        self._paused: FirstPaint | None = None  # the build waits for the window's paint
        char_widths()  # made here, in the GUI thread; layout threads read it
        self._relay = _LayoutRelay(self)
        self._relay.done.connect(self._on_layout_done)
        self.horizontalScrollBar().valueChanged.connect(lambda _: self.viewChanged.emit())
        self.verticalScrollBar().valueChanged.connect(lambda _: self.viewChanged.emit())
        self.set_graph(graph)

    # -- building -------------------------------------------------------------------

    def set_graph(self, graph: CompiledGraph) -> None:
        """Replace what is drawn with ``graph`` (its subgraphs collapsed), laid out afresh
        (big graphs in a worker thread: ``layoutReady`` says when every box and edge is
        drawn)."""
        self.graph = graph
        self.expanded = set()
        self._rebuild(keep_state=False)

    def set_expanded(self, key: str, expanded: bool) -> bool:
        """Open the subgraph node ``key`` in place (its own nodes, live) or close it back
        into one box; the boxes keep their colours. False if ``key`` is no subgraph node."""
        if key not in self.display.subgraphs or (key in self.expanded) == expanded:
            return False
        if expanded:
            self.expanded.add(key)
        else:  # closing a subgraph closes the subgraphs inside it too
            self.expanded = {k for k in self.expanded if k != key and not k.startswith(key + SEP)}
        self._rebuild(keep_state=True)
        return True

    def _rebuild(self, *, keep_state: bool) -> None:
        kept = {
            k: (i.state, i.detail, i.active)
            for k, i in (*self.nodes.items(), *self.clusters.items())
        }
        taken = {k: (e.label.text, e.stroke.color().name()) for k, e in self.edges.items()}
        taken = {k: v for k, v in taken.items() if self.edges[k].taken}
        if not keep_state:
            kept, taken = {}, {}
            self._set_active(())
        self._flashed = None
        self._tokens.stop_all()
        self._build_timer.stop()
        self.scene().clear()
        # not painted box by box while the slices add them: one paint once all are there
        # (a repaint per event-loop turn doubled each turn's time on a big graph)
        self.viewport().setUpdatesEnabled(False)
        self.nodes.clear()
        self.edges.clear()
        self.clusters.clear()
        self._generation += 1
        self.laid_out = False
        self._layout = None
        self._bands, self._gutters = {}, []
        self._kept, self._kept_edges = kept, taken
        graph, expanded = self.graph, frozenset(self.expanded)
        if self._box_count() <= SYNC_LAYOUT_MAX:  # a few ms: at once
            self._on_layout_done(self._generation, _flat_layout(graph, expanded))
            return
        # a big graph is flattened, measured and laid out in a worker thread (pure Python
        # over the compiled graph, which nobody changes): 40 to 150 ms of the GUI thread
        self.layout_info = f"laying out {self._box_count()} nodes…"
        generation, relay = self._generation, self._relay

        def work() -> None:  # a worker thread: no Qt object but the relay
            try:
                result: Any = _flat_layout(graph, expanded)
            except BaseException as exc:  # never lost: reported in the status bar
                result = exc
            with contextlib.suppress(RuntimeError):  # the view was closed meanwhile
                relay.done.emit(generation, result)

        # not threading.Thread: its start() waits until the new thread runs, which took
        # 13 ms of the GUI thread (the worker grabs the GIL for its first slice)
        _thread.start_new_thread(work, ())

    def showEvent(self, event: QShowEvent) -> None:
        """The window is being shown: a big graph's build waits for its first paint, so
        that paint is not in the same event-loop turn as a slice of the build."""
        super().showEvent(event)
        if not self.laid_out and self._paused is None:
            self._build_timer.stop()
            self._paused = FirstPaint(self.window(), self._go_on)

    def _go_on(self) -> None:
        self._paused = None
        if not self.laid_out:
            self._build_timer.start()

    def _box_count(self) -> int:
        """About how many boxes the graph has with its opened subgraphs' (no flattening:
        that is the layout thread's work)."""
        subs = self.display.subgraphs
        return (
            len(self.graph.nodes)
            + 2
            + sum(len(subs[k].nodes) + 1 for k in self.expanded if k in subs)
        )

    def _on_layout_done(
        self, generation: int, result: tuple[DisplayGraph, Layout] | BaseException
    ) -> None:
        """GUI thread: the flattened graph and its layout arrived (a stale one is
        dropped); its boxes and edges are then added a slice per event-loop turn."""
        if generation != self._generation:
            return
        if isinstance(result, BaseException):  # even the fast layout failed: a plain column
            display = display_graph(self.graph, self.expanded)
            keys = [box.key for box in display.boxes]
            positions = {key: (0.0, i * 114.0) for i, key in enumerate(keys)}
            result = (
                display,
                Layout(positions, "column", f"layout failed ({type(result).__name__})"),
            )
        self.display, self._layout = result
        shown = {b.key for b in self.display.boxes} | self.display.clusters.keys()
        self._set_active(tuple(k for k in self._active if k in shown))
        self._job = self._build(generation)
        small = len(self.display.boxes) <= SYNC_LAYOUT_MAX
        self._run_job(generation, None if small else time.perf_counter() + BUILD_SLICE_S)

    def _run_job(self, generation: int, deadline: float | None) -> None:
        """Go on building until ``deadline`` (None: to the end); the rest on the next
        event-loop turn (a thousand boxes and edges at once held the GUI thread for 60 to
        150 ms under load)."""
        if generation != self._generation:
            return  # another graph was set meanwhile
        if self._paused is not None and deadline is not None:
            return  # goes on after the window's first paint
        for _ in self._job:
            if deadline is not None and time.perf_counter() > deadline:
                self._build_timer.start()
                return

    def _build(self, generation: int) -> Iterator[None]:
        """The steps of drawing the laid-out display graph; yields after each small piece
        of work (a box made, a box or an edge added)."""
        for box in self.display.boxes:
            item = self.nodes[box.key] = NodeItem(
                box.key, title=box.title, terminal=box.terminal, subgraph=box.subgraph
            )  # added to the scene once it has its place
            state = self._kept.get(box.key)
            if state is not None:
                item.set_state(state[0], state[1], active=state[2])  # type: ignore[arg-type]
            yield None
        result = self._layout
        if result is None:
            return
        for i, (key, item) in enumerate(self.nodes.items()):  # not in the scene yet
            x, y = result.positions.get(key, (0.0, 0.0))
            item.setPos(x, y)
            if i % 200 == 199:
                yield None
        xs = [x for x, _ in result.positions.values()] or [0.0]
        ys = [y for _, y in result.positions.values()] or [0.0]
        widest = max((item.width for item in self.nodes.values()), default=0.0)
        self.graph_rect = QRectF(
            min(xs) - widest / 2, min(ys) - 40, max(xs) - min(xs) + widest, max(ys) - min(ys) + 80
        )  # measured once: itemsBoundingRect walks every item (34 ms at 1,000 nodes)
        for left, top, right, bottom in result.frames.values():
            self.graph_rect = self.graph_rect.united(QRectF(left, top, right - left, bottom - top))
        engine = {"grandalf": "layered (grandalf)", "layered": "fast layered"}.get(
            result.engine, result.engine
        )
        bands = max(result.bands.values(), default=0) + 1 if result.bands else 0
        self.layout_info = (
            f"{len(self.nodes)} nodes, {engine} layout"
            + (f", wrapped into {bands} columns" if bands else "")
            + (f"; {result.note}, so the fast layered layout stands in" if result.note else "")
        )
        self._bands, self._gutters = result.bands, result.gutters
        self._ceiling = (
            min((item.y() - item.height / 2 for item in self.nodes.values()), default=0.0) - 22
        )
        self.fit()
        yield None
        scene = self.scene()
        for item in self.nodes.values():
            scene.addItem(item)
            yield None
        for src, dst, kind in self.display.edges:
            if (src, dst) not in self.edges and src in self.nodes and dst in self.nodes:
                edge = self._add_edge(src, dst, kind, self.display.labels.get((src, dst)))
                if (src, dst) in self._kept_edges:
                    edge.mark_taken(*self._kept_edges[(src, dst)])
            yield None
        for key, members in self.display.clusters.items():
            inner = [c for k, c in self.clusters.items() if k.startswith(key + SEP)]
            cluster = ClusterItem(
                key,
                [self.nodes[m] for m in members if m in self.nodes],
                inner,
                rect=result.frames.get(key),
            )
            state = self._kept.get(key)
            if state is not None:
                cluster.set_state(state[0], state[1], active=state[2])  # type: ignore[arg-type]
            scene.addItem(cluster)
            self.clusters[key] = cluster
        for edge in self.edges.values():  # labels into one box apart from each other
            if edge.label.isVisible():
                self.declutter(edge)
        self.replay_subgraphs()  # an opened subgraph shows where its run is
        yield None
        # the scene indexes its items at the first query: here, in a turn of its own, not
        # in the first paint's (a thousand boxes, edges and labels: 3 to 8 ms of CPU)
        self.scene().items(QRectF(self.graph_rect.topLeft(), QSizeF(1, 1)))
        yield None  # the first paint and layoutReady's listeners (the minimap) on their own
        self.laid_out = True
        self.viewport().setUpdatesEnabled(True)
        self.viewport().update()
        self.layoutReady.emit(self.layout_info)

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """The centre of every box, in scene coordinates (empty until laid out)."""
        return self._layout.positions if self._layout is not None else {}

    def _add_edge(self, src: str, dst: str, kind: str, key: str | None = None) -> EdgeItem:
        lane = entry = None
        here, there = self._bands.get(src, 0), self._bands.get(dst, 0)
        if there > here:  # into a later band: along the lanes between the bands
            lane = self._gutters[here]
            entry = self._gutters[there - 1] if there > here + 1 else None
        # into an opened subgraph: the label above its frame's title, not on it
        label_at = 0.25 if dst.endswith(SEP + START) else 0.5
        edge = EdgeItem(
            self.nodes[src],
            self.nodes[dst],
            kind,
            key,
            lane=lane,
            entry=entry,
            ceiling=self._ceiling,
            label_at=label_at,
        )
        self.scene().addItem(edge)
        self.edges[(src, dst)] = edge
        self._into_cache = None
        return edge
