"""``InMemorySaver`` (alias ``MemorySaver``): threads kept in this process's memory.

As ``langgraph.checkpoint.memory.InMemorySaver``: for tests and notebooks; everything is
lost when the process ends. ``SqliteSaver`` keeps threads on disk.
"""

from __future__ import annotations

import builtins
import copy
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from ._base import BaseCheckpointSaver, ThreadCheckpoint, ThreadInfo, status_of, thread_config


class InMemorySaver(BaseCheckpointSaver):
    """Checkpoints in a dict: thread id -> its checkpoints, oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # thread id -> checkpoint id -> checkpoint, in the order they were first put
        self._threads: dict[str, dict[str, ThreadCheckpoint]] = {}
        # thread id -> the run continuing it
        self._claims: dict[str, str] = {}
        # thread id -> checkpoint id -> task id -> its write (put_writes), merged into
        # that checkpoint's ``writes`` when it is read
        self._writes: dict[str, dict[str, dict[str, Any]]] = {}

    def put(self, checkpoint: ThreadCheckpoint) -> dict[str, Any]:
        # a copy, as LangGraph's serialising saver keeps one: runs merge into their state in
        # place, and a caller may change what it read
        checkpoint = copy.deepcopy(checkpoint)
        with self._lock:
            self._threads.setdefault(checkpoint.thread_id, {})[checkpoint.checkpoint_id] = (
                checkpoint
            )
        return checkpoint.config

    def put_writes(
        self,
        config: Mapping[str, Any],
        writes: Any,
        task_id: str,
        task_path: str = "",
        *,
        batched: bool = False,
    ) -> None:
        thread_id, checkpoint_id, _ns = thread_config(config)
        if checkpoint_id is None:
            raise ValueError("put_writes needs the config of a checkpoint (checkpoint_id)")
        writes = copy.deepcopy(writes)
        with self._lock:
            by_checkpoint = self._writes.setdefault(thread_id, {})
            by_checkpoint.setdefault(checkpoint_id, {})[task_id] = writes

    def _with_writes(self, checkpoint: ThreadCheckpoint) -> ThreadCheckpoint:
        """``checkpoint`` with its tasks' writes (under ``_lock``)."""
        writes = self._writes.get(checkpoint.thread_id, {}).get(checkpoint.checkpoint_id)
        if not writes:
            return checkpoint
        return checkpoint.with_pending(writes={**checkpoint.writes, **writes})

    def get_tuple(self, config: Mapping[str, Any]) -> ThreadCheckpoint | None:
        thread_id, checkpoint_id, ns = thread_config(config)
        with self._lock:
            checkpoints = self._threads.get(thread_id)
            if not checkpoints:
                return None
            if checkpoint_id is not None:
                found = checkpoints.get(checkpoint_id)
                if found is not None and found.checkpoint_ns != ns:
                    found = None
            else:
                found = next(
                    (c for c in reversed(checkpoints.values()) if c.checkpoint_ns == ns), None
                )
            if found is not None:
                found = self._with_writes(found)
        return copy.deepcopy(found)

    def list(
        self,
        config: Mapping[str, Any] | None,
        *,
        before: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[ThreadCheckpoint]:
        with self._lock:
            if config is None:
                found = [c for cps in self._threads.values() for c in cps.values()]
            else:
                thread_id, checkpoint_id, ns = thread_config(config)
                checkpoints = self._threads.get(thread_id, {}).values()
                # as LangGraph's savers: a config naming a checkpoint lists only that one
                found = [
                    c
                    for c in checkpoints
                    if c.checkpoint_ns == ns and checkpoint_id in (None, c.checkpoint_id)
                ]
            found = [self._with_writes(c) for c in found]
        found.reverse()
        if before is not None:
            _t, before_id, _ns = thread_config(before)
            ids = [c.checkpoint_id for c in found]
            found = found[ids.index(before_id) + 1 :] if before_id in ids else found
        for checkpoint in found[:limit] if limit is not None else found:
            yield copy.deepcopy(checkpoint)

    def claim(self, thread_id: str, run_id: str) -> str | None:
        with self._lock:
            holder = self._claims.get(thread_id)
            if holder is not None and holder != run_id:
                return holder
            self._claims[thread_id] = run_id
            return None

    def release(self, thread_id: str, run_id: str) -> None:
        with self._lock:
            if self._claims.get(thread_id) == run_id:
                del self._claims[thread_id]

    def threads(self) -> builtins.list[ThreadInfo]:
        with self._lock:  # a thread is its graph's checkpoints; its subgraphs' are inside
            items = [
                (t, [c for c in cps.values() if not c.checkpoint_ns])
                for t, cps in self._threads.items()
            ]
            items = [(t, [*cps[:-1], self._with_writes(cps[-1])]) for t, cps in items if cps]
            claims = dict(self._claims)
        out = [
            ThreadInfo(
                thread_id=t,
                status=status_of(cps[-1], t in claims),
                head=cps[-1],
                runs=tuple(dict.fromkeys(c.run_id for c in cps if c.run_id)),
                checkpoints=len(cps),
                created_at=cps[0].created_at,
            )
            for t, cps in items
        ]
        out.sort(key=lambda info: info.head.created_at, reverse=True)
        return out

    def delete_thread(self, thread_id: str) -> None:
        with self._lock:
            self._threads.pop(thread_id, None)
            self._writes.pop(thread_id, None)


MemorySaver = InMemorySaver
"""LangGraph's older name for ``InMemorySaver``."""
