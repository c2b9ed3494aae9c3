"""``update_state`` / ``bulk_update_state``: edits of a thread's state that become new
checkpoints (a fork when made at an older one), as LangGraph 1.2's, and graphstage's
``edit_state`` (``KEEP_NEXT``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from .._constants import END, START
from .._errors import InvalidUpdateError
from ._base import (
    BaseCheckpointSaver,
    ThreadCheckpoint,
    new_checkpoint_id,
    now_iso,
    thread_config,
)
from ._state import snapshot
from ._tasks import as_write, send_record, tasks_of

if TYPE_CHECKING:
    from .._graph import CompiledGraph


class StateUpdate(NamedTuple):
    """One update of a ``bulk_update_state`` superstep, as LangGraph's ``StateUpdate``: the
    values, the node they are written as (``as_node``), and a task id (not used: graphstage
    names tasks by node)."""

    values: dict[str, Any] | None
    as_node: str | None = None
    task_id: str | None = None


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
    return await _apply(graph, saver, config, base, [(values, as_node)])


async def _apply(
    graph: CompiledGraph,
    saver: BaseCheckpointSaver,
    config: Mapping[str, Any],
    base: ThreadCheckpoint | None,
    updates: list[tuple[Any, str]],
) -> dict[str, Any]:
    """One superstep of updates, each as if its node had returned it (in order), as one
    new checkpoint; its next step is the union of those nodes' routes."""
    from .._routing import Router  # on first use: routing imports the compiled graph's parts

    thread_id, _checkpoint_id, ns = thread_config(config)
    schema = graph.schema
    state = schema.validate_input(base.values if base is not None else None, restore=True)
    merged = []
    for values, as_node in updates:
        writer = "update_state" if as_node == KEEP_NEXT else as_node
        update = schema.check_update(writer, values)
        if update:
            merged.append((writer, update))
    if merged:
        state, _, _ = schema.merge(state, merged)
    _record_results(saver, base, updates)
    nodes = list(dict.fromkeys(node for _, node in updates))
    router = Router(graph, {"configurable": dict(config.get("configurable") or {})})
    if base is not None:
        router.restore_joins(base.joins)
    sends: tuple[dict[str, Any], ...] = ()
    if nodes == [KEEP_NEXT] and base is not None:
        nxt = list(base.next)
        sends = tuple(dict(s) for s in base.sends)
    else:
        resolved = await router.resolve([n for n in nodes if n in graph.branches], state)
        step = base.step + 1 if base is not None else 0
        routes = [
            r for node in nodes for r in router.normal(node, (), resolved, step) if r.dst != END
        ]
        nxt = list(dict.fromkeys(r.dst for r in routes if r.send is None))
        sends = tuple(
            send_record(send, {"id": f"{r.dst}[{i}]", "node": r.dst, "arg": send.arg, "order": i})
            for i, (r, send) in enumerate((r, r.send) for r in routes if r.send is not None)
        )
        nxt += [s["node"] for s in sends]
    return saver.put(
        _after(
            base, thread_id, ns, values=schema.as_dict(state), nxt=tuple(nxt), sends=sends
        ).with_pending(joins=router.joins_snapshot())
    )


def _record_results(
    saver: BaseCheckpointSaver, base: ThreadCheckpoint | None, updates: list[tuple[Any, str]]
) -> None:
    """As LangGraph 1.2: an update made at the thread's latest checkpoint, as a node that
    checkpoint's step runs, is saved as that task's write there too, so the history shows
    it as the task's ``result`` (not at an older checkpoint: its step's record stays)."""
    if base is None:
        return
    latest = saver.get_tuple(
        {"configurable": {"thread_id": base.thread_id, "checkpoint_ns": base.checkpoint_ns}}
    )
    if latest is None or latest.checkpoint_id != base.checkpoint_id:
        return
    planned = {t.id for t in tasks_of(base) if t.send is None}
    for values, as_node in updates:
        if as_node in planned and (as_node == START or as_node not in base.writes):
            saver.put_writes(base.config, as_write(values), as_node)


async def bulk_update_state(
    graph: CompiledGraph,
    saver: BaseCheckpointSaver,
    config: Mapping[str, Any],
    supersteps: Sequence[Sequence[Any]],
) -> dict[str, Any]:
    """LangGraph's ``bulk_update_state``: each superstep, a list of updates ``(values,
    as_node[, task_id])`` (a ``StateUpdate``), becomes one checkpoint after the previous
    one. A superstep of one update is ``update_state``; several need their ``as_node``
    each (a node of the graph), and route from all of them."""
    if len(supersteps) == 0:
        raise ValueError("No supersteps provided")
    if any(len(updates) == 0 for updates in supersteps):
        raise ValueError("No updates provided")
    for updates in supersteps:
        items = [(u[0], u[1] if len(u) > 1 else None) for u in updates]
        if len(items) == 1:
            config = await update_state(graph, saver, config, *items[0])
            continue
        named: list[tuple[Any, str]] = []
        for values, as_node in items:
            if as_node is None:
                raise InvalidUpdateError("as_node is required when applying multiple updates")
            if as_node not in graph.nodes:
                raise InvalidUpdateError(
                    f"bulk_update_state: graph {graph.name!r} has no node {as_node!r} "
                    f"(nodes: {', '.join(graph.nodes)})"
                )
            named.append((values, as_node))
        config = await _apply(graph, saver, config, saver.get_tuple(config), named)
    return dict(config)


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
    if values is None:  # as LangGraph, an empty dict is an input (of nothing)
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
        parents=dict(base.parents) if base is not None else {},
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
