"""``RayExecutor``: node functions run in a pool of long-lived async Ray actors (hosts).

The driver side: where each execution goes, and shipping node functions; the hosts'
lifecycle (starting them, ending one that will not let go of a node) is
``_ray_hosts.RayHosts``. The supervisor, the journal and the window stay in the driver;
only node functions travel.
"""

from __future__ import annotations

import hashlib
import math
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

try:
    import ray
    import ray.cloudpickle
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError("graphstage.ray needs Ray: pip install 'graphstage[ray]'") from exc

from .._errors import GraphError
from ._ray_handle import RayNodeHandle
from ._ray_hosts import RayHosts

if TYPE_CHECKING:
    from .._mailbox import Mailbox
    from .._messages import Envelope
    from .._node import NodeSpec

# modules whose functions the hosts import by name rather than receive by value
_INSTALLED = [
    Path(p).resolve()
    for p in {sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    if p
]


class RayExecutor(RayHosts):
    """Run node functions in ``hosts`` long-lived async Ray actors.

    ``address=None`` starts a local Ray (or joins one already running on this machine);
    ``"auto"`` or ``"ray://head:10001"`` joins a cluster. Ray starts on the first run, or
    at ``start()`` / ``await astart()`` (2-7 s: do it before a window opens, or off its
    thread). ``runtime_env`` goes to every host (``pip``, ``py_modules``...); node functions
    from modules that are not installed (your graph's file or project) are shipped by value.
    ``kill_after``: seconds a node has to end after a kill (the second cancel) before its
    whole host is killed and restarted; every other execution on that host is lost, and
    named. ``host_options`` / ``init_options`` go to ``ray.remote(...).options`` /
    ``ray.init`` as they are, except that ``max_task_retries`` stays 0.
    """

    def __init__(
        self,
        address: str | None = None,
        hosts: int = 2,
        *,
        runtime_env: dict[str, Any] | None = None,
        kill_after: float = 1.0,
        host_options: dict[str, Any] | None = None,
        init_options: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(hosts, int) or isinstance(hosts, bool) or hosts < 1:
            raise ValueError(f"RayExecutor(hosts={hosts!r}): a pool needs a whole number >= 1")
        if not isinstance(kill_after, int | float) or not 0 < kill_after < math.inf:
            raise ValueError(
                f"RayExecutor(kill_after={kill_after!r}): must be a positive number of seconds"
            )
        self.address = address
        self.size = hosts
        self.runtime_env = runtime_env
        self.kill_after = kill_after
        self._host_options = dict(host_options or {})
        self._init_options = dict(init_options or {})
        self._init_hosts()
        # node function digest -> pickled function; filled by prepare() (compile time)
        self._blobs: dict[str, bytes] = {}
        # digest -> [ObjectRef] of the blob in Ray's object store (put once, on first use)
        self._refs: dict[str, list[Any]] = {}
        # id(fn) -> (fn, digest) for the functions prepare() has pickled (fn kept, so that
        # its id is not reused by another function)
        self._digests: dict[int, tuple[Any, str]] = {}
        # modules already looked at by ship_module_of
        self._by_value: set[str] = set()
        # modules whose classes and functions travel by value (the hosts cannot import them)
        self._shipped_modules: set[str] = {"__main__"}
        # state model class -> digest of its pickle: shipped once, like node functions
        self._class_digests: dict[type, str] = {}
        # executions in flight: exec_id -> (host index, node, run_id)
        self.inflight: dict[str, tuple[int, str, str]] = {}

    # -- the Executor interface --------------------------------------------------------

    def prepare(self, spec: NodeSpec) -> None:
        """Pickle the node function now, so that one that cannot be shipped fails
        ``compile()`` with its name rather than a run."""
        if self._digest(spec) is not None:
            return
        self.ship_module_of(spec.fn)
        try:
            blob = ray.cloudpickle.dumps(spec.fn)
        except Exception as exc:
            raise GraphError(
                f"node '{spec.name}' cannot be shipped to a Ray host: {type(exc).__name__}: "
                f"{exc}; define it at module level and create what cannot be pickled (locks, "
                f"connections, open files) inside the node, or place it with "
                f"add_node(..., executor=LocalExecutor())"
            ) from None
        digest = hashlib.sha1(blob).hexdigest()
        self._blobs[digest] = blob
        self._digests[id(spec.fn)] = (spec.fn, digest)

    def _digest(self, spec: NodeSpec) -> str | None:
        entry = self._digests.get(id(spec.fn))
        return entry[1] if entry is not None and entry[0] is spec.fn else None

    def handle(
        self,
        spec: NodeSpec,
        run_id: str,
        config: dict[str, Any],
        supervisor: Mailbox[Envelope],
        emit_custom: Callable[[str, int, Any], None],
    ) -> RayNodeHandle:
        if self._digest(spec) is None:
            self.prepare(spec)  # placed after compile(), e.g. by CompiledGraph.on_executor
        return RayNodeHandle(self, spec, run_id, config, supervisor, emit_custom)

    # -- placing and shipping ----------------------------------------------------------

    def place(self) -> int:
        """The host for a new execution: the least busy one that is not being restarted."""
        busy = [0] * self.size
        for index, _, _ in self.inflight.values():
            busy[index] += 1
        candidates = [i for i in range(self.size) if i not in self._restarting] or list(
            range(self.size)
        )
        return min(candidates, key=lambda i: busy[i])

    def where(self, index: int) -> str:
        if not self.info:
            return f"ray host {index} (starting)"
        info = self.info[index]
        return f"ray host {index} (node {info.node_id[:8]}, pid {info.pid})"

    def function_of(self, spec: NodeSpec) -> tuple[str, list[Any]]:
        """What a host needs to find the node function: (digest, [ref to its pickle])."""
        return self._shipped(self._digests[id(spec.fn)][1])

    def _shipped(self, digest: str) -> tuple[str, list[Any]]:
        # in a list, so that Ray passes the ref itself rather than fetching it every call
        ref = self._refs.get(digest)
        if ref is None:
            ref = self._refs[digest] = [ray.put(self._blobs[digest])]
        return digest, ref

    def pack_state(self, state: Any) -> tuple[Any, ...]:
        """The state as it travels to a host. A pydantic model whose class travels by
        value goes as the class (shipped once per host, by digest) and the instance's
        ``__getstate__``: pickling the class with every execution cost about 2 ms."""
        cls = type(state)
        if not isinstance(state, BaseModel) or cls.__module__ not in self._shipped_modules:
            return ("as is", state)
        digest = self._class_digests.get(cls)
        if digest is None:
            blob = ray.cloudpickle.dumps(cls)
            digest = hashlib.sha1(blob).hexdigest()
            self._blobs[digest] = blob
            self._class_digests[cls] = digest
        return ("model", self._shipped(digest), state.__getstate__())

    def ship_module_of(self, obj: Any) -> None:
        """Have the hosts receive ``obj``'s module by value unless they can import it (it
        is installed, or it is graphstage itself): a graph loaded from a file or a project
        folder then runs on hosts that have never seen that file."""
        for target in (obj, getattr(obj, "func", None), type(obj)):
            name = getattr(target, "__module__", None)
            if not name or name in self._by_value or name == "__main__":
                continue
            self._by_value.add(name)
            module = sys.modules.get(name)
            file = getattr(module, "__file__", None)
            if module is None or file is None or name.split(".")[0] == "graphstage":
                continue
            path = Path(file).resolve()
            if not any(path.is_relative_to(root) for root in _INSTALLED):
                ray.cloudpickle.register_pickle_by_value(module)
                self._shipped_modules.add(name)

    def __repr__(self) -> str:
        return f"RayExecutor(address={self.address!r}, hosts={self.size})"
