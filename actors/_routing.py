"""``Router``: where a run goes after a step — Commands, edges, joins, Sends, ``on_cancel``.

Kept apart from the supervisor, which owns *when* things happen (steps, stops, time
limits); the router only answers *where to*. Without a stop, a node's Command ``goto``
and its static and conditional edges are all followed, as in LangGraph. After a stop, a
node that answered the Cancel is followed only where its Command says; one that re-raised,
returned no ``goto``, was escalated, or had finished before the stop reached it takes its
``on_cancel`` route, or ends there — and the step it would have taken is kept for resume.

A step's executions are ``Task``\\ s: a node reached by an edge runs once (its task id is
its name); each ``Send`` is a task of its own (``"worker[2]"``), so one node may run several
times in a step. Tasks are routed, and their updates merged, in LangGraph's order: the
nodes reached by edges by name, then the Sends in the order they were made.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from ._command import Send
from ._constants import END, START
from ._error_handler import Recovered
from ._errors import UnknownNodeError
from ._events import TransitionReason
from ._messages import ESCALATED, Finished, new_tuple

if TYPE_CHECKING:
    from ._graph import CompiledGraph


class Task(NamedTuple):
    """One execution in a step."""

    id: str
    """Unique in the step: the node's name, or for a Send ``"node[i]"``."""
    node: str
    send: Send | None = None
    """The Send this task runs (its ``arg`` is the node's input), else None: the state."""
    order: int = 0
    """A Send's position among the step's Sends (LangGraph's merge order)."""


def task_order(task: Task) -> tuple[int, str, int]:
    """LangGraph's order for applying a step's writes: edge-reached nodes by name, then
    Sends by index."""
    return (0, task.node, 0) if task.send is None else (1, "", task.order)


_NODE = itemgetter(1)
_ORDER = itemgetter(3)


def in_task_order(tasks: list[Task]) -> list[Task]:
    """``sorted(tasks, key=task_order)`` without a key tuple per task: a step's Sends are
    already in their order (a fan-out of W Sends is not sorted again, only checked)."""
    if len(tasks) < 2:
        return tasks
    pulled = [t for t in tasks if t.send is None]
    if len(pulled) == len(tasks):
        pulled.sort(key=_NODE)
        return pulled
    pushed = [t for t in tasks if t.send is not None]
    pulled.sort(key=_NODE)
    pushed.sort(key=_ORDER)  # (timsort: linear on a list already in order)
    return pulled + pushed


class Route(NamedTuple):
    """One transition to publish."""

    src: str
    dst: str
    reason: TransitionReason
    branch: str | None = None
    """The key a conditional edge's path function returned, when it chose ``dst``."""
    step: int | None = None
    """The step ``src`` ran in, when it is not the current one (a join source that
    finished before the join's last source)."""
    send: Send | None = None
    """The Send that makes ``dst`` run on an input of its own."""
    task: str | None = None
    """The task id the Send runs as (set when the next step's tasks are made)."""


@dataclass(slots=True)
class StepRoutes:
    """The routing decision after one step."""

    routes: list[Route] = field(default_factory=list)
    """Every transition, in task order, including those to END."""
    frontier: list[Task] = field(default_factory=list)
    """The next step's tasks: each edge-reached node once, then each Send."""
    resume_next: list[str] = field(default_factory=list)
    """After a stop: the nodes the stop kept from running (where a resume starts)."""
    escalated_unrouted: bool = False
    """A node was escalated past its grace with no ``on_cancel`` route."""


Resolved = dict[str, list[tuple[str, str] | Send]]
"""node -> the ``(key, destination)`` pairs its conditional edges chose, and their Sends."""


