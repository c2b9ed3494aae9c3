"""Drawing a compiled graph: its edges with their kinds (for the window's graph view),
``get_graph()`` and Mermaid, as LangGraph's ``get_graph().draw_mermaid()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._constants import END, START

if TYPE_CHECKING:
    from ._branch import Branch
    from ._node import NodeSpec


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """An edge for drawing: ``kind`` is edge, conditional, join, on_cancel or command."""

    src: str
    dst: str
    kind: Literal["edge", "conditional", "join", "on_cancel", "command"]
    label: str | None = None
    """For a conditional edge: the path_map key(s) leading to ``dst`` (``"revise"``; several
    joined by ``" / "``), when they differ from ``dst``'s name (as LangGraph draws them)."""


@dataclass(frozen=True, slots=True)
class DrawableGraph:
    """What ``CompiledGraph.get_graph()`` returns: the nodes and edges, and Mermaid."""

    nodes: tuple[str, ...]
    """START, every node, END."""
    edges: tuple[GraphEdge, ...]

    def draw_mermaid(self) -> str:
        """The graph as a Mermaid flowchart; conditional edges carry their keys."""
        arrow = {
            "edge": "-->",
            "join": "-->",
            "conditional": "-.->",
            "on_cancel": "-. on_cancel .->",
            "command": "-. command .->",
        }
        lines = ["flowchart TD"]
        for name in self.nodes:
            shape = {START: "([START])", END: "([END])"}.get(name, f"[{name}]")
            lines.append(f"    {name}{shape}")
        for e in self.edges:
            if e.kind == "conditional" and e.label:
                lines.append(f"    {e.src} -. &nbsp;{e.label}&nbsp; .-> {e.dst}")
            else:
                lines.append(f"    {e.src} {arrow[e.kind]} {e.dst}")
        return "\n".join(lines) + "\n"


class Drawing:
    """Mixed into ``CompiledGraph``: what it needs of it are the nodes and edges below."""

    nodes: dict[str, NodeSpec]
    edges: dict[str, tuple[str, ...]]
    branches: dict[str, tuple[Branch, ...]]
    joins: tuple[tuple[tuple[str, ...], str], ...]

    def edges_for_drawing(self) -> list[GraphEdge]:
        """Every edge the graph may take, with its kind, for the graph view and Mermaid."""
        out: list[GraphEdge] = []
        for src, dsts in self.edges.items():
            out.extend(GraphEdge(src, dst, "edge") for dst in dsts)
        for src, branches in self.branches.items():
            for branch in branches:
                keys: dict[str, list[str]] = {}
                for key, dst in branch.labelled_targets():
                    keys.setdefault(dst, []).append(key)
                for dst, names in keys.items():
                    shown = [k for k in names if k != dst]
                    out.append(GraphEdge(src, dst, "conditional", " / ".join(shown) or None))
        for sources, dst in self.joins:
            out.extend(GraphEdge(src, dst, "join") for src in sources)
        for spec in self.nodes.values():
            if spec.on_cancel:
                out.append(GraphEdge(spec.name, spec.on_cancel, "on_cancel"))
            out.extend(GraphEdge(spec.name, dst, "command") for dst in spec.destinations)
        return out

    def get_graph(
        self, config: dict[str, Any] | None = None, *, xray: bool | int = False
    ) -> DrawableGraph:
        """The graph's nodes and edges, as LangGraph's ``get_graph()``; ``.draw_mermaid()``
        draws it. ``config`` and ``xray`` are accepted for compatibility."""
        return DrawableGraph((START, *self.nodes, END), tuple(self.edges_for_drawing()))

    def draw_mermaid(self) -> str:
        """The graph as a Mermaid flowchart (conditional edges labelled with their keys)."""
        return self.get_graph().draw_mermaid()
