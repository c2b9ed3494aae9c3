"""``Router``: where a run goes after a step — Commands, edges, joins and ``on_cancel``.

Kept apart from the supervisor, which owns *when* things happen (steps, stops, time
limits); the router only answers *where to*. Without a stop, a node's Command ``goto``
and its static and conditional edges are all followed, as in LangGraph. After a stop, a
node that answered the Cancel is followed only where its Command says; one that re-raised,
returned no ``goto``, was escalated, or had finished before the stop reached it takes its
``on_cancel`` route, or ends there — and the step it would have taken is kept for resume.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._constants import END, START
from ._errors import UnknownNodeError
from ._events import TransitionReason
from ._messages import ESCALATED, Finished

if TYPE_CHECKING:
    from ._graph import CompiledGraph

Route = tuple[str, str, TransitionReason]
"""``(src, dst, reason)``: one transition to publish."""


@dataclass(slots=True)
class StepRoutes:
    """The routing decision after one step."""

    routes: list[Route] = field(default_factory=list)
    """Every transition, in node order, including those to END."""
    frontier: list[str] = field(default_factory=list)
    """The next step's nodes, each once."""
    resume_next: list[str] = field(default_factory=list)
    """After a stop: the nodes the stop kept from running (where a resume starts)."""
    escalated_unrouted: bool = False
    """A node was escalated past its grace with no ``on_cancel`` route."""


class Router:
    """Routes one run. Holds the only routing state: which join sources have finished."""

    def __init__(self, graph: CompiledGraph, config: dict[str, Any]) -> None:
        self.graph = graph
        self.config = config
        # wait-for-all edges: (sources, dst) -> sources finished since dst last ran
        self._joins_seen: dict[tuple[tuple[str, ...], str], set[str]] = {
            join: set() for join in graph.joins
        }

    async def resolve(self, nodes: list[str], state: Any) -> dict[str, list[str]]:
        """Run the conditional edges (the user's path functions) of ``nodes`` on ``state``:
        node -> destinations. The only routing that awaits, so it is done apart."""
        out: dict[str, list[str]] = {}
        for node in nodes:
            dsts = out[node] = []
            for branch in self.graph.branches.get(node, ()):
                try:
                    dsts.extend(await branch.resolve(state, self.config))
                except Exception as exc:
                    exc.add_note(f"raised by the conditional edge from '{node}'")
                    raise
        return out

    def entry(self, resolved: dict[str, list[str]]) -> list[Route]:
        """The transitions out of START (``resolved`` holds its conditional edges' answer)."""
        return self.normal(START, (), resolved)

    def after_step(
        self,
        nodes: list[str],
        answers: dict[str, Any],
        gotos: dict[str, tuple[str, ...]],
        resolved: dict[str, list[str]],
        *,
        stopped: bool,
        shielded: bool,
    ) -> StepRoutes:
        """Route every node of the step, in frontier order.

        ``answers`` maps a node to its ``Finished``/``Cancelled`` answer or ``ESCALATED``;
        ``resolved`` holds the destinations of the conditional edges of the nodes that
        finished (see ``resolve``); ``stopped`` says a stop has been asked; ``shielded``
        that this step's nodes started after it (cleanup), so they route as usual.
        """
        out = StepRoutes()
        for node in nodes:
            answer = answers.get(node)
            if answer is None:
                continue
            on_cancel = self.graph.nodes[node].on_cancel
            if isinstance(answer, Finished):
                goto = gotos[node]
                if not stopped or shielded:
                    out.routes.extend(self.normal(node, goto, resolved))
                elif answer.answered_cancel and goto:
                    out.routes.extend((node, dst, "command") for dst in goto)
                else:  # finished before the stop reached it, or drained
                    normal = self.normal(node, goto, resolved)
                    out.resume_next.extend(dst for _, dst, _ in normal if dst != END)
                    if on_cancel:
                        out.routes.append((node, on_cancel, "cancel_route"))
            else:  # re-raised the Cancel, or escalated
                out.resume_next.append(node)
                if on_cancel:
                    out.routes.append((node, on_cancel, "cancel_route"))
                elif answer is ESCALATED:
                    out.escalated_unrouted = True
        known = self.graph.nodes
        for _, dst, _ in out.routes:
            if dst != END and dst not in known:
                raise UnknownNodeError(
                    f"goto '{dst}': no such node; known nodes: {', '.join(known)}"
                )
        out.frontier = dedupe(dst for _, dst, _ in out.routes if dst != END)
        out.resume_next = dedupe(out.resume_next)
        if out.frontier:
            out.escalated_unrouted = False  # the run goes on: it ends by what comes next
        return out

    def normal(
        self, node: str, goto: tuple[str, ...], resolved: dict[str, list[str]]
    ) -> list[Route]:
        """Where a node's routing leads without a stop: its Command's goto, its static and
        conditional edges (all followed, as in LangGraph), its joins; else END."""
        routes: list[Route] = [(node, dst, "command") for dst in goto]
        routes.extend((node, dst, "edge") for dst in self.graph.edges.get(node, ()))
        routes.extend((node, dst, "edge") for dst in resolved.get(node, ()))
        for join, seen in self._joins_seen.items():
            if node in join[0]:
                seen.add(node)
                if seen.issuperset(join[0]):
                    seen.clear()
                    routes.append((node, join[1], "edge"))
        if not routes and node != START:
            routes.append((node, END, "edge"))
        return routes


def dedupe(names: Any) -> list[str]:
    """Names in first-seen order, each once."""
    return list(dict.fromkeys(names))
