"""What the graph view draws: a compiled graph flattened into boxes and edges, with the
subgraphs the user expanded opened up in place. Qt-free and pure.

A subgraph node (a compiled graph added with ``add_node("sub", graph)``) is one box while
collapsed. Expanded, its own nodes are drawn in its place under keys ``"sub/inner"``,
between a small START (``"sub/__start__"``) and END (``"sub/__end__"``) of its own: the
parent's edges into the node go to that START, its edges out leave from that END. The
same holds one level down (``"sub/inner/deeper"``) when that node is expanded too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphstage import END, START, CompiledGraph

SEP = "/"
"""Joins a subgraph node's key and an inner node's name into the inner node's key."""

KIND_PRIORITY = ("edge", "join", "conditional", "command", "on_cancel", "end", "dynamic")
"""Which kind wins when several edges join the same two boxes (the first drawn)."""


@dataclass(slots=True)
class Box:
    """One box of the view."""

    key: str
    """The node's name, or ``"sub/inner"`` for a node inside an expanded subgraph."""
    title: str
    """The text on the box (the node's own name; START/END for the terminals)."""
    terminal: bool = False
    """A START or END pill (of the graph, or of an expanded subgraph)."""
    subgraph: bool = False
    """A collapsed subgraph node: double-click opens it."""


@dataclass(slots=True)
class DisplayGraph:
    """Boxes, edges and expanded subgraphs, ready for the layout and the scene."""

    boxes: list[Box] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    """(source key, destination key, kind), each pair once, in ``KIND_PRIORITY`` order."""
    labels: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """A conditional edge's branch keys."""
    clusters: dict[str, list[str]] = field(default_factory=dict)
    """An expanded subgraph node's key -> the keys of the boxes inside it."""
    subgraphs: dict[str, CompiledGraph] = field(default_factory=dict)
    """Every subgraph node reachable so far (expanded or not) -> its compiled graph."""


def subgraph_of(graph: CompiledGraph, node: str) -> CompiledGraph | None:
    """The compiled graph node ``node`` runs, if it is a subgraph node."""
    for name, sub in graph.get_subgraphs():
        if name == node:
            return sub
    return None


def display_graph(graph: CompiledGraph, expanded: Iterable[str] = ()) -> DisplayGraph:
    """``graph`` flattened for drawing, with the subgraph nodes named in ``expanded``
    (keys, such as ``"sub"`` or ``"sub/inner"``) opened up."""
    out = DisplayGraph()
    _add_level(out, graph, "", set(expanded))
    seen: set[tuple[str, str]] = set()
    unique = []
    for edge in sorted(out.edges, key=lambda e: KIND_PRIORITY.index(e[2])):
        if (edge[0], edge[1]) not in seen:
            seen.add((edge[0], edge[1]))
            unique.append(edge)
    out.edges = unique
    return out


def _add_level(out: DisplayGraph, graph: CompiledGraph, prefix: str, expanded: set[str]) -> None:
    """Add ``graph``'s boxes and edges under ``prefix`` (``""`` at the top)."""
    subs = dict(graph.get_subgraphs())

    def key(name: str) -> str:
        return prefix + name

    entry: dict[str, str] = {}  # an expanded subgraph node -> the key its in-edges reach
    exit_: dict[str, str] = {}  # ... and the key its out-edges leave from
    for name in (START, *graph.nodes, END):
        k = key(name)
        sub = subs.get(name)
        if sub is not None:
            out.subgraphs[k] = sub
        if sub is not None and k in expanded:
            inner = k + SEP
            start = len(out.boxes)
            _add_level(out, sub, inner, expanded)
            out.clusters[k] = [b.key for b in out.boxes[start:]]
            entry[name], exit_[name] = inner + START, inner + END
            continue
        terminal = name in (START, END)
        title = {START: "START", END: "END"}.get(name, name)
        out.boxes.append(Box(k, title, terminal=terminal, subgraph=sub is not None))
    edges = [(e.src, e.dst, e.kind, e.label) for e in graph.edges_for_drawing()]
    leading = {s for s, _, k, _ in edges if k in ("edge", "conditional", "join")}
    edges += [(n, END, "end", None) for n in sorted(graph.nodes) if n not in leading]
    for src, dst, kind, label in edges:
        a, b = exit_.get(src) or key(src), entry.get(dst) or key(dst)
        out.edges.append((a, b, kind))
        if kind == "conditional":
            out.labels[(a, b)] = label


def names_in(namespace: tuple[str, ...]) -> list[str]:
    """The subgraph node names along a LangGraph namespace (``("sub:3f2a…", "inner:…")``
    -> ``["sub", "inner"]``)."""
    return [part.split(":", 1)[0] for part in namespace]


def key_in(namespace: tuple[str, ...], node: Any) -> str:
    """The box key of ``node`` of the subgraph run at ``namespace``."""
    return SEP.join([*names_in(namespace), str(node)])
