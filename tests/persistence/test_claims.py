"""A thread is continued by one run at a time, also across processes: two processes that
continue one thread at the same instant are decided by the file (the claim is written in
the writer thread's ``BEGIN IMMEDIATE`` transaction): the first to commit goes on, the other
is refused before it runs any node, with an error naming the thread and the other run."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graphstage import SqliteSaver

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes"),
    pytest.mark.timeout(90),
]

RACER = Path(__file__).resolve().parent / "claim_race.py"
ROOT = Path(__file__).resolve().parents[2]


def poll(check: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out after {timeout}s"
        time.sleep(0.02)
    return value


def traced(trace: Path) -> list[str]:
    return trace.read_text().split() if trace.exists() else []


def test_two_processes_continuing_one_thread_at_once_one_is_refused_before_any_node(
    tmp_path: Path,
) -> None:
    db, trace, gate = tmp_path / "j.sqlite3", tmp_path / "trace.txt", tmp_path / "gate"
    SqliteSaver(db).close()  # the journal and its tables exist
    ready = [tmp_path / "ready0", tmp_path / "ready1"]
    procs: list[subprocess.Popen[str]] = []
    try:
        # the file locked as another process would: both runs start and queue their claim
        # (neither sees the other's), and both claims are written only once it is released
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            procs = [
                subprocess.Popen(
                    [sys.executable, str(RACER), str(db), "t", str(trace), str(gate), str(r)],
                    cwd=ROOT,
                    env={**os.environ, "GRAPHSTAGE_DB": "/nonexistent/do-not-use"},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for r in ready
            ]
            poll(lambda: all(r.exists() for r in ready), timeout=60)
            assert traced(trace) == []  # no node runs before its claim is in the file
        finally:
            other.execute("ROLLBACK")
            other.close()
        refused = poll(lambda: [p for p in procs if p.poll() is not None], timeout=30)[0]
        gate.touch()  # the winner's slow node may now finish
        outs = [json.loads(p.communicate(timeout=30)[0]) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    [lost] = [o for o in outs if o["status"] == "failed"]
    [won] = [o for o in outs if o["status"] == "completed"]
    assert lost is outs[procs.index(refused)]
    assert lost["error"] == (
        f"ResumeError: thread 't' is being continued by run {won['run']} (another process "
        f"claimed it at the same instant); run {lost['run']} ran no node: wait for that run "
        f"to end (or stop it) before continuing the thread again"
    )
    # only the winner's nodes ran, each once
    assert sorted(traced(trace)) == ["fan", "fast", "slow", "tail"]
