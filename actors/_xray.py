"""``get_graph(xray=...)``: a graph drawn with its subgraphs' nodes in place of the nodes
that run them, as LangGraph's ``xray`` draws them.

As LangGraph (``pregel/_draw.py``): every level gets an edge to END from each node that
edges reach but that has no edge of its own (its "termini"); a subgraph replaces its node
when it has one first and one last node: its START (and END) is dropped when a single node
follows (precedes) it, its nodes are named ``node:inner`` (``a:b:c`` two levels down), the
parent's edges into the node go to its first node and the node's edges leave from its last.
``xray=True`` expands every level, ``xray=n`` the first ``n``.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ._constants import END
from ._drawing import DrawableGraph, GraphEdge
from ._subgraph import subgraphs_of

if TYPE_CHECKING:
    from ._graph import CompiledGraph


def xray_graph(
    graph: CompiledGraph, xray: bool | int, outer: tuple[CompiledGraph, ...] = ()
) -> DrawableGraph:
    """``graph`` drawn with its subgraphs expanded ``xray`` levels deep (a graph that
    ``outer``, the graphs being expanded around it, already holds stays a node)."""
    drawn = graph.drawn_nodes()
    nodes = list(drawn)
    edges = _with_termini(graph.edges_for_drawing())
    groups: list[tuple[str, tuple[str, ...]]] = []
    deeper: bool | int = xray if isinstance(xray, bool) or xray <= 0 else xray - 1
    for name, sub in (subgraphs_of(graph) if xray else {}).items():
        if any(sub is g for g in outer):
            continue  # graphs that run each other: drawn once
        inner = xray_graph(sub, deeper, (*outer, graph))
        inner_names = tuple(inner.nodes)
        first, last = _ends(inner_names, inner.edges)
        if len(inner_names) <= 1 or first is None or last is None:
            continue  # LangGraph leaves such a subgraph drawn as its node
        kept, inner_edges = _trimmed(inner_names, list(inner.edges), first, last)
        first, last = _ends(kept, inner_edges)
        assert first is not None and last is not None

        def named(node: str, name: str = name) -> str:
            return f"{name}:{node}"

        # as LangGraph's Graph.extend: the node goes, its subgraph's nodes come last
        nodes.remove(name)
        nodes += [named(n) for n in kept]
        drawn |= {named(n): dataclasses.replace(inner.nodes[n], id=named(n)) for n in kept}
        edges = [
            dataclasses.replace(
                e,
                src=named(last) if e.src == name else e.src,
                dst=named(first) if e.dst == name else e.dst,
            )
            for e in edges
        ]
        edges += [dataclasses.replace(e, src=named(e.src), dst=named(e.dst)) for e in inner_edges]
        groups.append((name, tuple(named(n) for n in kept if ":" not in n)))
        groups += [(named(g), tuple(named(n) for n in members)) for g, members in inner.groups]
    return DrawableGraph({n: drawn[n] for n in nodes}, edges, tuple(groups))


def _with_termini(edges: list[GraphEdge]) -> list[GraphEdge]:
    """``edges`` and an edge to END from each node edges reach but that has none of its
    own, as LangGraph adds them when it draws."""
    sources = {e.src for e in edges}
    termini = sorted({e.dst for e in edges if e.dst != END} - sources)
    present = {(e.src, e.dst) for e in edges}
    return edges + [GraphEdge(t, END, "edge") for t in termini if (t, END) not in present]


def _ends(
    nodes: tuple[str, ...], edges: tuple[GraphEdge, ...] | list[GraphEdge]
) -> tuple[str | None, str | None]:
    """The single node no edge reaches, and the single node no edge leaves (None if there
    is not exactly one): langchain-core's ``first_node`` / ``last_node``."""
    targets = {e.dst for e in edges}
    sources = {e.src for e in edges}
    firsts = [n for n in nodes if n not in targets]
    lasts = [n for n in nodes if n not in sources]
    return (
        firsts[0] if len(firsts) == 1 else None,
        lasts[0] if len(lasts) == 1 else None,
    )


def _trimmed(
    nodes: tuple[str, ...], edges: list[GraphEdge], first: str, last: str
) -> tuple[tuple[str, ...], list[GraphEdge]]:
    """Drop the first (last) node when a single node follows (precedes) it and that node is
    then the only first (last) one: langchain-core's ``trim_first_node`` / ``trim_last_node``."""
    kept = list(nodes)
    if len([e for e in edges if e.src == first]) == 1:
        rest = [e for e in edges if e.src != first]
        if _ends(tuple(n for n in kept if n != first), rest)[0] is not None:
            kept.remove(first)
            edges = rest
    if len([e for e in edges if e.dst == last]) == 1:
        rest = [e for e in edges if e.dst != last]
        if _ends(tuple(n for n in kept if n != last), rest)[1] is not None:
            kept.remove(last)
            edges = rest
    return tuple(kept), edges
