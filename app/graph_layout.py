"""Layered (Sugiyama) layout of a graph: where each node box goes.

Qt-free and pure: given node sizes and edges it returns centre points, laid out top to
bottom like Graphviz ``dot``. ``layout_graph`` picks the engine: grandalf (good crossings,
but O(n^2) and worse, and a ``RecursionError`` on a 1,000-node chain) for graphs of up to
``GRANDALF_MAX_NODES`` nodes, ``fast_layered_layout`` (linear per sweep) above that or when
grandalf fails. The window runs big layouts in a worker thread (``graph_view``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


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


GRANDALF_MAX_NODES = 150
"""Above this many nodes grandalf is too slow (1.4 s at 500): the fast layout is used."""
SWEEPS = 4
"""Barycentre passes (down and up) of the fast layout's crossing reduction."""


@dataclass(slots=True)
class Layout:
    """A finished layout: the centre of every node, and how it was made."""

    positions: dict[str, tuple[float, float]]
    engine: str
    """``grandalf`` or ``layered`` (the fast layout)."""
    note: str = ""
    """Why the fast layout stood in, when grandalf failed (shown in the status bar)."""
    seconds: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)
    bands: dict[str, int] = field(default_factory=dict)
    """For a tall layout wrapped into side-by-side bands (``wrap_bands``): each node's band,
    left to right; empty when it was not wrapped."""
    gutters: list[float] = field(default_factory=list)
    """The x of the free lane right of each band (where edges to a later band run)."""
    frames: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    """Each opened subgraph's frame (left, top, right, bottom), made room for by
    ``graph_frames.frame_layout``."""


def layout_graph(
    sizes: Mapping[str, tuple[float, float]],
    edges: Iterable[tuple[str, str]],
    roots: Iterable[str] = (),
    *,
    wrap: bool = True,
) -> Layout:
    """Lay out with the engine that fits the graph's size; never raises for a bad layout:
    a failing grandalf is replaced by the fast layout, with a note saying so. A tall
    layout is wrapped into bands (``wrap_bands``) unless ``wrap`` is false."""
    import time

    started = time.perf_counter()
    edge_list, root_list = list(edges), list(roots)
    note, engine = "", "layered"
    positions: dict[str, tuple[float, float]] = {}
    if len(sizes) <= GRANDALF_MAX_NODES:
        try:
            positions = layered_layout(sizes, edge_list, root_list)
            if len(positions) == len(sizes):
                engine = "grandalf"
            else:
                note = "grandalf placed only some nodes"
        except (Exception, RecursionError) as exc:  # grandalf's own bugs: never the user's
            note = f"grandalf failed ({type(exc).__name__})"
    if engine != "grandalf":
        positions = fast_layered_layout(sizes, edge_list, root_list)
    bands: dict[str, int] = {}
    gutters: list[float] = []
    if wrap:
        positions, bands, gutters = wrap_bands(positions, sizes)
    return Layout(
        positions, engine, note, time.perf_counter() - started, bands=bands, gutters=gutters
    )


WRAP_MIN_LAYERS = 24
"""A layout with fewer layers than this is never wrapped."""
WRAP_TALLNESS = 3.0
"""A layout is wrapped when it is this many times taller than wide (a long chain)."""
WRAP_ASPECT = 1.5
"""The width-to-height ratio a wrapped layout aims at (a landscape graph panel)."""
BAND_GAP = 96.0
"""Horizontal room between two bands, in scene pixels (their connecting edges run there)."""


def wrap_bands(
    positions: Mapping[str, tuple[float, float]], sizes: Mapping[str, tuple[float, float]]
) -> tuple[dict[str, tuple[float, float]], dict[str, int], list[float]]:
    """Wrap a tall layered layout into bands of consecutive layers, side by side, like a
    newspaper's columns: a 1,000-node chain becomes a grid instead of a thread 100,000
    pixels long (unreadable in a minimap, and a screen shows 6 of its nodes at a readable
    zoom). Returns the new positions, each node's band and the x of the lane right of
    each band; the layout unchanged (and no bands) when it is not tall."""
    unchanged = dict(positions), {}, []
    layers = sorted({round(y, 3) for _, y in positions.values()})
    if len(layers) < WRAP_MIN_LAYERS:
        return unchanged
    left = min(x - sizes[n][0] / 2 for n, (x, _) in positions.items())
    right = max(x + sizes[n][0] / 2 for n, (x, _) in positions.items())
    width = right - left
    pitch = (layers[-1] - layers[0]) / (len(layers) - 1)  # the distance between layers
    if len(layers) * pitch < WRAP_TALLNESS * width or pitch <= 0:
        return unchanged
    # per band: width + gap across, k * pitch down; the whole k bands wide is aimed at
    # WRAP_ASPECT times as wide as tall: (layers / k) * (width + gap) = aspect * k * pitch
    per_band = max(8, round(math.sqrt(len(layers) * (width + BAND_GAP) / (WRAP_ASPECT * pitch))))
    if per_band >= len(layers):
        return unchanged
    layer_index = {y: i for i, y in enumerate(layers)}
    moved: dict[str, tuple[float, float]] = {}
    bands: dict[str, int] = {}
    for name, (x, y) in positions.items():
        i = layer_index[round(y, 3)]
        band = i // per_band
        bands[name] = band
        # rows keep their own heights (a layer holding a subgraph's frame is taller)
        moved[name] = (x - left + band * (width + BAND_GAP), y - layers[band * per_band])
    count = max(bands.values()) + 1
    gutters = [band * (width + BAND_GAP) + width + BAND_GAP / 2 for band in range(count)]
    return moved, bands, gutters


