"""Random graphs for the stop-ladder fuzz, the nodes they run, and the ladder's oracle.

A ``GraphSpec`` is plain data that hypothesis draws; ``build`` turns it into a compiled graph
whose nodes write down what they really did (``Recorder``). ``expected_skeleton`` replays
DESIGN.md's stop ladder over a run's events: the answers of the nodes and the moments the
supervisor read a stop are timing, so they are taken from the events; everything else (which
nodes start, shielded or not, who is told to stop, every transition and its reason, the merged
state, where a resume would start, the final status) is prescribed by the ladder and compared.
"""

from __future__ import annotations

import asyncio
import operator
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel

from graphstage import (
    END,
    START,
    Command,
    CustomOutput,
    Event,
    NodeCancelled,
    NodeFailed,
    NodeFinished,
    NodeStarted,
    RunFinished,
    RunStarted,
    StateGraph,
    StateUpdated,
    StopRequested,
    Transition,
)

BEHAVIOURS = ("finish", "command", "reraise", "stubborn", "raises", "sync")
"""What a work node does when a stop reaches it:

* ``finish``: nothing special; the CancelledError propagates from its await.
* ``command``: catches it and returns ``Command(goto=<its cleanup>)``.
* ``reraise``: catches it, notes it, re-raises.
* ``stubborn``: catches it and keeps working far past the grace period.
* ``raises``: raises ``Boom`` (after its work, or in answer to the stop).
* ``sync``: a plain ``def`` in a worker thread polling ``ctx.cancel_requested`` every ms;
  answers with ``Command(goto=<its cleanup>)`` or with ``None`` (``sync_goto``).
"""

CLEANUPS = ("c0", "c1")
"""The cleanup nodes; several work nodes may name the same one."""


class FuzzState(BaseModel):
    log: Annotated[list[str], operator.add] = []


class Boom(Exception):
    """What a ``raises`` node raises."""


@dataclass(frozen=True)
class WorkNode:
    name: str
    behaviour: str
    work_ms: int
    """How long it works when nobody stops it."""
    cleanup: str
    """The cleanup node its Command goes to (``command`` and ``sync`` nodes)."""
    on_cancel: str | None
    sync_goto: bool = True


@dataclass(frozen=True)
class GraphSpec:
    nodes: tuple[WorkNode, ...]
    entry: tuple[str, ...]
    edges: tuple[tuple[str, str], ...] = ()
    branches: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(source, targets): the branch goes to ``targets[len(state.log) % len(targets)]``."""
    joins: tuple[tuple[tuple[str, ...], str], ...] = ()
    cancel_grace: float = 0.1
    recursion_limit: int = 8

    def node(self, name: str) -> WorkNode | None:
        return next((n for n in self.nodes if n.name == name), None)

    def on_cancel(self, name: str) -> str | None:
        node = self.node(name)
        return node.on_cancel if node is not None else None

    @property
    def max_work(self) -> float:
        return max(n.work_ms for n in self.nodes) / 1000


def pick(targets: tuple[str, ...], log: list[str]) -> str:
    return targets[len(log) % len(targets)]


# -- what the nodes really did -----------------------------------------------------------


@dataclass
class Recorder:
    """Written by the node functions themselves (from the loop or a worker thread)."""

    notes: list[tuple[str, int, str]] = field(default_factory=list)
    """(node, step, what): started, finished, command, answered, reraised, ignored,
    abandoned, raised, cleanup."""
    finished_at: dict[tuple[str, int], float] = field(default_factory=dict)
    """(node, step) -> ``time.time()`` when a work node returned after its whole work."""
    cleanup_first_line: dict[str, float] = field(default_factory=dict)
    """cleanup node -> ``time.perf_counter()`` at its first line."""
    threads_in_nodes: int = 0
    """Worker threads inside a sync node function right now."""
    no_threads_in_nodes: threading.Event = field(default_factory=threading.Event)
    """Set whenever ``threads_in_nodes`` is 0."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.no_threads_in_nodes.set()

    def note(self, node: str, step: int, what: str) -> None:
        self.notes.append((node, step, what))  # list.append is atomic: safe from threads

    def did(self, node: str, step: int) -> list[str]:
        return [what for n, s, what in self.notes if (n, s) == (node, step)]

    def thread_enters(self) -> None:
        with self._lock:
            self.threads_in_nodes += 1
            self.no_threads_in_nodes.clear()

    def thread_leaves(self) -> None:
        with self._lock:
            self.threads_in_nodes -= 1
            if not self.threads_in_nodes:
                self.no_threads_in_nodes.set()


