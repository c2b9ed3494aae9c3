"""Subgraph checkpoints: a graph run inside a node of a run on a thread keeps its own
checkpoints in that thread, under the node's namespace (``checkpoint_ns``), as LangGraph's
subgraphs do — a compiled graph added as a node, and a graph a node invokes itself.

A subgraph that pauses (an ``interrupt()`` in one of its nodes, or one of its own
breakpoints) pauses the whole run: its pause is the node's answer (``GraphInterrupt``), the
parent's checkpoint records the node as waiting with the subgraph's questions, and the
parent's result and stream carry them under ``__interrupt__``. ``Command(resume=...)`` on
the parent's thread runs the node again from its first line (as LangGraph does: code
before the subgraph runs again); the subgraph, started again inside it, continues from its
own checkpoint — its finished nodes are not run again — and its waiting node runs again
with the answer.

``compile(checkpointer=True)`` gives a subgraph one namespace per node (``parent|node``,
no task id) that every run of the parent's thread continues, so its state carries over
from one call to the next (LangGraph's persistent subgraph); ``checkpointer=False`` keeps
no checkpoints: an ``interrupt()`` inside it is the node's own (it runs in the node's
execution, whose answers it reads), so on resume the subgraph runs again from its start,
as LangGraph's does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._interrupt import GraphInterrupt
from .._node import current_node
from ._base import check_durability
from ._scope import current_scope, route_answers
from ._steps import StartPoint
from ._tasks import tasks_of
from ._thread import ThreadRun

if TYPE_CHECKING:
    from .._graph import CompiledGraph
    from .._run import RunResult


class NestedThreadRun(ThreadRun):
    """A subgraph run's link to its namespace in its parent's thread. The parent's run holds
    the thread (there is no claim of its own); when the parent runs the node again (a
    continuation of the step that was cut short), it continues from its checkpoint."""

    def __init__(self, graph: CompiledGraph, run_id: str, trail: bool = False) -> None:
        scope = current_scope()
        assert scope is not None
        self.scope = scope
        ns = scope.next_ns(persistent=graph.subgraph_checkpoints is True)
        config = {"configurable": {"thread_id": scope.thread_id, "checkpoint_ns": ns}}
        super().__init__(
            graph,
            scope.saver,
            config,
            run_id,
            interrupt_before=tuple(graph.interrupt_before),
            interrupt_after=tuple(graph.interrupt_after),
            durability=check_durability(scope.durability),
            trail=trail,  # a checkpoints stream shows them even if saved only at exit
        )
        self.parents = dict(scope.parents)
        self.replay = scope.replay
        self.extra_metadata = dict(scope.metadata)

    def ended(self) -> None:
        head = self.head
        if (
            self._unsaved
            and head is not None
            and not head.next
            and self.graph.subgraph_checkpoints is not True
        ):
            # under "exit", as LangGraph's: a subgraph that ran to its end leaves nothing
            # (only one that paused, stopped or failed saves its last checkpoint; one
            # compiled with checkpointer=True keeps its state for the next run)
            self._unsaved = False
        super().ended()

    def prepare(self, input: Any, *, stop_reason: str | None = None) -> Any:
        scope = self.scope
        if scope.replay is not None and scope.replay.first_visit(self.ns):
            # the parent travels back: start on the input from the state this graph had
            # at that point of the thread (LangGraph's ReplayState)
            bound = scope.replay.checkpoint_id
            before = next(
                (c for c in self.saver.list(self._config(None)) if c.checkpoint_id < bound),
                None,
            )
            return self._prepare(input, before, None)
        base = self.saver.get_tuple(self._config(None))
        if not scope.resuming or base is None:
            return self._prepare(input, base, None)  # a fresh start on its input
        answers = dict(base.answers)
        waiting = base.pending_interrupts
        by_id = {i.id: scope.answers[i.id] for i in waiting if i.id in scope.answers}
        if not by_id and len(waiting) == 1 and len(scope.answers) == 1:
            # the question's id changed (its checkpoint was edited): the one answer given
            # for this task is still its answer
            by_id = {waiting[0].id: next(iter(scope.answers.values()))}
        self.nested_answers = route_answers(base, by_id, self.resume_seed, answers)
        self._check_nodes(base)
        self.head = base
        self.resumed_from = base.run_id
        self.start = StartPoint(
            step=base.step,
            fresh=False,
            frontier=tasks_of(base),
            pending=dict(base.writes),
            answers=answers,
            joins=base.joins,
            skip_before=base.paused == "before" or bool(by_id),
            stop_reason=scope.stop_reason if waiting else None,
        )
        return self.graph.schema.validate_input(base.values, restore=True)


def nested_thread(
    graph: CompiledGraph,
    run_id: str,
    trail: bool = False,
    config: Mapping[str, Any] | None = None,
) -> NestedThreadRun | None:
    """The thread of a run of ``graph`` started inside a node of a run on a thread: its
    namespace in that thread (None when not inside such a node, or for a graph compiled
    with ``checkpointer=False``, which keeps no checkpoints: as LangGraph's; None too for
    a graph with a saver of its own invoked with a ``thread_id`` of another thread: it runs
    on that thread, in its own namespace, as LangGraph's). ``trail``: keep the checkpoints
    taken under ``durability="exit"`` for a ``checkpoints`` stream."""
    mode = graph.subgraph_checkpoints
    scope = current_scope()
    if scope is None:
        if mode is True:
            raise RuntimeError("checkpointer=True cannot be used for root graphs.")
        return None
    own = (config or {}).get("configurable") or {}
    thread_id = own.get("thread_id")
    if (
        graph.checkpointer is not None
        and thread_id not in (None, "")
        and (str(thread_id) != scope.thread_id)
    ):
        return None
    return None if mode is False else NestedThreadRun(graph, run_id, trail)


def raise_if_paused_inside_node(result: RunResult) -> None:
    """A graph run that paused, awaited inside a node of another run: its pause is the
    node's, so that run pauses too (``GraphInterrupt`` is the node's answer), as LangGraph's,
    whether or not that run keeps a thread."""
    if result.status == "paused" and (current_scope() is not None or current_node() is not None):
        raise GraphInterrupt(result.interrupts)
