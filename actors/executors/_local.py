"""``LocalExecutor``: the node runs in this process, on the run's own event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._actor import NodeActor

if TYPE_CHECKING:
    from .._mailbox import Mailbox
    from .._messages import Envelope
    from .._node import NodeSpec


class LocalExecutor:
    """The default: each node is a ``NodeActor`` whose executions are asyncio tasks of the
    run's loop (a plain ``def`` node: an anyio worker thread). Stateless; ``LOCAL`` is the
    shared instance."""

    def prepare(self, spec: NodeSpec) -> None:
        """Every callable runs here."""

    def handle(
        self,
        spec: NodeSpec,
        run_id: str,
        config: dict[str, Any],
        supervisor: Mailbox[Envelope],
        emit_custom: Callable[[str, int, Any], None],
    ) -> NodeActor:
        return NodeActor(spec, run_id, config, supervisor, emit_custom)

    def __repr__(self) -> str:
        return "LocalExecutor()"


LOCAL = LocalExecutor()
