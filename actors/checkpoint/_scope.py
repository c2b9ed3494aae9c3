"""``TaskScope``: what a graph started inside one node execution inherits from the run on a
thread that runs that node — the saver, the thread, and the namespace of its checkpoints.

Namespaces are LangGraph's: ``node:task`` (``task`` is the task's id in the checkpoint its
step starts from, the ``PregelTask.id`` that ``get_state`` shows, so the same step run again
after a pause finds the same namespace), joined by ``|`` level by level (``sub:…|inner:…``);
the second, third... graph one execution starts gets ``|1``, ``|2``... appended, as
LangGraph's subgraph counter does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._interrupt import current_slot, interrupt_id

if TYPE_CHECKING:
    from ._base import BaseCheckpointSaver, ThreadCheckpoint

NS_SEP = "|"
"""Between the levels of a namespace (LangGraph's ``NS_SEP``)."""
NS_END = ":"
"""Between a node's name and its task id in one level (LangGraph's ``NS_END``)."""


def task_uuid(checkpoint_id: str, task: str) -> str:
    """The id of task ``task`` (a node's name, or ``node[i]`` for a Send) in the step that
    starts from checkpoint ``checkpoint_id``."""
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{checkpoint_id}:{task}"))


def task_ns(parent_ns: str, node: str, checkpoint_id: str, task: str) -> str:
    """The namespace of the checkpoints of a graph that task ``task`` (running ``node``)
    starts, in a graph whose own namespace is ``parent_ns``."""
    own = f"{node}{NS_END}{task_uuid(checkpoint_id, task)}"
    return f"{parent_ns}{NS_SEP}{own}" if parent_ns else own


def node_path(ns: str) -> tuple[str, ...]:
    """The node names a namespace goes through (``"a:1|b:2|1"`` -> ``("a", "b")``): how a
    graph finds the subgraph whose checkpoints a config names."""
    return tuple(
        part.split(NS_END, 1)[0] for part in ns.split(NS_SEP) if part and not part.isdigit()
    )


@dataclass(slots=True)
class ReplayBound:
    """A run that travels back to a checkpoint of its thread (``invoke(None, config)`` with
    a ``checkpoint_id``, or a fork made with ``update_state``): a graph compiled with
    ``checkpointer=True`` that one of its nodes runs starts, the first time it runs in
    that run, from its own latest checkpoint taken before ``checkpoint_id``, so it sees
    the state it had at that point of the thread (LangGraph's ``ReplayState``)."""

    checkpoint_id: str
    visited: set[str] = field(default_factory=set)

    def first_visit(self, ns: str) -> bool:
        """True the first time a graph of namespace ``ns`` (its task id aside) starts."""
        stable = ns.rsplit(NS_END, 1)[0]
        if stable in self.visited:
            return False
        self.visited.add(stable)
        return True


@dataclass(slots=True)
class TaskScope:
    """One node execution of a run on a thread, as the graphs it starts see it."""

    saver: BaseCheckpointSaver
    thread_id: str
    parent_ns: str
    """The namespace of the run that executes the node (``""``: the thread's own graph)."""
    node: str
    task: str
    """The execution's task id (the node's name, or ``node[i]`` for a Send)."""
    checkpoint_id: str
    """The checkpoint the execution's step starts from."""
    resuming: bool
    """The execution runs again a step that was cut short (by an ``interrupt()`` or a stop):
    a graph it starts continues from its own checkpoint instead of starting on its input."""
    answers: Mapping[str, Any] = field(default_factory=dict)
    """Answers to the questions the graphs it runs asked, by interrupt id."""
    stop_reason: str | None = None
    """``stop_thread``: a graph it starts that waits at an ``interrupt()`` continues with
    this stop already asked, so its waiting node takes its cleanup route."""
    parents: Mapping[str, str] = field(default_factory=dict)
    """The ``parents`` of the checkpoints of a graph it starts: the executing run's own,
    and that run's namespace -> ``checkpoint_id`` (LangGraph's ``checkpoint_map``)."""
    durability: str = "async"
    """The run's ``durability``, which the graphs it starts keep (as LangGraph's)."""
    replay: ReplayBound | None = None
    """Set in a run that travels back in its thread (``ReplayBound``)."""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    """What the run's config adds to its checkpoints' metadata, which the graphs it
    starts add to theirs (LangGraph's subgraphs run with their parent's config)."""
    started: int = 0
    """How many graphs this execution has started so far."""

    def next_ns(self, persistent: bool = False) -> str:
        """The namespace of the next graph this execution starts; ``persistent`` (a graph
        compiled with ``checkpointer=True``): the node's own, the same in every run of the
        parent's thread (``parent_ns|node``), so the graph's state carries over."""
        n, self.started = self.started, self.started + 1
        if persistent:
            ns = f"{self.parent_ns}{NS_SEP}{self.node}" if self.parent_ns else self.node
        else:
            ns = task_ns(self.parent_ns, self.node, self.checkpoint_id, self.task)
        return ns if n == 0 else f"{ns}{NS_SEP}{n}"


def current_scope() -> TaskScope | None:
    """The scope of the node execution running in this task (or thread), if its run keeps
    a thread; None elsewhere."""
    slot = current_slot()
    scope = None if slot is None else slot.scope
    return scope if isinstance(scope, TaskScope) else None


def route_answers(
    base: ThreadCheckpoint,
    by_id: Mapping[str, Any],
    seed: Callable[[int, str], str],
    answers: dict[str, tuple[Any, ...]],
) -> dict[str, dict[str, Any]]:
    """Give each waiting question of ``base`` its answer in ``by_id``: a question a task
    asked itself (its id is the one its next ``interrupt()`` call makes, seeded by
    ``seed(step, task)``) gets it appended to ``answers[task]``, in call order; a question
    asked inside a graph the task runs is returned, by task then interrupt id, for that
    graph to answer when it continues (``TaskScope.answers``)."""
    nested: dict[str, dict[str, Any]] = {}
    step = base.step + 1  # the step cut short: the one the continuation runs first
    for task, items in base.interrupts.items():
        own = interrupt_id(seed(step, task), len(base.answers.get(task, ())))
        for item in items:
            if item.id not in by_id:
                continue
            if item.id == own:
                answers[task] = (*answers.get(task, ()), by_id[item.id])
            else:
                nested.setdefault(task, {})[item.id] = by_id[item.id]
    return nested


def task_configurable() -> dict[str, Any]:
    """What LangGraph adds to the ``configurable`` a node of a run on a thread receives:
    the node's own namespace (``checkpoint_ns``: where a graph it runs keeps its
    checkpoints), ``checkpoint_id`` None and the enclosing graphs' ``checkpoint_map``;
    empty outside such a node."""
    scope = current_scope()
    if scope is None:
        return {}
    return {
        "checkpoint_map": dict(scope.parents),
        "checkpoint_id": None,
        "checkpoint_ns": task_ns(scope.parent_ns, scope.node, scope.checkpoint_id, scope.task),
    }
