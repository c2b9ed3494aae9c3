"""The graph view's live status: node colours and status lines, active nodes, taken
edges, from the run's events (and its subgraph runs' events). A mixin of ``GraphView``,
which owns the items; GUI thread only.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graphstage import (
    END,
    START,
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
from graphstage.app.graph_edges import EdgeItem
from graphstage.app.graph_items import ClusterItem, NodeItem
from graphstage.app.graph_model import SEP, names_in
from graphstage.app.graph_tokens import ANIMATION_MS
from graphstage.app.outcomes import node_outcome
from graphstage.app.theme import PATH_SEP, REASON_COLOURS, format_seconds, reason_label

SUBGRAPH_EVENTS = 2000
"""Events kept per subgraph run, to draw it when it is opened mid-run."""
TOKENS_PER_BATCH = 4
"""A batch with more transitions than this marks its edges without animating tokens."""

if TYPE_CHECKING:
    from graphstage.app.graph_view import GraphView

    _Base = GraphView
else:
    _Base = object


class GraphStatus(_Base):
    """What the run is doing, drawn on the view's boxes and edges."""

    @property
    def active_nodes(self) -> tuple[str, ...]:
        """The nodes running or stopping now, in the order they started."""
        return self._active

    def reset_run(self) -> None:
        """Back to idle for a new run: colours, labels, and no on-the-fly edges."""
        self._tokens.stop_all()
        self._subgraph_events.clear()
        for key, edge in list(self.edges.items()):
            if edge.kind == "dynamic":
                self.scene().removeItem(edge)
                del self.edges[key]
                self._into_cache = None
            elif edge.taken:  # the others show their kind's label already
                edge.reset_label()
        for node in (*self.nodes.values(), *self.clusters.values()):
            node.set_state("idle", active=False)
        self._set_active(())

    def apply(self, events: Sequence[Event]) -> None:
        """Show a batch of the run's events, in order (GUI thread)."""
        # a fast run takes dozens of edges per batch: tokens then only redraw the view
        # without showing anything (the taken edges are marked all the same)
        transitions = sum(getattr(e, "kind", "") == "transition" for e in events)
        self._animate = transitions <= TOKENS_PER_BATCH
        self._batch_end = max((getattr(e, "time", 0.0) for e in events), default=0.0)
        for event in events:
            handler = getattr(self, f"_on_{getattr(event, 'kind', '')}", None)
            if handler is not None:
                handler(event)
        self._follow_active()  # once per batch: a fast run must not re-centre per event

    def apply_subgraph(self, batch: Sequence[tuple[tuple[str, ...], Event]]) -> None:
        """Show a batch of ``(namespace, event)`` from the subgraph runs (GUI thread): on
        the subgraph's own boxes when it is expanded, else as a line on its one box."""
        transitions = sum(getattr(e, "kind", "") == "transition" for _, e in batch)
        self._animate = transitions <= TOKENS_PER_BATCH
        self._batch_end = max((getattr(e, "time", 0.0) for _, e in batch), default=0.0)
        for namespace, event in batch:
            if getattr(event, "kind", "") in ("state_updated", "custom_output"):
                continue  # the state view shows the run's state; the log the output
            names = names_in(namespace)
            prefix = SEP.join(names) + SEP
            self._remember(prefix, event)
            if prefix + START in self.nodes:  # expanded: its boxes are drawn
                self._apply_inner(prefix, event)
                continue
            for depth in range(len(names), 0, -1):  # the innermost box drawn
                box = self.nodes.get(SEP.join(names[:depth]))
                if box is not None:
                    self._inside(box, names[depth:], event)
                    break
        self._follow_active()

    def _remember(self, prefix: str, event: Event) -> None:
        """Keep the events of each subgraph's current run (its last ``SUBGRAPH_EVENTS``),
        so that a subgraph opened mid-run shows where its run is at once."""
        kept = self._subgraph_events.get(prefix)
        if kept is None or getattr(event, "kind", "") == "run_started":
            kept = self._subgraph_events[prefix] = deque(maxlen=SUBGRAPH_EVENTS)
        kept.append(event)

    def replay_subgraphs(self) -> None:
        """Draw the kept events of every opened subgraph on its boxes (after a rebuild)."""
        animate, self._animate = self._animate, False
        for prefix, events in self._subgraph_events.items():
            if prefix + START in self.nodes:
                for event in events:
                    self._apply_inner(prefix, event)
        self._animate = animate

    def _apply_inner(self, prefix: str, event: Event) -> None:
        """One event of an expanded subgraph's run, on the boxes keyed ``prefix + node``."""
        e: Any = event
        kind = getattr(event, "kind", "")
        if kind == "run_started":
            for key, item in self.nodes.items():
                if key.startswith(prefix):
                    item.set_state("idle", active=False)
            self.nodes[prefix + START].set_state("done")
        elif kind == "run_finished":
            for key in [k for k in self._active if k.startswith(prefix)]:
                self._end_node(key, "cancelled", e.status)
            if e.status == "completed" and prefix + END in self.nodes:
                self.nodes[prefix + END].set_state("done")
        elif kind == "transition":
            self._on_transition(dataclasses.replace(e, src=prefix + e.src, dst=prefix + e.dst))
        elif kind in ("node_started", "node_finished", "node_cancelled", "node_failed"):
            getattr(self, f"_on_{kind}")(dataclasses.replace(e, node=prefix + e.node))
        elif kind == "stop_requested":
            self._on_stop_requested(
                dataclasses.replace(e, nodes=tuple(prefix + n for n in e.nodes))
            )

    def _inside(self, box: NodeItem, path: list[str], event: Event) -> None:
        """A collapsed subgraph's box says which of its nodes runs (its own state, from
        the parent's events, stays)."""
        e: Any = event
        if box.state not in ("running", "stopping"):
            return
        kind = getattr(event, "kind", "")
        if kind == "node_started":
            where = PATH_SEP.join([*path, e.node])
            box.set_state(box.state, f"{box.state} · in {where}", active=True)
        elif kind in ("node_finished", "node_cancelled", "node_failed") and not path:
            box.set_state(box.state, f"{box.state} · {e.node} {node_outcome(e)[0]}")

    def _set_active(self, active: tuple[str, ...]) -> None:
        if active != self._active:
            self._active = active
            self.activeNodesChanged.emit(active)

    def _on_run_started(self, event: RunStarted) -> None:
        self.reset_run()
        self._running.clear()
        self._durations.clear()
        if START in self.nodes:
            self.nodes[START].set_state("done")

    def _on_node_started(self, event: NodeStarted) -> None:
        self._durations.started(event)
        self._last_started = event.node
        detail = f"step {event.step}" + (" · shielded" if event.shielded else "")
        if event.where:  # e.g. "ray host 1 (node 3f2a9c01, pid 4242)": the host is enough
            detail += f" · {event.where.split(' (')[0]}"
        item = self._box(event.node)
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
            item = self._box(name)
            if item is not None and name in self._active:
                item.set_state("stopping", "stopping…")

    def _end_node(self, name: str, state: str, detail: str) -> None:
        item = self._box(name)
        if item is not None:
            item.set_state(state, detail, active=False)  # type: ignore[arg-type]
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
            item = self._box(name)
            if item is not None and item.state == "stopping":
                item.set_state("stopping", "stopping…" if left is None else f"stop · {left:.1f} s")

    def _on_transition(self, event: Transition) -> None:
        # an opened subgraph is entered at its START box and left from its END box
        src = event.src + SEP + END if event.src in self.clusters else event.src
        dst = event.dst + SEP + START if event.dst in self.clusters else event.dst
        if src not in self.nodes or dst not in self.nodes:
            return
        edge = self.edges.get((src, dst))
        if edge is None:  # a Command goto the static graph did not declare
            edge = self._add_edge(src, dst, "dynamic")
        label = reason_label(event.reason, event.after_stop, event.branch)
        colour = REASON_COLOURS.get(label, "#475569")
        relabelled = edge.label.text != label
        edge.mark_taken(label, colour)
        if relabelled:
            self.declutter(edge)
        # only what just happened travels: a replay's jump applies seconds of a run at once,
        # and a token of its first transition was left mid-edge in the picture it shows
        if self._animate and event.time >= self._batch_end - ANIMATION_MS / 1000:
            self._tokens.send(edge, colour)

    def _on_run_finished(self, event: RunFinished) -> None:
        for name in self._active:
            item = self._box(name)
            if item is not None:
                item.set_state("cancelled", event.status, active=False)
        self._set_active(())
        if END in self.nodes and (event.status == "completed" or self.edges_taken_to(END)):
            self.nodes[END].set_state("done")

    def declutter(self, edge: EdgeItem) -> None:
        """Move ``edge``'s label along it until it covers no label of an edge into the
        same box (two stopped branches' "command after stop" pills into one cleanup node
        were drawn over each other)."""
        if not edge.label.isVisible():
            return
        index = self._into_cache
        if index is None:  # made again after edges come or go
            into: dict[str, list[EdgeItem]] = {}
            for (_, dst), other in self.edges.items():
                into.setdefault(dst, []).append(other)
            index = self._into_cache = (None, into)
        near = [
            e.label.sceneBoundingRect()
            for e in index[1].get(edge.dst.name, [])
            if e is not edge and e.label.isVisible()
        ]
        if not near:
            return
        path = edge.path()
        for at in (edge.label_at, *edge.label_spots()):
            point = path.pointAtPercent(at)
            rect = edge.mapRectToScene(edge.label.boundingRect().translated(point))
            if not any(rect.intersects(other) for other in near):
                edge.label_at = at
                edge.label.setPos(point)
                return

    def _box(self, name: str) -> NodeItem | ClusterItem | None:
        """What shows node ``name``: its box, or the frame of its opened subgraph."""
        return self.nodes.get(name) or self.clusters.get(name)

    def edges_taken_to(self, dst: str) -> bool:
        """True if the current run has taken an edge into ``dst``."""
        return any(e.taken for (_, d), e in self.edges.items() if d == dst)
