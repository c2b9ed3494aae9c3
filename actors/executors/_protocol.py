"""The executor interface: what the supervisor needs from wherever a node runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .._mailbox import Mailbox
    from .._messages import Envelope
    from .._node import NodeSpec


class NodeHandle(Protocol):
    """One node of one run, as the supervisor sees it (``NodeActor`` is the local one).

    ``tell`` takes ``Execute`` (start an execution of the node on this state), ``Cancel``
    (the graceful stop: the node's task sees ``CancelledError``, a sync node
    ``ctx.cancel_requested``) and ``Kill`` (cancel again, and stop at nothing to end it).
    The reply of every execution goes to the supervisor's inbox as an ``Envelope`` whose
    ``sender`` is the execution's task id (``Execute.task``, or the node's name when that is
    empty; a ``Send`` runs as a handle of its own): ``Finished``, ``Failed`` or
    ``Cancelled``.
    """

    spec: NodeSpec
    """The node as added with ``add_node``."""
    node_task: asyncio.Task[None] | None
    """The local task of the current execution (None before the first): the supervisor
    cancels it on ``kill()`` and waits for it to end when the run settles."""
    threads_running: int
    """Executions whose worker thread in this process has not returned yet."""
    where: str
    """Where the current execution runs, for the window and the journal: ``""`` in this
    process, else e.g. ``"ray host 1 (node 3f2a9c01, pid 4242)"``."""

    def tell(self, message: Any, step: int = 0) -> None:
        """Deliver ``Execute``, ``Cancel`` or ``Kill``; never blocks; loop thread only."""

    def close(self) -> None:
        """The run has settled: accept no more messages."""


class Executor(Protocol):
    """Where a node's function runs: ``compile(executor=...)`` for every node,
    ``add_node(..., executor=...)`` for one."""

    def prepare(self, spec: NodeSpec) -> None:
        """Called by ``compile()`` for each node placed here: raise ``GraphError`` naming
        the node if it cannot run here (for Ray: it cannot be pickled)."""

    def handle(
        self,
        spec: NodeSpec,
        run_id: str,
        config: dict[str, Any],
        supervisor: Mailbox[Envelope],
        emit_custom: Callable[[str, int, Any], None],
    ) -> NodeHandle:
        """A handle for ``spec`` in one run (the supervisor asks once per node per run)."""