def fast_layered_layout(
    sizes: Mapping[str, tuple[float, float]],
    edges: Iterable[tuple[str, str]],
    roots: Iterable[str] = (),
) -> dict[str, tuple[float, float]]:
    """A simple layered layout, linear in nodes plus edges per sweep, with no recursion.

    Back edges (found by an iterative depth-first search from ``roots``) are ignored for
    ranking; each node goes one layer below its lowest predecessor (longest path);
    ``SWEEPS`` barycentre passes order each layer; a node is then placed under the mean of
    its predecessors, pushed right just enough not to overlap its left neighbour.
    """
    names = list(sizes)
    index = {name: i for i, name in enumerate(names)}
    succ: list[list[int]] = [[] for _ in names]
    for src, dst in edges:
        if src in index and dst in index and src != dst:
            succ[index[src]].append(index[dst])
    # Depth-first search without recursion: an edge to a node still on the stack is a back
    # edge, left out of the ranking (as dot reverses it).
    state = [0] * len(names)  # 0 unseen, 1 on the stack, 2 done
    forward: list[list[int]] = [[] for _ in names]
    visit_order: list[int] = []
    starts = [index[r] for r in roots if r in index] + list(range(len(names)))
    for start in starts:
        if state[start]:
            continue
        state[start] = 1
        visit_order.append(start)
        stack = [(start, iter(succ[start]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state[child] == 1:
                continue  # a back edge
            else:
                forward[node].append(child)
                if state[child] == 0:
                    state[child] = 1
                    visit_order.append(child)
                    stack.append((child, iter(succ[child])))
    # Longest-path ranking over the acyclic forward edges (Kahn's order).
    indegree = [0] * len(names)
    for targets in forward:
        for t in targets:
            indegree[t] += 1
    rank = [0] * len(names)
    ready = [i for i in visit_order if indegree[i] == 0]
    while ready:
        node = ready.pop()
        for t in forward[node]:
            rank[t] = max(rank[t], rank[node] + 1)
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    preds: list[list[int]] = [[] for _ in names]
    for node, targets in enumerate(forward):
        for t in targets:
            preds[t].append(node)
    layers: list[list[int]] = [[] for _ in range(max(rank, default=0) + 1)]
    for node in visit_order:
        layers[rank[node]].append(node)
    order = [0.0] * len(names)
    for layer in layers:
        for i, node in enumerate(layer):
            order[node] = float(i)
    for sweep in range(SWEEPS):
        downwards = sweep % 2 == 0
        neighbours = preds if downwards else forward
        for layer in layers if downwards else reversed(layers):
            for node in layer:
                near = neighbours[node]
                if near:
                    order[node] = sum(order[n] for n in near) / len(near)
            layer.sort(key=order.__getitem__)
            for i, node in enumerate(layer):
                order[node] = float(i)
    xs = [0.0] * len(names)
    positions: dict[str, tuple[float, float]] = {}
    top = 0.0  # each layer as tall as its tallest box (a subgraph's frame may be tall)
    for layer in layers:
        left_edge: float | None = None  # the right side of the box placed last
        for node in layer:
            width = sizes[names[node]][0]
            near = preds[node]
            leftmost = 0.0 if left_edge is None else left_edge + X_SPACE + width / 2
            wanted = sum(xs[n] for n in near) / len(near) if near else leftmost
            x = wanted if left_edge is None else max(wanted, leftmost)
            xs[node] = x
            left_edge = x + width / 2
        half = max((sizes[names[node]][1] for node in layer), default=0.0) / 2
        for node in layer:
            positions[names[node]] = (xs[node], top + half)
        top += 2 * half + Y_SPACE
    return positions
