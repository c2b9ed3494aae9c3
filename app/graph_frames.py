"""Laying out a graph whose subgraphs are opened in place. Qt-free and pure (any thread).

Each opened subgraph is laid out on its own first (its boxes, and the frames of the
subgraphs opened inside it), then takes part in the level above as one box the size of
its frame; once the top level is laid out, every box inside a frame is placed relative to
the frame's centre. So a frame never overlaps another box or frame (a parallel branch
beside it is pushed aside as a wide box would push it), and closing the subgraph gives
the room back, the layout being made afresh without that box.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphstage import START
from graphstage.app.graph_layout import Layout, layout_graph
from graphstage.app.graph_model import SEP

FRAME_PAD = (20.0, 42.0, 20.0, 16.0)
"""Room between a frame and the boxes inside it (left, top with the title, right, bottom),
in scene pixels."""
MIN_GAP = 16.0
"""The least horizontal room kept between two boxes of one layer (a safety net under the
layered layouts, which keep ``X_SPACE``)."""

Rect = tuple[float, float, float, float]
"""left, top, right, bottom, in scene pixels."""


@dataclass(slots=True)
class _Level:
    """One opened subgraph laid out on its own: where its items are, from its frame's
    centre, and the frame's size."""

    offsets: dict[str, tuple[float, float]]
    size: tuple[float, float]


def frame_layout(
    sizes: Mapping[str, tuple[float, float]],
    edges: Iterable[tuple[str, str]],
    clusters: Mapping[str, Iterable[str]],
    roots: Iterable[str] = (START,),
) -> tuple[Layout, dict[str, Rect]]:
    """The centre of every box in ``sizes`` and the rectangle of every frame in
    ``clusters`` (an opened subgraph's key -> the keys of all the boxes inside it, as
    ``DisplayGraph.clusters``): no two boxes, and no box and frame that does not hold it,
    overlap. Wrapping into bands (``wrap_bands``) applies to the top level only."""
    edge_list = list(edges)
    if not clusters:
        layout = layout_graph(sizes, edge_list, roots)
        _separate(layout.positions, sizes)
        return layout, {}
    owner: dict[str, str | None] = dict.fromkeys(sizes)  # the innermost frame holding it
    for key in sorted(clusters, key=_depth):  # outer first: an inner frame overrides
        for member in clusters[key]:
            owner[member] = key
    for key in clusters:
        holders = [c for c in clusters if key.startswith(c + SEP)]
        owner[key] = max(holders, key=len) if holders else None

    def chain(key: str) -> list[str | None]:
        """The frames holding ``key``, outermost first, after the top level (None)."""
        out: list[str | None] = []
        at = owner.get(key)
        while at is not None:
            out.append(at)
            at = owner.get(at)
        return [None, *reversed(out)]

    level_edges: dict[str | None, list[tuple[str, str]]] = {}
    for src, dst in edge_list:
        a, b = chain(src), chain(dst)
        common = 0
        while common + 1 < min(len(a), len(b)) and a[common + 1] == b[common + 1]:
            common += 1
        # the two items of the deepest level holding both ends that lead to them
        rep_a = a[common + 1] if common + 1 < len(a) else src
        rep_b = b[common + 1] if common + 1 < len(b) else dst
        if rep_a is not None and rep_b is not None and rep_a != rep_b:
            level_edges.setdefault(a[common], []).append((rep_a, rep_b))
    items: dict[str | None, list[str]] = {}
    for key, held_by in owner.items():
        items.setdefault(held_by, []).append(key)
    levels: dict[str, _Level] = {}
    seconds = 0.0
    for key in sorted(clusters, key=_depth, reverse=True):  # inner first: its size is known
        level_sizes = {i: _size(i, sizes, levels) for i in items.get(key, [])}
        inner = layout_graph(level_sizes, level_edges.get(key, []), [key + SEP + START], wrap=False)
        seconds += inner.seconds
        _separate(inner.positions, level_sizes)
        levels[key] = _frame_of(inner.positions, level_sizes)
    top_sizes = {i: _size(i, sizes, levels) for i in items.get(None, [])}
    top = layout_graph(top_sizes, level_edges.get(None, []), roots)
    _separate(top.positions, top_sizes)
    positions: dict[str, tuple[float, float]] = {}
    frames: dict[str, Rect] = {}
    bands: dict[str, int] = {}

    def place(key: str, centre: tuple[float, float], band: int | None) -> None:
        level = levels.get(key)
        if level is None:
            positions[key] = centre
            if band is not None:
                bands[key] = band
            return
        (x, y), (w, h) = centre, level.size
        frames[key] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        for item, (dx, dy) in level.offsets.items():
            place(item, (x + dx, y + dy), band)

    for item, centre in top.positions.items():
        place(item, centre, top.bands.get(item) if top.bands else None)
    layout = Layout(
        positions,
        top.engine,
        top.note,
        top.seconds + seconds,
        bands=bands,
        gutters=top.gutters,
    )
    return layout, frames


def _depth(key: str) -> int:
    return key.count(SEP)


def _size(
    key: str, sizes: Mapping[str, tuple[float, float]], levels: Mapping[str, _Level]
) -> tuple[float, float]:
    level = levels.get(key)
    return level.size if level is not None else sizes[key]


def _frame_of(
    positions: Mapping[str, tuple[float, float]], sizes: Mapping[str, tuple[float, float]]
) -> _Level:
    """A laid-out subgraph's frame: its size, and each item's offset from its centre."""
    left = min(x - sizes[k][0] / 2 for k, (x, _) in positions.items())
    right = max(x + sizes[k][0] / 2 for k, (x, _) in positions.items())
    top = min(y - sizes[k][1] / 2 for k, (_, y) in positions.items())
    bottom = max(y + sizes[k][1] / 2 for k, (_, y) in positions.items())
    pad_left, pad_top, pad_right, pad_bottom = FRAME_PAD
    left, right = left - pad_left, right + pad_right
    top, bottom = top - pad_top, bottom + pad_bottom
    cx, cy = (left + right) / 2, (top + bottom) / 2
    offsets = {k: (x - cx, y - cy) for k, (x, y) in positions.items()}
    return _Level(offsets, (right - left, bottom - top))


def _separate(
    positions: dict[str, tuple[float, float]], sizes: Mapping[str, tuple[float, float]]
) -> None:
    """Push apart, left to right, boxes of one layer (one y) that came closer than
    ``MIN_GAP``: the layered layouts keep ``X_SPACE`` between neighbours, but a wide box
    (an opened subgraph's frame) must never overlap, whatever an engine does."""
    layers: dict[float, list[str]] = {}
    for key, (_, y) in positions.items():
        layers.setdefault(round(y, 3), []).append(key)
    for keys in layers.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: positions[k][0])
        edge: float | None = None
        for key in keys:
            x, y = positions[key]
            half = sizes[key][0] / 2
            if edge is not None and x - half < edge + MIN_GAP:
                x = edge + MIN_GAP + half
                positions[key] = (x, y)
            edge = x + half
