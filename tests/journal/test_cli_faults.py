"""The CLI in real processes against misbehaving nodes: it always ends, with its exit code."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .test_journal_cli import poll, run_cli, start_cli

HOSTILE = Path(__file__).resolve().parent / "hostile.py"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("graph", ["stubborn", "stuck_thread"])
@pytest.mark.parametrize("signals", [1, 2], ids=["stop", "stop_then_kill"])
def test_a_node_that_will_not_end_still_exits_137(db: Path, graph: str, signals: int) -> None:
    proc = start_cli("run", f"{HOSTILE}:{graph}", "--input", "{}", db=db)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        poll(lambda: lines.append(proc.stdout.readline()) or "entered" in lines[-1])
        for _ in range(signals):
            proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 137, err
    assert "did not end when cancelled and were abandoned" in "".join(lines) + out
    assert "Traceback" not in err


@pytest.mark.timeout(60)
@pytest.mark.parametrize("graph", ["exits", "interrupts"])
def test_a_node_raising_system_exit_or_keyboard_interrupt_fails_the_run(
    db: Path, graph: str
) -> None:
    done = run_cli("run", f"{HOSTILE}:{graph}", "--input", "{}", db=db)
    assert done.returncode == 1, done.stderr
    name = "SystemExit(3)" if graph == "exits" else "KeyboardInterrupt()"
    assert f"failed after 1 step(s): NodeExitError: node '{graph}' raised {name}" in done.stdout
    assert "Traceback" not in done.stderr


def test_ctrl_c_during_start_up_prints_no_traceback(db: Path, tmp_path: Path) -> None:
    slow = tmp_path / "slow_import.py"
    slow.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGINT)\n")
    done = subprocess.run(
        [sys.executable, "-m", "graphstage", "run", f"{slow}:graph", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "graphstage run: interrupted"
