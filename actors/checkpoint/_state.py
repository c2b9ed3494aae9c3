"""``get_state`` / ``get_state_history`` / ``update_state``: a thread's checkpoints as
LangGraph's ``StateSnapshot``, and edits that become new checkpoints (forks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from .._constants import END, START
from .._errors import InvalidUpdateError
from .._interrupt import Interrupt
from .._subgraph import subgraphs_of
from ._base import (
    BaseCheckpointSaver,
    ThreadCheckpoint,
    new_checkpoint_id,
    now_iso,
    thread_config,
)
from ._scope import NS_SEP, task_ns, task_uuid
from ._tasks import as_write, tasks_of

if TYPE_CHECKING:
    from .._graph import CompiledGraph


class PregelTask(NamedTuple):
    """A node the checkpoint's next step runs, as LangGraph's ``PregelTask``."""

    id: str
    name: str
    path: tuple[str, ...]
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
            ("__pregel_pull" if t.send is None else "__pregel_push", t.id),
            error=checkpoint.errors.get(t.id),
            interrupts=tuple(checkpoint.interrupts.get(t.id, ())),
            state=_task_state(inner.get(t.node), checkpoint, t.node, t.id, saver, subgraphs),
            result=None if t.node == START else _result(checkpoint.writes.get(t.id)),
        )
        for t in planned
    )
    # START's write is an input not yet run (an input checkpoint): pending, not done
    done = {k: w for k, w in checkpoint.writes.items() if k != START} if live else {}
    writes = [(t.node, done[t.id]) for t in planned if t.id in done]
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


COPY = "__copy__"
"""``update_state(config, None, as_node=COPY)``: copy the checkpoint (LangGraph's)."""
INPUT = "__input__"
"""``update_state(config, values, as_node=INPUT)``: ``values`` as a new input of the
thread, run from START by the next ``invoke(None, config)`` (LangGraph's)."""


async def update_state(
    graph: CompiledGraph,
    saver: BaseCheckpointSaver,
    config: Mapping[str, Any],
    values: Any,
    as_node: str | None = None,
) -> dict[str, Any]:
    """Apply ``values`` as if node ``as_node`` had returned them, as a new checkpoint
    after the one ``config`` names (the thread's latest if it names none): a fork when
    that is an older one. The next nodes are ``as_node``'s successors, its conditional
    edges read on the updated state. As LangGraph 1.2:

    * no ``as_node``: the node that ran last on the thread (``START`` on a new thread);
      ``InvalidUpdateError`` if several ran in that step (name one);
    * ``as_node=END`` with ``values=None``: the pending tasks are dropped (those that had
      finished keep their writes): ``next`` is empty;
    * ``as_node="__copy__"`` with ``values=None``: a copy of the checkpoint, under the same
      parent (``source="fork"``); ``values=[(values, node)]`` then applies that update.

    A thread paused before its next nodes (``interrupt_before``) stays so: a continuation
    runs the new next step without pausing before it, as LangGraph's does.
    """
    from .._routing import Router  # on first use: routing imports the compiled graph's parts

    thread_id, _checkpoint_id, ns = thread_config(config)
    base = saver.get_tuple(config)
    if as_node == COPY:
        return await _copy(graph, saver, base, values)
    if as_node == INPUT:
        return _as_input(saver, base, thread_id, ns, values)
    if as_node is None:
        as_node = _last_ran(base)
    if as_node == END and values is None:
        return _clear(graph, saver, base, thread_id, ns)
    if as_node not in graph.nodes and as_node not in (START, KEEP_NEXT):
        raise InvalidUpdateError(
            f"update_state(as_node={as_node!r}): graph {graph.name!r} has no such node "
            f"(nodes: {', '.join(graph.nodes)}; or START, END with values=None, "
            f"'{COPY}', '{INPUT}')"
        )
    schema = graph.schema
    state = schema.validate_input(base.values if base is not None else None, restore=True)
    writer = "update_state" if as_node == KEEP_NEXT else as_node
    update = schema.check_update(writer, values)
    if update:
        state, _, _ = schema.merge(state, [(writer, update)])
    router = Router(graph, {"configurable": dict(config.get("configurable") or {})})
    if base is not None:
        router.restore_joins(base.joins)
    sends: tuple[dict[str, Any], ...] = ()
    if as_node == KEEP_NEXT and base is not None:
        nxt = list(base.next)
        sends = tuple(dict(s) for s in base.sends)
    else:
        resolved = await router.resolve([as_node], state) if as_node in graph.branches else {}
        step = base.step + 1 if base is not None else 0
        routes = [r for r in router.normal(as_node, (), resolved, step) if r.dst != END]
        nxt = list(dict.fromkeys(r.dst for r in routes if r.send is None))
        sends = tuple(
            {"id": f"{r.dst}[{i}]", "node": r.dst, "arg": send.arg, "order": i}
            for i, (r, send) in enumerate((r, r.send) for r in routes if r.send is not None)
        )
        nxt += [s["node"] for s in sends]
    return saver.put(
        _after(
            base, thread_id, ns, values=schema.as_dict(state), nxt=tuple(nxt), sends=sends
        ).with_pending(joins=router.joins_snapshot())
    )


KEEP_NEXT = "\0keep-next"
"""``as_node`` for an update that keeps the checkpoint's next step (``edit_state``), and
what ``_last_ran`` answers for a checkpoint that does not record who ran (one stored by
an older graphstage)."""


def _as_input(
    saver: BaseCheckpointSaver,
    base: ThreadCheckpoint | None,
    thread_id: str,
    ns: str,
    values: Any,
) -> dict[str, Any]:
    """``as_node="__input__"``: an input checkpoint holding ``values`` as START's pending
    write; the values shown stay as they were until a run folds it in."""
    if not values:
        raise InvalidUpdateError(
            "update_state(as_node='__input__') needs the input as values (got nothing)"
        )
    checkpoint = _after(
        base,
        thread_id,
        ns,
        values=dict(base.values) if base is not None else {},
        nxt=(START,),
    )
    return saver.put(
        replace(
            checkpoint,
            source="input",
            step=base.step + 1 if base is not None else -1,
            writes={START: as_write(values)},
            paused=None,
        )
    )


def _last_ran(base: ThreadCheckpoint | None) -> str:
    """The node ``update_state`` acts as when none is named: LangGraph infers the node
    that ran last (the highest channel version seen)."""
    if base is None or not base.ran:
        return START if base is None or base.ran is not None else KEEP_NEXT
    ran = list(dict.fromkeys(base.ran))
    if len(ran) > 1:
        raise InvalidUpdateError(
            f"Ambiguous update, specify as_node: nodes {', '.join(ran)} ran in the last "
            f"step of thread {base.thread_id!r}"
        )
    return ran[0]


def _after(
    base: ThreadCheckpoint | None,
    thread_id: str,
    ns: str,
    *,
    values: dict[str, Any],
    nxt: tuple[str, ...],
    sends: tuple[dict[str, Any], ...] = (),
) -> ThreadCheckpoint:
    """An ``update`` checkpoint following ``base``."""
    return ThreadCheckpoint(
        thread_id=thread_id,
        checkpoint_ns=ns,
        checkpoint_id=new_checkpoint_id(),
        parent_id=base.checkpoint_id if base is not None else None,
        step=base.step + 1 if base is not None else 0,
        source="update",
        values=values,
        next=nxt,
        sends=sends,
        created_at=now_iso(),
        joins=dict(base.joins) if base is not None else {},
        # who ran last is unchanged: an update is not a step (LangGraph's versions_seen)
        ran=base.ran if base is not None else (),
        paused="before" if base is not None and base.paused == "before" else None,
    )


def _clear(
    graph: CompiledGraph,
    saver: BaseCheckpointSaver,
    base: ThreadCheckpoint | None,
    thread_id: str,
    ns: str,
) -> dict[str, Any]:
    """``as_node=END``, no values: drop the next step (its finished writes applied)."""
    values: dict[str, Any] = {}
    if base is not None:
        values = snapshot(graph, base, base.config, live=True).values
    checkpoint = _after(base, thread_id, ns, values=values, nxt=())
    return saver.put(checkpoint.with_pending(paused=None))


async def _copy(
    graph: CompiledGraph, saver: BaseCheckpointSaver, base: ThreadCheckpoint | None, values: Any
) -> dict[str, Any]:
    """``as_node="__copy__"``: the checkpoint again, as a sibling (same parent)."""
    if base is None:
        raise InvalidUpdateError("Cannot copy a non-existent checkpoint")
    copied = replace(
        base,
        checkpoint_id=new_checkpoint_id(),
        step=base.step + 1,
        source="fork",
        created_at=now_iso(),
        run_id=None,
        writes={},
        errors={},
        interrupts={},
        answers={},
    )
    config = saver.put(copied)
    if values is None:
        return config
    updates = list(values) if isinstance(values, list) else None
    if not updates or len(updates) != 1 or not isinstance(updates[0], tuple | list):
        raise InvalidUpdateError(
            f"update_state(as_node='{COPY}') takes values=None, or [(values, as_node)] to "
            f"update the copy (graphstage applies one such update)"
        )
    item = updates[0]
    return await update_state(graph, saver, config, item[0], item[1] if len(item) > 1 else None)


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
