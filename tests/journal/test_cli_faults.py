"""The CLI in real processes against misbehaving nodes: it always ends, with its exit code."""

from __future__ import annotations

import signal
import sqlite3
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
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert proc.returncode == 137, err
    assert "did not end when cancelled and were abandoned" in "".join(lines) + out
    assert "Traceback" not in err


@pytest.mark.timeout(60)
def test_an_abandoned_node_exits_137_only_once_every_journal_row_and_line_is_out(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``os._exit`` skips the exit handlers: the run's journal says ``killed`` with every
    event, stdout ends with the final lines, and a checkpoint the node put into a saver of
    its own, still queued behind another process's lock, is written before the exit."""
    from graphstage import Journal, SqliteSaver

    side = tmp_path / "side.sqlite3"
    SqliteSaver(str(side)).close()  # the file and its tables exist
    monkeypatch.setenv("GRAPHSTAGE_TEST_SIDE_DB", str(side))
    blocker = sqlite3.connect(side, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the node's checkpoint waits for this lock
    proc = start_cli("run", f"{HOSTILE}:keeps_and_ignores", "--input", "{}", db=db)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        poll(lambda: lines.append(proc.stdout.readline()) or "entered" in lines[-1])
        proc.send_signal(signal.SIGINT)
        poll(lambda: lines.append(proc.stdout.readline()) or "final state" in lines[-1])
        assert proc.poll() is None  # still flushing the side journal, behind the lock
        blocker.execute("ROLLBACK")
        out, err = proc.communicate(timeout=20)
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert proc.returncode == 137, err
    assert "Traceback" not in err
    printed = "".join(lines) + out
    assert "killed after 1 step(s): SurvivingTaskError" in printed
    assert printed.rstrip().splitlines()[-1].startswith("final state")
    with Journal(db) as journal:
        (record,) = journal.runs()
        kinds = [e.kind for e in journal.events(record.run_id)]
    assert record.status == "killed"
    assert kinds == [
        "run_started",
        "transition",
        "node_started",
        "custom_output",
        "stop_requested",
        "node_cancelled",
        "state_updated",
        "run_finished",
    ]
    with SqliteSaver(str(side)) as saver:
        kept = saver.get_tuple({"configurable": {"thread_id": "side"}})
    assert kept is not None and kept.values == {"kept": True}


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


EXAMPLE = f"{Path(__file__).resolve().parents[2] / 'resources/examples/stop_and_cleanup.py'}:graph"


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "latin1.json").write_bytes(b'{"sleep_seconds": 1, "result": "caf\xe9"}')
    (tmp / "huge.json").write_text('{"sleep_seconds": ' + "1" * 5000 + "}")
    (tmp / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    return [
        (["--input", "@" + str(tmp / "latin1.json")], "not UTF-8 text (byte 35)"),
        (["--input", "@" + str(tmp / "huge.json")], "Exceeds the limit (4300 digits)"),
        (["--input", "@" + str(tmp / "deep.json")], "JSON nested too deeply"),
        (["--input", '{"sleep_seconds": 1, "result": "\\ud800"}'], "not valid Unicode"),
        (["--input", '{"sleep_seconds": 1, "result": "\udcff"}'], "not valid Unicode"),
        (
            ["--input", '{"dryrun": false, "sleep_seconds": 1}'],
            "unknown field(s) 'dryrun' for State; its fields are sleep_seconds, result",
        ),
        (["--config", '{"recursion_limit": null}'], "recursion_limit must be a whole number"),
        (["--input", '"\\u001b[31mred"'], "must be a JSON object, got str"),
    ]


@pytest.mark.parametrize("case", range(8))
def test_bad_cli_input_is_one_line_and_exit_2(tmp_path: Path, capsys, case: int) -> None:
    from graphstage.app.cli import main

    args, message = _bad_inputs(tmp_path)[case]
    code = main(["run", EXAMPLE, *args, "--db", str(tmp_path / "j.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert len(err.splitlines()) == 1 and message in err, err
    assert "\x1b" not in err
    assert not (tmp_path / "j.sqlite3").exists()


def test_run_help_names_the_default_recursion_limit_the_run_uses(capsys) -> None:
    from graphstage import DEFAULT_RECURSION_LIMIT
    from graphstage.app.cli import main

    assert main(["run", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help text
    assert f"default {DEFAULT_RECURSION_LIMIT}, as LangGraph 1.2's" in out
