"""``RayExecutor``: node functions run in a pool of long-lived async Ray actors (hosts).

The driver side: connecting to Ray, the hosts, where each execution goes, shipping node
functions, and ending a host that will not let go of a node. The supervisor, the journal
and the window stay in the driver; only node functions travel.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import sys
import sysconfig
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from pydantic import BaseModel

try:
    import ray
    import ray.cloudpickle
    from ray.exceptions import GetTimeoutError, RayActorError
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError("graphstage.ray needs Ray: pip install 'graphstage[ray]'") from exc

from .._errors import GraphError
from ._ray_handle import RayNodeHandle
from ._ray_host import NodeHost

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
# seconds a killed host may take to come back before its executions fail to be placed
RESTART_TIMEOUT = 60.0
# seconds the hosts may take to start (a runtime_env may install packages first)
START_TIMEOUT = 300.0


class NodeLostError(RuntimeError):
    """A node's Ray host process ended while the node ran: killed to end another node that
    did not end when cancelled, or died (killed from outside, out of memory, a crash). The
    node is not re-run."""


@dataclass(slots=True)
class HostInfo:
    """One host of the pool, as last seen."""

    index: int
    """Its place in the pool, from 0."""
    node_id: str
    """The Ray node (machine) it runs on."""
    pid: int
    """Its process id (changes when the host is restarted)."""
    hostname: str
    """The machine's host name."""
    restarts: int = 0
    """How many times graphstage killed and restarted it."""


