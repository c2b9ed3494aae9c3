"""The Ray hosts of a ``RayExecutor``'s pool: starting them (``ray.init`` first, unless this
process already did), shutting them down, and a host that dies or must be killed to end a
node that will not let go: it is restarted, and every execution lost with it is named."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

import anyio

try:
    import ray
    from ray.exceptions import GetTimeoutError, RayActorError
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError("graphstage.ray needs Ray: pip install 'graphstage[ray]'") from exc

from ._ray_host import NodeHost

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


class RayHosts:
    """Mixed into ``RayExecutor``: its hosts' lifecycle. It reads the pool's options and
    its executions in flight (to name what a host kill loses)."""

    address: str | None
    size: int
    runtime_env: dict[str, Any] | None
    _host_options: dict[str, Any]
    _init_options: dict[str, Any]
    inflight: dict[str, tuple[int, str, str]]
    _refs: dict[str, list[Any]]

    def _init_hosts(self) -> None:
        """No host started yet (called by ``RayExecutor.__init__``)."""
        # guards start(): it may run in a worker thread while the loop asks started
        self._lock = threading.Lock()
        # the Ray actor handles, by index; empty until started
        self._hosts: list[Any] = []
        # what each host was last seen as
        self.info: list[HostInfo] = []
        # True if start() called ray.init (so shutdown() calls ray.shutdown)
        self._owns_ray = False
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
