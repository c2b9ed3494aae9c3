"""Recovery: runs left ``running`` by a dead process become ``interrupted``, and the
heartbeat that tells other processes this one's runs are alive."""

from __future__ import annotations

import asyncio
import logging
import os
import time

from ._writer import _Writer

log = logging.getLogger("graphstage.journal")

HEARTBEAT_INTERVAL = 5.0
"""Seconds between heartbeats of a process's running runs."""

STALE_AFTER = 600.0
"""Seconds without a heartbeat after which a ``running`` run is taken as interrupted even if
a process with its writer's pid exists (that pid was reused, or the run is on another host)."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


class _Recovery(_Writer):
    """Marking dead processes' runs interrupted on opening, and beating this one's."""

    def _recover(self) -> list[str]:
        conn = self._db
        rows = conn.execute(
            "SELECT run_id, pid, host, heartbeat FROM runs WHERE status = 'running'"
        ).fetchall()
        now = time.time()
        dead = [
            run_id
            for run_id, pid, host, beat in rows
            if (beat is None or now - beat > STALE_AFTER)
            or (host == self._host and (pid is None or not _pid_alive(pid)))
        ]
        if dead:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "UPDATE runs SET status = 'interrupted' WHERE run_id = ? AND status = 'running'",
                [(run_id,) for run_id in dead],
            )
            conn.execute("COMMIT")
            log.warning(
                "run journal %s: marked %d run(s) interrupted: %s",
                self.path,
                len(dead),
                ", ".join(dead),
            )
        return dead

    def _start_heartbeat(self) -> None:
        if self._beat_handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._beat_handle = loop.call_later(HEARTBEAT_INTERVAL, self._beat)

    def _beat(self) -> None:
        """Tell other processes this one's runs are alive, while any is running."""
        self._beat_handle = None
        if not self._running or self._conn is None:
            return
        now = time.time()
        with self._buf_lock:
            self._buf.beats.extend((now, run_id) for run_id in self._running)
        self._hand_off()
        self._start_heartbeat()
