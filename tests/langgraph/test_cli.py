"""``graphstage run`` / ``graphstage graph`` on the seed program kept in its LangGraph form,
in real processes: the first Ctrl+C (SIGINT) reaches cleanup_stage."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("langgraph", reason="needs pip install -e '.[bench]'")
pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
    pytest.mark.timeout(60),
]

SEED = f"{Path(__file__).resolve().parent / 'seed_langgraph.py'}:graph"


def cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "graphstage", *args, "--db", str(db)]


def env() -> dict[str, str]:
    return {**os.environ, "GRAPHSTAGE_DB": "/nonexistent/do-not-use"}


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def work_stage_started(db: Path) -> Any:
    if not db.exists():
        return None
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT run_id FROM events WHERE kind = 'custom_output' "
            "AND json_extract(data, '$.node') = 'work_stage'"
        ).fetchone()
    except sqlite3.OperationalError:  # the schema is not there yet
        return None
    finally:
        conn.close()


def test_ctrl_c_reaches_cleanup_stage_of_the_langgraph_seed_program(
    tmp_path: Path, procs: list[subprocess.Popen[str]]
) -> None:
    db = tmp_path / "journal.sqlite3"
    proc = subprocess.Popen(
        cli(db, "run", SEED, "--input", '{"sleep_seconds": 30}'),
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    procs.append(proc)
    deadline = time.monotonic() + 30
    while not work_stage_started(db):  # its first line is journaled: it is running
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "work_stage never wrote a line"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "cancellation detected" in out
    assert "cleanup_stage started" in out
    assert '"result": "cleanup"' in out
    assert "Traceback" not in err


def test_graph_describes_the_langgraph_seed_program(tmp_path: Path) -> None:
    done = subprocess.run(
        cli(tmp_path / "j.sqlite3", "graph", SEED),
        env=env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "nodes work_stage, cleanup_stage" in done.stdout