def _async_node(spec: WorkNode, rec: Recorder) -> Any:
    name, behaviour = spec.name, spec.behaviour

    async def node(state: FuzzState, ctx: Any) -> Any:
        rec.note(name, ctx.step, "started")
        ctx.writer(f"{name} at work")
        try:
            await asyncio.sleep(spec.work_ms / 1000)
        except asyncio.CancelledError:
            if behaviour == "command":
                rec.note(name, ctx.step, "command")
                return Command(goto=spec.cleanup, update={"log": [f"{name}:stopped"]})
            if behaviour == "stubborn":
                rec.note(name, ctx.step, "ignored")
                try:
                    await asyncio.sleep(30)  # keeps working; only a second cancel ends this
                except asyncio.CancelledError:
                    rec.note(name, ctx.step, "abandoned")
                    raise
                return {"log": [f"{name}:late"]}
            if behaviour == "raises":
                rec.note(name, ctx.step, "raised")
                raise Boom(f"{name} failed while stopping") from None
            rec.note(name, ctx.step, "reraised")
            raise
        if behaviour == "raises":
            rec.note(name, ctx.step, "raised")
            raise Boom(f"{name} failed")
        rec.finished_at[name, ctx.step] = time.time()
        rec.note(name, ctx.step, "finished")
        return {"log": [name]}

    return node


def _sync_node(spec: WorkNode, rec: Recorder) -> Any:
    name = spec.name

    def node(state: FuzzState, ctx: Any) -> Any:
        rec.thread_enters()
        try:
            rec.note(name, ctx.step, "started")
            deadline = time.monotonic() + spec.work_ms / 1000
            while time.monotonic() < deadline:
                if ctx.cancel_requested:
                    rec.note(name, ctx.step, "answered")
                    if spec.sync_goto:
                        return Command(goto=spec.cleanup, update={"log": [f"{name}:stopped"]})
                    return None
                time.sleep(0.001)
            rec.finished_at[name, ctx.step] = time.time()
            rec.note(name, ctx.step, "finished")
            return {"log": [name]}
        finally:
            rec.thread_leaves()

    return node


def _cleanup_node(name: str, rec: Recorder) -> Any:
    async def cleanup(state: FuzzState, ctx: Any) -> dict[str, list[str]]:
        rec.cleanup_first_line.setdefault(name, time.perf_counter())
        rec.note(name, ctx.step, "cleanup")
        return {"log": [name]}

    return cleanup


def build(spec: GraphSpec, rec: Recorder, **compile_kw: Any) -> Any:
    builder = StateGraph(FuzzState, name="fuzz")
    for node in spec.nodes:
        fn = _sync_node(node, rec) if node.behaviour == "sync" else _async_node(node, rec)
        builder.add_node(node.name, fn, on_cancel=node.on_cancel)
    for name in CLEANUPS:
        builder.add_node(name, _cleanup_node(name, rec))
        builder.add_edge(name, END)
    for dst in spec.entry:
        builder.add_edge(START, dst)
    for src, dst in spec.edges:
        builder.add_edge(src, dst)
    for src, targets in spec.branches:
        builder.add_conditional_edges(
            src, lambda state, targets=targets: pick(targets, state.log), list(targets)
        )
    for sources, dst in spec.joins:
        builder.add_edge(list(sources), dst)
    return builder.compile(cancel_grace=spec.cancel_grace, **compile_kw)


# -- the oracle ----------------------------------------------------------------------------


