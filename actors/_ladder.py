"""``Ladder``: the stop ladder's rules for one run, as a small pure state machine.

The supervisor owns *when* things happen (steps, mailboxes, deadlines) and feeds the ladder
what happened: a stop asked (``ask``), a kill (``kill``), a node escalated past its grace
with no ``on_cancel`` route (``routed``). The ladder answers what follows from it: the stop
mode, which active node gets a Cancel (``cancels``), whether the next step's nodes are
shielded (``shielded``), what a cancellation of the supervisor's own task means
(``outside_cancel``), and the run's final status (``status``). It does no I/O and reads no
clock, so every rule can be checked on its own (tests/runtime/test_ladder.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._events import RunStatus

StopMode = Literal["drain", "graceful"]


@dataclass(slots=True)
class Ladder:
    """Where one run stands on the stop ladder."""

    mode: StopMode | None = None
    """``None`` until a stop is asked; then ``drain`` (stop after this step) or
    ``graceful`` (Cancel the active nodes). A drain may be upgraded, never downgraded."""
    killed: bool = False
    """``kill()`` was asked: everything ends now, status ``killed``."""
    escalated_unrouted: bool = False
    """A node was escalated past its grace with no ``on_cancel`` route, and nothing ran
    after it: unless the run goes on, it ends ``killed``."""

    def ask(self, drain: bool) -> StopMode | None:
        """A stop was asked: the new mode, or ``None`` when it changes nothing (any stop
        after a graceful one, a drain after a drain)."""
        if self.mode == "graceful" or (self.mode == "drain" and drain):
            return None
        self.mode = "drain" if drain else "graceful"
        return self.mode

    def kill(self) -> bool:
        """A kill was asked: True the first time (the supervisor then cancels everything)."""
        if self.killed:
            return False
        self.killed = True
        return True

    def cancels(self, shielded: bool, told: bool) -> bool:
        """Whether an active node gets a Cancel now: only under a graceful stop, only once,
        and never a node started after the stop (cleanup is shielded)."""
        return self.mode == "graceful" and not shielded and not told

    @property
    def shielded(self) -> bool:
        """Nodes started from now on are shielded from graceful stops (they run after one)."""
        return self.mode is not None

    def routed(self, escalated_unrouted: bool, goes_on: bool) -> None:
        """A step was routed after a stop: an escalation without a route counts only if the
        run stops there (if it goes on, it ends by what comes next)."""
        self.escalated_unrouted = escalated_unrouted and not goes_on

    def outside_cancel(self) -> Literal["stop", "kill"]:
        """The supervisor's own task was cancelled from outside (``asyncio.run`` shutting
        down): the first such cancellation is a graceful stop, a second one a kill."""
        return "kill" if self.mode == "graceful" else "stop"

    def status(self, paused: bool) -> RunStatus:
        """How a run that left its step loop normally ends."""
        if self.killed:
            return "killed"
        if self.mode is not None:
            return "killed" if self.escalated_unrouted else "cancelled"
        return "paused" if paused else "completed"
