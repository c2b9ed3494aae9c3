"""Run node functions on Ray: ``compile(executor=RayExecutor(hosts=2))``.

Needs the extra: ``pip install "graphstage[ray]"``. Stop stays a message: a node on a Ray
host is cancelled in its own task and the Command it returns is applied, as locally.
"""

from .executors._ray_hosts import HostInfo, NodeLostError
from .executors._ray_pool import RayExecutor

__all__ = ["HostInfo", "NodeLostError", "RayExecutor"]