class RayExecutor:
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
        # guards start(): it may run in a worker thread while the loop asks started
        self._lock = threading.Lock()
        # the Ray actor handles, by index; empty until started
        self._hosts: list[Any] = []
        # what each host was last seen as
        self.info: list[HostInfo] = []
        # True if start() called ray.init (so shutdown() calls ray.shutdown)
        self._owns_ray = False
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
        # per host: how many times graphstage has killed it (an execution that started at
        # generation g and fails after a kill of g+1 was lost to that kill)
        self._generation: list[int] = []
        # (host, generation) -> why that kill happened
        self._kill_reasons: dict[tuple[int, int], str] = {}
        # hosts being killed and restarted (set once back): nothing new goes there meanwhile
        self._restarting: dict[int, asyncio.Event] = {}
        # one line per host kill, naming what was lost with it
        self.incidents: list[str] = []
        # tasks of this executor that may outlive a run (host kills): kept referenced
        self._tasks: set[asyncio.Task[Any]] = set()
        # the thread astart() started Ray in; it must outlive Ray, so it parks on this
        self._keeper: threading.Thread | None = None
        self._parked = threading.Event()

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

    # -- starting and stopping ---------------------------------------------------------

    @property
    def started(self) -> bool:
        return bool(self._hosts)

    def start(self) -> None:
        """Connect to Ray (``ray.init`` unless this process already did) and start the
        hosts. Blocks for seconds the first time; idempotent and thread-safe."""
        with self._lock:
            if self._hosts:
                return
            if not ray.is_initialized():
                options = {
                    "include_dashboard": False,
                    "log_to_driver": False,
                    "configure_logging": False,
                    **self._init_options,
                }
                ray.init(address=self.address, **options)
                self._owns_ray = True
            options = {
                "num_cpus": 0,  # hosts wait on I/O; a node needing CPUs says so itself
                "max_concurrency": 1000,
                "scheduling_strategy": "SPREAD",  # over the machines of a cluster
                "max_restarts": -1,  # graphstage restarts a host it had to kill
                **self._host_options,
                "max_task_retries": 0,  # always: a node never runs twice behind your back
            }
            if self.runtime_env is not None:
                options["runtime_env"] = self.runtime_env
            remote = ray.remote(NodeHost)
            hosts = [remote.options(**options).remote(i) for i in range(self.size)]
            try:
                infos = ray.get([h.info.remote() for h in hosts], timeout=START_TIMEOUT)
            except GetTimeoutError:
                for host in hosts:
                    ray.kill(host, no_restart=True)
                raise TimeoutError(
                    f"the {self.size} Ray host(s) did not start within {START_TIMEOUT:g} s "
                    f"(no room for them in the cluster, or a runtime_env still installing?)"
                ) from None
            self.info = [HostInfo(i, *info) for i, info in enumerate(infos)]
            self._generation = [0] * self.size
            self._hosts = hosts

    async def astart(self) -> None:
        """``start()`` in a thread of its own, so the event loop (a window) keeps running.

        The thread then stays parked until ``shutdown()``: Ray's own processes are started
        with a parent-death signal that fires when the *thread* that started them ends.
        """
        if self._hosts:
            return
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def report(error: BaseException | None) -> None:
            if not done.done():
                if error is None:
                    done.set_result(None)
                else:
                    done.set_exception(error)

        def keeper() -> None:
            try:
                self.start()
            except BaseException as exc:
                loop.call_soon_threadsafe(report, exc)
                return
            loop.call_soon_threadsafe(report, None)
            self._parked.wait()

        with self._lock:
            starting = self._keeper is not None and self._keeper.is_alive()
            if not starting:
                self._keeper = threading.Thread(
                    target=keeper, name="graphstage Ray start-up", daemon=True
                )
                self._keeper.start()
        if starting:  # another loop is starting it: start() returns once that is done
            await asyncio.to_thread(self.start)
        else:
            await done

    def shutdown(self) -> None:
        """Kill the hosts; disconnect from Ray if ``start()`` connected."""
        self._parked.set()
        with self._lock:
            for host in self._hosts:
                ray.kill(host, no_restart=True)
            self._hosts = []
            self._refs.clear()  # they belong to the Ray session that ends here
            if self._owns_ray:
                ray.shutdown()
                self._owns_ray = False

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

    # -- hosts that die ------------------------------------------------------------------

    def lost(self, index: int, generation: int, node: str, step: int, exc: Exception) -> str:
        """Why an execution that started at ``generation`` on host ``index`` was lost."""
        reason = self._kill_reasons.get((index, generation + 1))
        if reason is None:
            self.spawn(self._refresh(index))
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            reason = f"died ({first})"
        return (
            f"node '{node}' (step {step}) was lost: its Ray host {index} {reason}; "
            f"it was not re-run"
        )

    async def kill_host(self, index: int, reason: str, culprit: str) -> None:
        """Kill host ``index`` (Ray restarts it) because ``reason``; every other execution
        on it is lost and named in ``incidents``."""
        if index in self._restarting:
            return
        back = self._restarting[index] = asyncio.Event()
        self._generation[index] += 1
        self._kill_reasons[(index, self._generation[index])] = f"was killed {reason}"
        others = [
            f"node '{node}' (run {run_id})"
            for exec_id, (i, node, run_id) in self.inflight.items()
            if i == index and exec_id != culprit
        ]
        self.incidents.append(
            f"killed Ray host {index} {reason}; lost with it: {', '.join(others) or 'nothing'}"
        )
        try:
            ray.kill(self._hosts[index], no_restart=False)
            await self._refresh(index, dead_pid=self.info[index].pid)
            self.info[index].restarts += 1
        finally:
            del self._restarting[index]
            back.set()

    async def ready(self, index: int) -> None:
        """Wait while host ``index`` is being restarted."""
        back = self._restarting.get(index)
        if back is not None:
            with anyio.move_on_after(RESTART_TIMEOUT):  # then its execution fails, named
                await back.wait()

    async def _refresh(self, index: int, dead_pid: int | None = None) -> None:
        """Ask host ``index`` who it is now; ``dead_pid``: wait until a new process
        answers (``ray.kill`` returns before the old one is gone)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RESTART_TIMEOUT
        while True:
            try:
                node_id, pid, hostname = await self._hosts[index].info.remote()
            except RayActorError:
                pid = dead_pid
            if pid == dead_pid:
                if loop.time() > deadline:
                    raise TimeoutError(f"Ray host {index} did not come back after being killed")
                await asyncio.sleep(0.05)
                continue
            old = self.info[index]
            self.info[index] = HostInfo(index, node_id, pid, hostname, old.restarts)
            return

    async def wait_idle(self) -> None:
        """Wait until this executor's own tasks on this loop (cancels in flight, host
        kills and restarts) are done: before closing a loop that used it."""
        loop = asyncio.get_running_loop()
        while mine := [t for t in self._tasks if t.get_loop() is loop]:
            await asyncio.gather(*mine, return_exceptions=True)

    def spawn(self, coro: Any) -> None:
        """Run ``coro`` as a task of this executor, kept referenced until it ends."""
        task = asyncio.get_running_loop().create_task(coro, name="RayExecutor housekeeping")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def __repr__(self) -> str:
        return f"RayExecutor(address={self.address!r}, hosts={self.size})"