class _Plan:
    """What routing needs of a graph that never changes: made once per compiled graph and
    shared by its runs (routes and tasks are immutable tuples, so every step can reuse
    them instead of making them anew)."""

    def __init__(self, graph: CompiledGraph) -> None:
        # source node -> the indices of the joins it feeds (so routing a finished source
        # costs O(its joins), not a scan of every join's sources)
        joins_of: dict[str, list[int]] = {}
        for index, (sources, _) in enumerate(graph.joins):
            for src in dict.fromkeys(sources):
                joins_of.setdefault(src, []).append(index)
        self.joins_of = joins_of
        self.join_size = [len(set(sources)) for sources, _ in graph.joins]
        # node -> the routes of its static edges
        self.edge_routes: dict[str, tuple[Route, ...]] = {
            node: tuple(Route(node, dst, "edge") for dst in dsts)
            for node, dsts in graph.edges.items()
        }
        # node -> the task that runs it when an edge or a name reaches it
        self.pulled: dict[str, Task] = {name: Task(name, name) for name in graph.nodes}
        # node -> its route to END, taken when nothing else leads on from it
        self.end_routes: dict[str, tuple[Route, ...]] = {
            name: _to_end(name) for name in graph.nodes
        }
        # node -> its routes and next step's tasks, for a node whose routing is fixed: at
        # most one static edge (none: END), to a known node or END, no conditional edge, no
        # join (what a chain is made of). Followed when it finishes without a goto.
        self.straight: dict[str, tuple[tuple[Route, ...], tuple[Task, ...]]] = {}
        for name in graph.nodes:
            dsts = tuple(graph.edges.get(name, ()))
            if len(dsts) > 1 or name in joins_of or name in graph.branches:
                continue
            dst = dsts[0] if dsts else END
            if dst == END:
                self.straight[name] = ((Route(name, END, "edge"),), ())
            elif dst in self.pulled:
                self.straight[name] = ((Route(name, dst, "edge"),), (self.pulled[dst],))
        # node -> the task ids of its Sends, ``node[i]`` at index i, made once (a list is
        # only ever replaced by a longer one, never changed: runs in other threads may
        # read the one they have)
        self.send_ids: dict[str, list[str]] = {}

    def send_ids_of(self, node: str, count: int) -> list[str]:
        """At least ``count`` task ids of ``node``'s Sends."""
        ids = self.send_ids.get(node, [])
        if len(ids) < count:
            more = max(count, 2 * len(ids), 16)
            ids = self.send_ids[node] = ids + [f"{node}[{i}]" for i in range(len(ids), more)]
        return ids


_PLANS: weakref.WeakKeyDictionary[Any, _Plan] = weakref.WeakKeyDictionary()


