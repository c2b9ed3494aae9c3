"""Drawing a compiled graph: its edges with their kinds (for the window's graph view),
``get_graph()`` and Mermaid, as LangGraph's ``get_graph().draw_mermaid()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._constants import END, START

if TYPE_CHECKING:
    from ._branch import Branch
    from ._builder import StateGraph
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

    # LangGraph's ``Edge`` names, for code written against ``get_graph().edges``
    @property
    def source(self) -> str:
        return self.src

    @property
    def target(self) -> str:
        return self.dst

    @property
    def conditional(self) -> bool:
        # LangGraph draws a node's Command destinations as conditional edges too
        return self.kind == "conditional" or self.kind == "command"

    @property
    def data(self) -> str | None:
        return self.label


_ARROWS = {
    "edge": "-->",
    "join": "-->",
    "conditional": "-.->",
    "on_cancel": "-. on_cancel .->",
    "command": "-. command .->",
}


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node of a drawn graph, as langchain-core's ``Node`` that LangGraph's
    ``get_graph().nodes`` holds (``id``, ``name``, ``data``, ``metadata``)."""

    id: str
    """Its key in ``DrawableGraph.nodes``: the node's name (``node:inner`` with ``xray``)."""
    name: str
    """The node's own name (``inner`` for ``node:inner``)."""
    data: Any = None
    """What runs it: the node's function (a subgraph node: the compiled subgraph); None
    for START and END."""
    metadata: dict[str, Any] | None = None
    """``add_node(metadata=...)``, or None."""


@dataclass(frozen=True, slots=True)
class DrawableGraph:
    """What ``CompiledGraph.get_graph()`` returns: the nodes and edges, and Mermaid, as
    LangGraph's ``Graph``: ``nodes`` maps each node's id to its ``GraphNode``."""

    nodes: dict[str, GraphNode]
    """START, every node, END, in that order (with ``xray``, a subgraph's nodes in place
    of its node, as ``node:inner``)."""
    edges: list[GraphEdge]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """With ``xray``: each expanded subgraph (``node``, ``node:inner``...) and the nodes
    drawn inside it (not those of its own subgraphs)."""

    def draw_mermaid(self) -> str:
        """The graph as a Mermaid flowchart; conditional edges carry their keys; an
        expanded subgraph is a ``subgraph`` block (node ids escape ``:`` as LangGraph's)."""
        lines = ["flowchart TD"]
        grouped = {n for _, members in self.groups for n in members}
        lines += [f"    {_mermaid_node(n)}" for n in self.nodes if n not in grouped]
        members = dict(self.groups)

        def block(group: str, indent: str) -> None:
            lines.append(f"{indent}subgraph {_mermaid_id(group)}[{group.rsplit(':', 1)[-1]}]")
            lines.extend(f"{indent}    {_mermaid_node(n)}" for n in members[group])
            for inner in members:
                if inner.rsplit(":", 1)[0] == group and inner != group:
                    block(inner, indent + "    ")
            lines.append(f"{indent}end")

        for group in members:
            if ":" not in group:
                block(group, "    ")
        for e in self.edges:
            src, dst = _mermaid_id(e.src), _mermaid_id(e.dst)
            if e.kind == "conditional" and e.label:
                lines.append(f"    {src} -. &nbsp;{e.label}&nbsp; .-> {dst}")
            else:
                lines.append(f"    {src} {_ARROWS[e.kind]} {dst}")
        return "\n".join(lines) + "\n"


def _mermaid_id(name: str) -> str:
    return name.replace(":", "\\3a")


def _mermaid_node(name: str) -> str:
    shape = {START: "([START])", END: "([END])"}.get(name)
    return _mermaid_id(name) + (shape or f"[{name.rsplit(':', 1)[-1]}]")


class Drawing:
    """Mixed into ``CompiledGraph``: what it needs of it are the nodes and edges below."""

    builder: StateGraph
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
        draws it. ``xray=True`` draws every subgraph's nodes in place of the node that runs
        it (``xray=n``: ``n`` levels deep), named ``node:inner`` as LangGraph names them.
        ``config`` is accepted for compatibility."""
        if xray:
            from ._xray import xray_graph

            return xray_graph(self, xray)  # type: ignore[arg-type]
        return DrawableGraph(self.drawn_nodes(), self.edges_for_drawing())

    def drawn_nodes(self) -> dict[str, GraphNode]:
        """START, every node and END as ``GraphNode``s, by name."""
        from ._subgraph import subgraph_of

        metadata = self.builder.metadata
        nodes = {START: GraphNode(START, START)}
        for name, spec in self.nodes.items():
            sub = subgraph_of(spec.fn)
            data = spec.fn if sub is None else sub.graph
            nodes[name] = GraphNode(name, name, data, metadata.get(name))
        nodes[END] = GraphNode(END, END)
        return nodes

    def draw_mermaid(self) -> str:
        """The graph as a Mermaid flowchart (conditional edges labelled with their keys)."""
        return self.get_graph().draw_mermaid()
