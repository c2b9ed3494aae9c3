"""The supervisor: owns one run, applies each node's answer, routes, and runs the stop ladder.

One class, ``Supervisor``, built from layers that each hold one concern of a run:

- ``_base``: the run's state and publishing its events;
- ``_stopping``: stop, kill, Cancel to the nodes, escalation, a failed step;
- ``_answers``: each node's answer, published as its event;
- ``_step``: one step, from starting its nodes to their last answer;
- ``_settle``: between steps, merging updates and choosing the next step;
- ``_finish``: settling the run's result however it ended;
- ``_supervisor``: the run's loop of steps, pauses and interrupts.
"""

from ._base import names
from ._supervisor import Supervisor

__all__ = ["Supervisor", "names"]