class Router:
    """Routes one run. Holds the only routing state: which join sources have finished."""

    def __init__(self, graph: CompiledGraph, config: dict[str, Any]) -> None:
        self.graph = graph
        self.config = config
        # wait-for-all edges, by index into graph.joins: the sources finished since the
        # join last fired, each with the step it finished in (insertion order kept)
        self._arrived: list[dict[str, int]] = [{} for _ in graph.joins]
        plan = _PLANS.get(graph)
        if plan is None:
            plan = _PLANS[graph] = _Plan(graph)
        self._joins_of = plan.joins_of
        self._join_size = plan.join_size
        self._edge_routes = plan.edge_routes
        self._pulled = plan.pulled
        self._end_routes = plan.end_routes
        self._straight = plan.straight
        self._plan = plan

    def joins_snapshot(self) -> dict[str, dict[str, int]]:
        """The joins in progress (key -> source -> the step it finished in), for a
        thread's checkpoint."""
        return {
            _join_key(join): dict(arrived)
            for join, arrived in zip(self.graph.joins, self._arrived, strict=True)
            if arrived
        }

    def restore_joins(self, snapshot: Any) -> None:
        """Take up the join progress a checkpoint recorded (unknown joins are ignored)."""
        for join, arrived in zip(self.graph.joins, self._arrived, strict=True):
            arrived.clear()
            arrived.update(snapshot.get(_join_key(join), {}))

    async def resolve(self, nodes: list[str], state: Any) -> Resolved:
        """Run the conditional edges (the user's path functions) of ``nodes`` on ``state``:
        node -> ``(key, destination)`` pairs. The only routing that awaits, so it is done
        apart."""
        out: Resolved = {}
        for node in nodes:
            dsts = out[node] = []
            for branch in self.graph.branches.get(node, ()):
                try:
                    dsts.extend(await branch.resolve(state, self.config))
                except Exception as exc:
                    exc.add_note(f"raised by the conditional edge from '{node}'")
                    raise
        return out

    def entry(self, resolved: Resolved) -> StepRoutes:
        """The transitions out of START (``resolved`` holds its conditional edges' answer)."""
        out = StepRoutes(list(self.normal(START, (), resolved, 0)))
        self._check_and_plan(out)
        return out

    def straight(
        self, task: Task, answers: dict[str, Any], gotos: dict[str, tuple[str | Send, ...]]
    ) -> tuple[tuple[Route, ...], tuple[Task, ...]] | None:
        """The routes and next tasks of a step of one task of a chain node (at most one
        static edge, no conditional edge, no join) that finished without a goto, made once
        per graph; None for any other step (``after_step`` routes it)."""
        straight = self._straight.get(task.node)
        if straight is None:
            return None
        answer = answers.get(task.id)
        if type(answer) is Finished and not gotos[task.id]:
            if not isinstance(answer.value, Recovered):
                return straight
        return None

    def after_step(
        self,
        tasks: list[Task],
        answers: dict[str, Any],
        gotos: dict[str, tuple[str | Send, ...]],
        resolved: Resolved,
        step: int,
        *,
        stopped: bool,
        shielded: bool,
    ) -> StepRoutes:
        """Route every task of the step, in LangGraph's order (``task_order``).

        ``answers`` maps a task id to its ``Finished``/``Cancelled`` answer or ``ESCALATED``;
        ``gotos`` a finished task's Command destinations; ``resolved`` holds the
        destinations of the conditional edges of the nodes that finished (see ``resolve``);
        ``stopped`` says a stop has been asked; ``shielded`` that this step's nodes started
        after it (cleanup), so they route as usual.
        """
        if len(tasks) == 1 and (not stopped or shielded):
            straight = self.straight(tasks[0], answers, gotos)
            if straight is not None:
                return StepRoutes(list(straight[0]), list(straight[1]), [], False)
        out = StepRoutes()
        routes = out.routes
        nodes = self.graph.nodes
        # the last node routed by its static edges alone, and those routes: its other
        # tasks (a fan-out's Sends, in a row in task order) route the same way
        same: str | None = None
        same_routes: Sequence[Route] = ()
        for task in in_task_order(tasks):
            answer = answers.get(task.id)
            if answer is None:
                continue
            node = task.node
            if isinstance(answer, Finished):
                goto = gotos[task.id]
                if isinstance(answer.value, Recovered):
                    # it failed; its error handler answered: only the handler's goto is
                    # followed (the node's own edges and joins are not, as in LangGraph)
                    routes.extend(_command_routes(node, goto) or [Route(node, END, "edge")])
                elif not stopped or shielded:
                    if node == same and not goto:
                        routes.extend(same_routes)
                        continue
                    found = self.normal(node, goto, resolved, step)
                    routes.extend(found)
                    if not goto and type(found) is tuple:  # shared: no join, no branch
                        same, same_routes = node, found
                elif answer.answered_cancel and goto:
                    routes.extend(_command_routes(node, goto))
                else:  # finished before the stop reached it, or drained
                    normal = self.normal(node, goto, resolved, step)
                    out.resume_next.extend(r.dst for r in normal if r.dst != END)
                    on_cancel = nodes[node].on_cancel
                    if on_cancel:
                        routes.append(Route(node, on_cancel, "cancel_route"))
            else:  # re-raised the Cancel, or escalated
                out.resume_next.append(node)
                on_cancel = nodes[node].on_cancel
                if on_cancel:
                    routes.append(Route(node, on_cancel, "cancel_route"))
                elif answer is ESCALATED:
                    out.escalated_unrouted = True
        self._check_and_plan(out)
        if out.resume_next:
            out.resume_next = dedupe(out.resume_next)
        if out.frontier:
            out.escalated_unrouted = False  # the run goes on: it ends by what comes next
        return out

    def _check_and_plan(self, out: StepRoutes) -> None:
        """Check every destination exists, then make the next step's tasks: each node
        reached by an edge or a name once, then one task per Send (ids ``node[i]``)."""
        known = self.graph.nodes
        pulled: dict[str, None] = {}
        pushed: list[Task] = []
        routes = out.routes
        last = None
        ids: list[str] = []  # the task ids of the last Send's node
        ids_of = ""
        for i, route in enumerate(routes):
            if route is last:  # a shared route again (a fan-out's): nothing new to plan
                continue
            last = route
            src, dst, reason, branch, step, send, _ = route
            if send is None:
                if dst != END:
                    if dst not in known:
                        raise UnknownNodeError(
                            f"goto '{dst}': no such node; known nodes: {', '.join(known)}"
                        )
                    pulled[dst] = None
            else:
                if dst not in known:
                    raise UnknownNodeError(
                        f"Send to '{dst}': no such node; known nodes: {', '.join(known)}"
                    )
                n = len(pushed)
                if dst != ids_of or n >= len(ids):
                    ids, ids_of = self._plan.send_ids_of(dst, n + 1), dst
                task = new_tuple(Task, (ids[n], dst, send, n))
                # (the route with its task id; tuple.__new__: _replace costs 6x as much)
                routes[i] = new_tuple(Route, (src, dst, reason, branch, step, send, task.id))
                pushed.append(task)
        made = self._pulled
        frontier = [made[name] for name in pulled]
        if pushed:
            frontier += pushed
        out.frontier = frontier

    def normal(
        self, node: str, goto: tuple[str | Send, ...], resolved: Resolved, step: int
    ) -> Sequence[Route]:
        """Where a node's routing leads without a stop: its Command's goto, its static and
        conditional edges (all followed, as in LangGraph), its joins; else END.

        A join source that is not the join's last to finish goes nowhere yet: when the
        last one finishes, every source's transition into the join is published then
        (each with the step it ran in), and the join's progress starts afresh, so a join
        inside a loop fires once per pass.
        """
        edge_routes = self._edge_routes.get(node)
        chosen = resolved.get(node) if resolved else None
        joins = self._joins_of.get(node)
        if not goto and chosen is None:
            if joins is None:  # static edges only (shared)
                if edge_routes:
                    return edge_routes
                return () if node == START else self._end_routes.get(node) or _to_end(node)
            if not edge_routes:  # a join's source and nothing else (a wide join's W - 1
                return self._arrive(node, joins, step, ())  # sources make nothing)
        routes = _command_routes(node, goto) if goto else []
        if edge_routes:
            routes.extend(edge_routes)
        for dst in chosen or ():
            if isinstance(dst, Send):  # (its task id is given by _check_and_plan)
                routes.append(new_tuple(Route, (node, dst.node, "edge", None, None, dst, None)))
            else:  # (key, destination)
                routes.append(Route(node, dst[1], "edge", dst[0]))
        if joins is not None:
            return self._arrive(node, joins, step, routes)
        if not routes and node != START:
            routes.append(Route(node, END, "edge"))
        return routes

    def _arrive(
        self, node: str, joins: list[int], step: int, routes: Sequence[Route]
    ) -> Sequence[Route]:
        """``node`` finished: record it with each join it feeds; a join whose last source
        it is fires (``routes`` plus every source's route into the join)."""
        for index in joins:
            arrived = self._arrived[index]
            arrived[node] = step
            if len(arrived) == self._join_size[index]:
                dst = self.graph.joins[index][1]
                routes = [
                    *routes,
                    *(
                        new_tuple(
                            Route, (src, dst, "edge", None, None if at == step else at, None, None)
                        )
                        for src, at in arrived.items()
                    ),
                ]
                arrived.clear()
        return routes


def _command_routes(node: str, goto: tuple[str | Send, ...]) -> list[Route]:
    return [
        Route(node, dst, "command")
        if isinstance(dst, str)
        else Route(node, dst.node, "command", None, None, dst)
        for dst in goto
    ]


def _join_key(join: tuple[tuple[str, ...], str]) -> str:
    return f"{','.join(join[0])}->{join[1]}"


def dedupe(names: Any) -> list[str]:
    """Names in first-seen order, each once."""
    return list(dict.fromkeys(names))


def _to_end(node: str) -> tuple[Route, ...]:
    return (Route(node, END, "edge"),)