def skeleton(events: Iterable[Event]) -> list[tuple[Any, ...]]:
    """The events as comparable tuples, without times, ids and custom output."""
    out: list[tuple[Any, ...]] = []
    values: dict[str, Any] = {}  # rebuilt from the deltas the StateUpdated events carry
    for e in events:
        if isinstance(e, RunStarted):
            values = {"log": _log(e.input)}
            out.append(("RunStarted",))
        elif isinstance(e, NodeStarted):
            out.append(("NodeStarted", e.node, e.step, e.shielded))
        elif isinstance(e, NodeFinished):
            update = tuple((e.update or {}).get("log", ()))
            out.append(("NodeFinished", e.node, e.step, e.goto, e.answered_cancel, update))
        elif isinstance(e, NodeCancelled):
            out.append(("NodeCancelled", e.node, e.step, e.how))
        elif isinstance(e, NodeFailed):
            out.append(("NodeFailed", e.node, e.step, e.error_type))
        elif isinstance(e, StopRequested):
            out.append(("StopRequested", e.mode, e.nodes))
        elif isinstance(e, StateUpdated):
            values = e.apply(values)
            out.append(("StateUpdated", e.step, tuple(_log(values)), e.next))
        elif isinstance(e, Transition):
            out.append(("Transition", e.src, e.dst, e.reason, e.step, e.after_stop))
        elif isinstance(e, RunFinished):
            out.append(("RunFinished", e.status, e.steps, tuple(_log(e.values)), e.next))
        else:
            assert isinstance(e, CustomOutput), e
    return out


def _log(values: Any) -> list[str]:
    return list(values["log"] if isinstance(values, dict) else values.log)


