"""``get_state`` / ``get_state_history``: a thread's checkpoints as LangGraph's
``StateSnapshot`` (``_update`` turns edits into new checkpoints)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .._constants import START
from .._interrupt import Interrupt
from .._routing import in_task_order
from .._stream_tasks import folded_writes
from .._subgraph import subgraphs_of
from ._base import (
    BaseCheckpointSaver,
    ThreadCheckpoint,
    thread_config,
)
from ._scope import NS_SEP, task_ns, task_uuid
from ._tasks import null_inputs, tasks_of

if TYPE_CHECKING:
    from .._graph import CompiledGraph


class PregelTask(NamedTuple):
    """A node the checkpoint's next step runs, as LangGraph's ``PregelTask``."""

    id: str
    name: str
    path: tuple[Any, ...]
    error: str | None = None
    """Why the task failed: the exception's ``repr``, as LangGraph's savers keep it
    (``"CancelledError()"``: cancelled because a sibling failed). It runs again when the
    thread is continued."""
    interrupts: tuple[Interrupt, ...] = ()
    state: Any = None
    result: Any = None
    """What the node returned, if it already finished (the step was cut short)."""


class StateSnapshot(NamedTuple):
    """A thread's state at one checkpoint, as LangGraph's ``StateSnapshot``."""

    values: dict[str, Any]
    next: tuple[str, ...]
    """The nodes the next step runs (empty: the thread has reached its end)."""
    config: dict[str, Any]
    """Names this checkpoint: pass it to ``invoke(None, config)`` to run from here."""
    metadata: dict[str, Any] | None
    """``source`` (input, loop, update, fork), ``step`` and ``parents``."""
    created_at: str | None
    parent_config: dict[str, Any] | None
    tasks: tuple[PregelTask, ...]
    interrupts: tuple[Interrupt, ...]
    """The ``interrupt()`` questions waiting for an answer."""


def snapshot(
    graph: CompiledGraph,
    checkpoint: ThreadCheckpoint | None,
    config: Any,
    saver: BaseCheckpointSaver | None = None,
    subgraphs: bool = False,
    *,
    live: bool = True,
) -> Any:
    """The ``StateSnapshot`` of ``checkpoint`` (an empty one for an empty thread).

    As LangGraph 1.2: ``live`` (``get_state`` of a thread's latest, no ``checkpoint_id``)
    shows where the thread stands — the writes of the tasks that finished in a step cut
    short applied to ``values``, and only the tasks still to run in ``next``; otherwise
    (history, or a named checkpoint) the snapshot is a record of the step: values as the
    step started, every task of the step in ``next``. ``tasks`` carry their results and
    errors either way. A task that runs a subgraph shows where its checkpoints are
    (``tasks[i].state``: a config naming its ``checkpoint_ns``), or with ``subgraphs``
    the subgraph's own snapshot."""
    if checkpoint is None:
        return StateSnapshot({}, (), dict(config), None, None, None, (), ())
    planned = tasks_of(checkpoint)
    inner = subgraphs_of(graph) if planned else {}
    tasks = tuple(
        PregelTask(
            task_uuid(checkpoint.checkpoint_id, t.id),
            t.node,
            # LangGraph's paths: a Send's is its position among the step's Sends
            ("__pregel_pull", t.id) if t.send is None else ("__pregel_push", t.order, False),
            error=checkpoint.errors.get(t.id),
            interrupts=tuple(checkpoint.interrupts.get(t.id, ())),
            state=_task_state(inner.get(t.node), checkpoint, t.node, t.id, saver, subgraphs),
            result=_task_result(checkpoint.writes.get(t.id)),
        )
        for t in planned
    )
    # START's write is an input not yet run (an input checkpoint): pending, not done
    done = {k: w for k, w in checkpoint.writes.items() if k != START} if live else {}
    # applied in LangGraph's order (by task), not as they finished
    writes = [(t.node, done[t.id]) for t in in_task_order(planned) if t.id in done]
    # Command(update=...) inputs given at this checkpoint: applied first, in the history too
    writes[:0] = [(START, {"update": u}) for u in null_inputs(checkpoint)[0]]
    return StateSnapshot(
        values=_values(graph, checkpoint.values, writes),
        next=tuple(t.node for t in planned if t.id not in done),
        config=checkpoint.config,
        metadata=checkpoint.metadata,
        created_at=checkpoint.created_at,
        parent_config=checkpoint.parent_config,
        tasks=tasks,
        interrupts=checkpoint.pending_interrupts,
    )


def _task_state(
    sub: CompiledGraph | None,
    checkpoint: ThreadCheckpoint,
    node: str,
    task: str,
    saver: BaseCheckpointSaver | None,
    subgraphs: bool,
) -> Any:
    if sub is None:
        return None
    if sub.subgraph_checkpoints is True:  # its node's own namespace, in every run
        parent = checkpoint.checkpoint_ns
        ns = f"{parent}{NS_SEP}{node}" if parent else node
    else:
        ns = task_ns(checkpoint.checkpoint_ns, node, checkpoint.checkpoint_id, task)
    config = {"configurable": {"thread_id": checkpoint.thread_id, "checkpoint_ns": ns}}
    if not subgraphs or saver is None:
        return config
    return snapshot(sub, saver.get_tuple(config), config, saver, subgraphs=True)


def history(
    graph: CompiledGraph,
    saver: BaseCheckpointSaver,
    config: Mapping[str, Any],
    *,
    filter: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
    limit: int | None = None,
) -> Iterator[StateSnapshot]:
    """The thread's snapshots, newest first."""
    thread_config(config)
    count = 0
    for checkpoint in saver.list(config, before=before):
        if filter and any(checkpoint.metadata.get(k) != v for k, v in filter.items()):
            continue
        if limit is not None and count >= limit:
            return
        count += 1
        yield snapshot(graph, checkpoint, config, saver, live=False)


def _values(
    graph: CompiledGraph, values: Mapping[str, Any], writes: list[tuple[str, Any]]
) -> dict[str, Any]:
    """Stored values as the state's types (a durable saver stores JSON), with the writes
    of the nodes that finished in a step cut short applied, as LangGraph shows them."""
    schema = graph.schema
    try:
        state = schema.validate_input(dict(values), restore=True)
    except Exception:  # an input checkpoint may lack required fields: show it as stored
        return dict(values)
    return schema.as_dict(apply_writes(graph, state, writes))


def apply_writes(graph: CompiledGraph, state: Any, writes: list[tuple[str, Any]]) -> Any:
    """``state`` with the stored writes of finished nodes merged (unchanged if they no
    longer apply: the step re-validates them when it is run)."""
    schema = graph.schema
    updates = []
    try:
        for node, write in writes:
            if isinstance(write, Mapping) and isinstance(write.get("handler"), str):
                node = write["handler"]  # its error handler answered for it
            update = schema.check_update(node, _result(write))
            if update:
                updates.append((node, update))
        merged, _, _ = schema.merge(state, updates)
    except Exception:
        return state
    return merged


def _result(write: Any) -> Any:
    if isinstance(write, Mapping):
        return write.get("update")
    return write


def _task_result(write: Any) -> Any:
    """A finished task's ``result`` as LangGraph shows it: its update, a key it wrote more
    than once as ``{key: {"$writes": [...]}}``."""
    result = _result(write)
    if isinstance(result, list | tuple) and result:
        if all(isinstance(w, Mapping) for w in result):
            return folded_writes([dict(w) for w in result])
        if all(isinstance(w, list | tuple) and len(w) == 2 for w in result):
            return folded_writes([{str(w[0]): w[1]} for w in result])
    return result
