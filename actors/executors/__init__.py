"""Where a node's function runs: one small interface, several executors.

The supervisor writes the stop ladder once, against ``NodeHandle``: it *tells* a node's
handle ``Execute`` (start an execution), ``Cancel`` (cancel it), ``Kill`` (kill it), and
*hears* its reply (``Finished``, ``Failed`` or ``Cancelled``) in its own inbox. An
``Executor`` makes one handle per node per run. ``LocalExecutor`` (the default) runs the
node in this process, on the run's event loop; ``graphstage.ray.RayExecutor`` runs it in a
pool of Ray actors and keeps the same contract.
"""

from ._local import LOCAL, LocalExecutor
from ._protocol import Executor, NodeHandle

__all__ = ["LOCAL", "Executor", "LocalExecutor", "NodeHandle"]