def _dedupe(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


@dataclass
class Ladder:
    """DESIGN.md's stop ladder, replayed over one run's events (see ``expected_skeleton``)."""

    spec: GraphSpec
    actual: list[tuple[Any, ...]]
    kill_called: bool = False
    """``kill()`` was called before the run settled (it may have raced the run's end)."""
    known_bugs: frozenset[str] = frozenset()
    held: bool = False
    """A stream holds the run (``astream``: graphstage._hold) and hands chunks over while
    tasks run: a stop may find the run between steps, or before a step is applied."""
    exp: list[tuple[Any, ...]] = field(default_factory=list)
    # wait-for-all edges: sources seen finished since the join's target last ran, each with
    # the step it finished in
    joins_seen: dict[tuple[tuple[str, ...], str], dict[str, int]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def stopped_while_held(self, stop_mode: str | None) -> bool:
        """A graceful stop reached the run while a stream held it (no node running): it is
        expected there, naming no node, and ends the run."""
        ev = self.peek()
        if not self.held or stop_mode is not None or ev is None:
            return False
        if ev[:3] != ("StopRequested", "graceful", ()):
            return False
        self.exp.append(ev)
        return True

    def peek(self) -> tuple[Any, ...] | None:
        i = len(self.exp)
        return self.actual[i] if i < len(self.actual) else None

    def routes_from(
        self, node: str, goto: tuple[str, ...], step: int = 0
    ) -> list[tuple[str, str, str, int]]:
        """A node's normal routing: its goto, its edges, its branches, then its joins.

        Each route carries the step its source ran in: a join source that waited for the
        join's other sources is routed into the join when the last one finishes."""
        spec = self.spec
        routes = [(node, dst, "command", step) for dst in goto]
        if node == START:
            routes += [(node, dst, "edge", step) for dst in spec.entry]
        routes += [(node, dst, "edge", step) for src, dst in spec.edges if src == node]
        if node in CLEANUPS:
            routes.append((node, END, "edge", step))
        routes += [
            (node, pick(targets, self.log), "edge", step)
            for src, targets in spec.branches
            if src == node
        ]
        feeds_a_join = False
        for join, seen in self.joins_seen.items():
            if node in join[0]:
                feeds_a_join = True
                seen[node] = step
                if set(seen).issuperset(join[0]):
                    routes += [(src, join[1], "edge", at) for src, at in seen.items()]
                    seen.clear()
        if not routes and node != START and not feeds_a_join:
            routes.append((node, END, "edge", step))
        return routes

    def expected_skeleton(self) -> list[tuple[Any, ...]]:
        """What the ladder prescribes, event by event, given the observed answers."""
        spec, exp = self.spec, self.exp
        self.joins_seen = {join: {} for join in spec.joins}
        stop_mode: str | None = None
        killed = escalated_unrouted = False
        failed: str | None = None
        exp.append(("RunStarted",))
        routes = self.routes_from(START, ())
        exp.extend(("Transition", s, d, r, 0, False) for s, d, r, _ in routes)
        frontier = _dedupe(d for _, d, _, _ in routes if d != END)
        step = 0
        resume_next: tuple[str, ...] = ()
        while frontier:
            if self.stopped_while_held(stop_mode):
                # held between steps: the run ends there, this step not started
                stop_mode, resume_next = "graceful", tuple(frontier)
                break
            step += 1
            shielded = stop_mode is not None
            resume_next = tuple(frontier)
            exp.extend(("NodeStarted", n, step, shielded) for n in frontier)
            active = list(frontier)
            told: set[str] = set()
            answers: dict[str, tuple[Any, ...]] = {}
            while active:
                ev = self.peek()
                if ev is None:
                    exp.append(("<the run ended with nodes still active>", tuple(active)))
                    return exp
                if ev[0] == "StopRequested" and ev[1] == "kill":
                    exp.append(("StopRequested", "kill", tuple(active)))
                    exp.extend(("NodeCancelled", n, step, "killed") for n in active)
                    killed = True
                    break
                if ev[0] == "StopRequested":
                    mode = ev[1]
                    if stop_mode == "graceful" or (stop_mode == "drain" and mode == "drain"):
                        exp.append(("<no second StopRequested>", mode))
                        return exp
                    stop_mode = mode
                    nodes = tuple(
                        n for n in active if mode == "graceful" and not shielded and n not in told
                    )
                    told.update(nodes)
                    exp.append(("StopRequested", mode, nodes))
                    continue
                if ev[0] not in ("NodeFinished", "NodeCancelled", "NodeFailed") or (
                    ev[1] not in active or ev[2] != step
                ):
                    exp.append(("<an answer from an active node of step>", step, tuple(active)))
                    return exp
                node = ev[1]
                if ev[0] == "NodeCancelled" and ev[3] == "killed":
                    exp.append(("<no NodeCancelled(killed) without a kill or a failure>", node))
                    return exp
                if ev[0] == "NodeCancelled" and ev[3] == "escalated" and node not in told:
                    exp.append(("<escalated only after a Cancel>", node))
                    return exp
                exp.append(ev)
                active.remove(node)
                answers[node] = ev
                reraised_unasked = ev[0] == "NodeCancelled" and stop_mode is None
                if ev[0] == "NodeFailed" or reraised_unasked:
                    failed = "Boom" if ev[0] == "NodeFailed" else "CancelledError"
                    exp.extend(("NodeCancelled", n, step, "killed") for n in active)
                    break
            if not (killed or failed) and self.kill_called:
                # a kill that lands while the step's last answer waits in the supervisor's
                # inbox: the step is not settled, and the run ends killed
                ev = self.peek()
                if ev is not None and ev[:2] == ("StopRequested", "kill"):
                    exp.append(("StopRequested", "kill", ()))
                    killed = True
            if killed or failed:
                break
            if self.stopped_while_held(stop_mode):
                # held before the step is applied: the run ends with it not applied
                stop_mode, resume_next = "graceful", tuple(frontier)
                break
            # updates merge, and nodes route, in LangGraph's order: by node name
            for node in sorted(frontier):
                answer = answers[node]
                if answer[0] == "NodeFinished":
                    self.log.extend(answer[5])
            stopped = stop_mode is not None
            routes = []
            drained_next: list[str] = []
            for node in sorted(frontier):
                answer = answers[node]
                on_cancel = spec.on_cancel(node)
                if answer[0] == "NodeFinished":
                    goto, answered = answer[3], answer[4]
                    if not stopped or shielded:
                        routes += self.routes_from(node, goto, step)
                    elif answered and goto:
                        routes += [(node, dst, "command", step) for dst in goto]
                    else:  # finished before the Cancel reached it, or drained
                        normal = self.routes_from(node, goto, step)
                        drained_next += [d for _, d, _, _ in normal if d != END]
                        if on_cancel:
                            routes.append((node, on_cancel, "cancel_route", step))
                else:  # re-raised the Cancel, or escalated
                    drained_next.append(node)
                    if on_cancel:
                        routes.append((node, on_cancel, "cancel_route", step))
                    elif answer[3] == "escalated":
                        escalated_unrouted = True
            frontier = _dedupe(d for _, d, _, _ in routes if d != END)
            if stopped:
                resume_next = tuple(frontier or _dedupe(drained_next))
            nxt = (tuple(frontier) or resume_next) if stopped else tuple(frontier)
            exp.append(("StateUpdated", step, tuple(self.log), nxt))
            exp.extend(("Transition", s, d, r, at, stopped) for s, d, r, at in routes)
            if frontier:
                escalated_unrouted = False
            # as LangGraph: the limit's last step is applied, then the run fails, even if it
            # would end there (unless a stop ends it)
            if step >= spec.recursion_limit and (frontier or stop_mode is None):
                failed = "GraphRecursionError"
                resume_next = tuple(frontier)  # the step the limit prevented
                break
        if killed:
            status = "killed"
        elif failed:
            status = "failed"
        elif stop_mode is not None:
            status = "killed" if escalated_unrouted else "cancelled"
        else:
            status = "completed"
        ev = self.peek()
        if (
            self.kill_called
            and not killed
            and ev is not None
            and ev[:2] == ("StopRequested", "kill")
        ):
            # kill() landed after the last step was settled (or after a node failed), before
            # the run ended: "killed" wins, as the run had not ended yet
            exp.append(("StopRequested", "kill", ()))
            status = "killed"
        nxt = resume_next if status != "completed" else ()
        exp.append(("RunFinished", status, step, tuple(self.log), nxt))
        return exp

    @property
    def told_to_stop(self) -> set[tuple[str, int]]:
        """(node, step) of every node a graceful StopRequested named."""
        told: set[tuple[str, int]] = set()
        step = 0
        for ev in self.actual:
            if ev[0] == "NodeStarted":
                step = ev[2]
            elif ev[0] == "StopRequested" and ev[1] == "graceful":
                told.update((n, step) for n in ev[2])
        return told


def answers_match_what_nodes_did(
    actual: list[tuple[Any, ...]], rec: Recorder, spec: GraphSpec, known_bugs: frozenset[str]
) -> list[str]:
    """Each answer the supervisor published agrees with what the node's code really did.

    Returns the disagreements (empty when all agree)."""
    problems: list[str] = []
    for ev in actual:
        if ev[0] not in ("NodeFinished", "NodeCancelled", "NodeFailed"):
            continue
        node, step = ev[1], ev[2]
        did = rec.did(node, step)
        work = spec.node(node)
        if work is None:  # a cleanup node
            ok = (ev[0] == "NodeFinished" and did == ["cleanup"]) or ev[3:4] == ("killed",)
        elif ev[0] == "NodeFinished" and not ev[4]:
            ok = did[-1:] == ["finished"] and ev[3] == () and ev[5] == (node,)
        elif ev[0] == "NodeFinished":
            answered = did[-1:] in (["command"], ["answered"])
            goto = (work.cleanup,) if work.behaviour == "command" or work.sync_goto else ()
            ok = answered and ev[3] == goto
        elif ev[0] == "NodeFailed":
            ok = "raised" in did
        elif ev[3] == "reraised":
            ok = "reraised" in did
        elif ev[3] == "escalated":
            ok = "ignored" in did or ("stop-before-start" in known_bugs and not did)
        else:  # killed: whatever the node was doing
            ok = True
        if not ok:
            problems.append(f"{ev} but the node did {did}")
    return problems
