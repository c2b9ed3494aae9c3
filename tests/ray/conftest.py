"""Ray tests start a real Ray cluster, so they run only where its traffic cannot leave the
machine: inside a network namespace that has nothing but loopback, and only when asked.

    GRAPHSTAGE_RAY_TESTS=1 unshare -n -p -f --mount-proc bash -c \
        'ip link set lo up && python -m pytest tests/ray'

(as root; ``.ci/run`` does this). The pid namespace (``-p -f --mount-proc``) keeps Ray
from finding or stopping any other Ray on the machine, and ends every process it started
when the command ends. Without ``GRAPHSTAGE_RAY_TESTS=1`` every test here is
skipped, with the reason; with it, a machine where they cannot run safely (Ray missing, a
non-loopback interface up) is an error, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import socket
import struct
from pathlib import Path

import pytest

HERE = Path(__file__).parent
HOW = (
    "GRAPHSTAGE_RAY_TESTS=1 unshare -n -p -f --mount-proc bash -c "
    "'ip link set lo up && python -m pytest tests/ray'"
)


def _interfaces_up() -> list[str]:
    """Names of the network interfaces that are up in this process's network namespace."""
    up = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            request = struct.pack("16sH14x", name.encode()[:15], 0)
            try:
                flags = struct.unpack("16sH14x", fcntl.ioctl(sock, 0x8913, request))[1]
            except OSError:
                continue
            if flags & 0x1:  # IFF_UP
                up.append(name)
    return up


def skip_reason() -> str | None:
    """Why the Ray tests cannot run here, or None."""
    if importlib.util.find_spec("ray") is None:
        return "Ray is not installed: pip install -e '.[ray]'"
    if os.environ.get("GRAPHSTAGE_RAY_TESTS") != "1":
        return f"Ray tests start a Ray cluster; run them in a loopback-only namespace: {HOW}"
    others = [name for name in _interfaces_up() if name != "lo"]
    if others:
        return (
            f"a non-loopback network interface is up ({', '.join(others)}): Ray would bind to "
            f"it; run the Ray tests in a loopback-only namespace: {HOW}"
        )
    if "lo" not in _interfaces_up():
        return "loopback is down: run 'ip link set lo up' first"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = skip_reason()
    if reason is None:
        return
    if os.environ.get("GRAPHSTAGE_RAY_TESTS") == "1" and any(
        HERE in Path(str(item.path)).parents for item in items
    ):
        raise pytest.UsageError(f"GRAPHSTAGE_RAY_TESTS=1 but the Ray tests cannot run: {reason}")
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def executor():
    """One local Ray and a pool of two hosts for every Ray test (Ray takes seconds to
    start); ``shutdown()`` stops the hosts and Ray at the end."""
    from graphstage.ray import RayExecutor

    pool = RayExecutor(hosts=2, kill_after=0.5, init_options={"num_cpus": 2})
    pool.start()
    yield pool
    pool.shutdown()
