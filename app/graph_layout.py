"""Layered (Sugiyama) layout of a graph with grandalf: where each node box goes.

Qt-free and pure: given node sizes and edges it returns top-left-free centre points, laid
out top to bottom like Graphviz ``dot``. Cycles are handled by grandalf (it reverses back
edges while ranking); separate components are placed side by side.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _import_grandalf() -> None:
    """Import grandalf without numpy. Its ``layouts`` module imports numpy (a quarter of a
    second at start-up) only for ``DigcoLayout``, which we do not use; with numpy hidden it
    falls back to its own small matrix classes. numpy is hidden only if nobody has imported
    it yet, and only for this one import."""
    if "numpy" in sys.modules or "grandalf.layouts" in sys.modules:
        import grandalf.layouts

        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail
    try:
        import grandalf.layouts  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_grandalf()

from grandalf.graphs import Edge, Graph, Vertex  # noqa: E402
from grandalf.layouts import SugiyamaLayout  # noqa: E402

X_SPACE = 48.0
"""Horizontal gap between boxes of one layer, in scene pixels."""
Y_SPACE = 64.0
"""Vertical gap between layers, in scene pixels."""


@dataclass(slots=True)
class _Box:
    """The ``view`` grandalf reads sizes from and writes positions to."""

    w: float
    h: float
    xy: tuple[float, float] = (0.0, 0.0)


def layered_layout(
    sizes: Mapping[str, tuple[float, float]],
    edges: Iterable[tuple[str, str]],
    roots: Iterable[str] = (),
) -> dict[str, tuple[float, float]]:
    """Centre point of every node in ``sizes``; ``roots`` are put in the top layer."""
    vertices = {name: Vertex(name) for name in sizes}
    for name, vertex in vertices.items():
        vertex.view = _Box(*sizes[name])
    seen: set[tuple[str, str]] = set()
    grandalf_edges = []
    for src, dst in edges:
        if src == dst or (src, dst) in seen or src not in vertices or dst not in vertices:
            continue  # self-loops and duplicates do not change the ranking
        seen.add((src, dst))
        grandalf_edges.append(Edge(vertices[src], vertices[dst]))
    graph = Graph(list(vertices.values()), grandalf_edges)
    root_names = set(roots)
    positions: dict[str, tuple[float, float]] = {}
    offset_x = 0.0
    for component in graph.C:
        layout = SugiyamaLayout(component)
        layout.xspace = X_SPACE
        layout.yspace = Y_SPACE
        comp_roots = [v for v in component.sV if v.data in root_names]
        layout.init_all(roots=comp_roots or None)
        layout.draw()
        xs = [v.view.xy[0] - v.view.w / 2 for v in component.sV]
        xe = [v.view.xy[0] + v.view.w / 2 for v in component.sV]
        shift = offset_x - min(xs)
        for v in component.sV:
            positions[v.data] = (v.view.xy[0] + shift, v.view.xy[1])
        offset_x += max(xe) - min(xs) + X_SPACE * 2
    return positions
