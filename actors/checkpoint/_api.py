"""``ThreadAPI``: LangGraph's persistence methods of a compiled graph — ``get_state``,
``get_state_history``, ``update_state`` (and their a* variants), ``with_checkpointer`` and
graphstage's ``stop_thread``. ``CompiledGraph`` inherits them; they only ask the saver and
``CompiledGraph.start``, so they live apart from the run machinery."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from .._subgraph import subgraph_at
from ._base import BaseCheckpointSaver
from ._scope import node_path
from ._state import StateSnapshot, history, snapshot
from ._update import KEEP_NEXT, bulk_update_state, update_state

if TYPE_CHECKING:
    from .._graph import CompiledGraph
    from .._run import Run


def _at_once(coro: Coroutine[Any, Any, dict[str, Any]], refusal: str) -> dict[str, Any]:
    """Run ``coro`` to its end here, from sync code: it must never wait (an update whose
    conditional edge awaits does); ``RuntimeError(refusal)`` if it does."""
    try:
        coro.send(None)
    except StopIteration as done:
        result: dict[str, Any] = done.value
        return result
    coro.close()
    raise RuntimeError(refusal)


class ThreadAPI:
    """Mixed into ``CompiledGraph``."""

    checkpointer: BaseCheckpointSaver | None
    journal: Any

    @property
    def _graph(self) -> CompiledGraph:
        return cast("CompiledGraph", self)

    def with_checkpointer(self, checkpointer: BaseCheckpointSaver) -> CompiledGraph:
        """A copy of this graph that keeps its threads in ``checkpointer`` (and journals its
        runs in that saver's journal, if it has one): how the CLI gives every run a durable
        thread in the journal's file."""
        clone = copy.copy(self._graph)
        clone.checkpointer = checkpointer
        clone.journal = getattr(checkpointer, "journal", None) or self.journal
        return clone

    def stop_thread(
        self,
        config: dict[str, Any],
        *,
        reason: str = "stop_thread()",
        checkpointer: BaseCheckpointSaver | None = None,
    ) -> Run:
        """Stop a thread that waits at an ``interrupt()``: the stop ladder, as in a live run.

        A run continues the thread with the stop already asked: each waiting node runs
        again and its ``interrupt()`` call raises ``asyncio.CancelledError`` (a node that
        awaits before it sees it at that await), so it takes its cleanup route — the
        ``Command`` it returns, else its ``on_cancel`` — or the thread ends ``cancelled``,
        still resumable. (LangGraph has no stop for a waiting thread.)
        """
        return self._graph.start(None, config, stop_waiting=reason, checkpointer=checkpointer)

    # -- threads: LangGraph's persistence API ----------------------------------------------

    def _saver(self) -> BaseCheckpointSaver:
        if self.checkpointer is None:
            raise ValueError(
                "No checkpointer set: compile the graph with checkpointer=InMemorySaver() "
                "(or SqliteSaver(path)) to keep threads"
            )
        return self.checkpointer

    def _graph_for(self, config: dict[str, Any]) -> CompiledGraph:
        """The graph whose checkpoints ``config`` names: this one, or for a subgraph's
        ``checkpoint_ns`` (``tasks[i].state`` of a snapshot) the subgraph it leads to."""
        ns = (config.get("configurable") or {}).get("checkpoint_ns") or ""
        return subgraph_at(self._graph, node_path(ns)) if ns else self._graph

    def get_state(self, config: dict[str, Any], *, subgraphs: bool = False) -> StateSnapshot:
        """The thread's state at its latest checkpoint (or the one ``checkpoint_id``
        names), as LangGraph's ``StateSnapshot``. A task that runs a subgraph shows the
        config of the subgraph's checkpoints in ``tasks[i].state``, or with
        ``subgraphs=True`` the subgraph's own snapshot (its paused node, its questions);
        a config naming a subgraph's ``checkpoint_ns`` gives that subgraph's state."""
        saver = self._saver()
        live = "checkpoint_id" not in (config.get("configurable") or {})
        graph = self._graph_for(config)
        snap: StateSnapshot = snapshot(
            graph, saver.get_tuple(config), config, saver, subgraphs, live=live
        )
        return snap

    async def aget_state(self, config: dict[str, Any], *, subgraphs: bool = False) -> Any:
        return self.get_state(config, subgraphs=subgraphs)

    def get_state_history(
        self,
        config: dict[str, Any],
        *,
        filter: dict[str, Any] | None = None,
        before: dict[str, Any] | None = None,
        limit: int | None = None,
    ) -> Iterator[StateSnapshot]:
        """The thread's snapshots, newest first (a subgraph's, for a config naming its
        ``checkpoint_ns``)."""
        return history(
            self._graph_for(config),
            self._saver(),
            config,
            filter=filter,
            before=before,
            limit=limit,
        )

    async def aget_state_history(
        self,
        config: dict[str, Any],
        *,
        filter: dict[str, Any] | None = None,
        before: dict[str, Any] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[StateSnapshot]:
        for item in self.get_state_history(config, filter=filter, before=before, limit=limit):
            yield item

    async def aupdate_state(
        self, config: dict[str, Any], values: Any, as_node: str | None = None
    ) -> dict[str, Any]:
        """Apply ``values`` as if ``as_node`` had returned them: a new checkpoint (a fork
        when ``config`` names an older one) whose next nodes follow ``as_node`` (no
        ``as_node``: the node that ran last; ``END`` with ``values=None`` clears the next
        step; ``"__copy__"`` copies the checkpoint), as LangGraph 1.2. Returns its
        config."""
        return await update_state(self._graph_for(config), self._saver(), config, values, as_node)

    def edit_state(self, config: dict[str, Any], values: Any) -> dict[str, Any]:
        """Change the values at the checkpoint ``config`` names (reducers fold them in, as
        an update) and keep its next step: a new checkpoint after it (a fork when it is an
        older one), whose next nodes are that checkpoint's. graphstage's, for editing a
        past state and running on from it (the window's "Edit state and run from here");
        ``update_state`` instead routes from the node it acts as. Returns its config."""
        return self.update_state(config, values, as_node=KEEP_NEXT)

    def update_state(
        self, config: dict[str, Any], values: Any, as_node: str | None = None
    ) -> dict[str, Any]:
        """``aupdate_state`` from sync code (a conditional edge that awaits needs the
        async one)."""
        return _at_once(
            update_state(self._graph_for(config), self._saver(), config, values, as_node),
            f"update_state(as_node={as_node!r}): its conditional edge awaits; use "
            f"aupdate_state from async code",
        )

    async def abulk_update_state(
        self, config: dict[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """LangGraph's ``bulk_update_state``: each superstep (a list of ``(values, as_node,
        task_id)`` updates, LangGraph's ``StateUpdate``) becomes one checkpoint; several
        updates in a superstep each name their node and route from all of them."""
        graph = self._graph_for(config)
        return await bulk_update_state(graph, self._saver(), config, supersteps)

    def bulk_update_state(
        self, config: dict[str, Any], supersteps: Sequence[Sequence[Any]]
    ) -> dict[str, Any]:
        """``abulk_update_state`` from sync code."""
        return _at_once(
            bulk_update_state(self._graph_for(config), self._saver(), config, supersteps),
            "bulk_update_state: a conditional edge awaits; use abulk_update_state from async code",
        )
