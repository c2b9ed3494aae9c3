"""Threads on the command line, in real processes: answers, the prompt, SIGKILL while a
thread waits, and resume refusals (a node renamed, a run already continued)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))  # shared helpers
from cli_helpers import journal_rows, poll

ROOT = Path(__file__).resolve().parents[2]
GRAPH_FILE = Path(__file__).resolve().parent / "hitl_graph.py"

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
    pytest.mark.timeout(60),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def graph(tmp_path: Path) -> str:
    """A copy of the graph file, so a test may edit it (a node renamed)."""
    copy = tmp_path / "hitl_graph.py"
    shutil.copy(GRAPH_FILE, copy)
    return f"{copy}:graph"


@pytest.fixture
def trace(tmp_path: Path) -> Path:
    return tmp_path / "trace.txt"


def traced(trace: Path) -> list[str]:
    return trace.read_text().split() if trace.exists() else []


def cli(*args: str, db: Path) -> list[str]:
    return [sys.executable, "-m", "graphstage", *args, "--db", str(db)]


def env() -> dict[str, str]:
    return {**os.environ, "GRAPHSTAGE_DB": "/nonexistent/do-not-use"}


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*args, db=db),
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def start_cli(*args: str, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli(*args, db=db),
        cwd=ROOT,
        env=env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def reaper() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def waiting(db: Path, thread: str) -> bool:
    """The thread's latest checkpoint records a question waiting for an answer."""
    found = journal_rows(
        db,
        "SELECT json_extract(pending, '$.paused') FROM thread_checkpoints "
        "WHERE thread_id = ? ORDER BY seq DESC LIMIT 1",
        thread,
    )
    return bool(found) and found[0][0] == "interrupt"


def started(db: Path, node: str) -> str | None:
    found = journal_rows(
        db,
        "SELECT run_id FROM events WHERE kind = 'node_started' "
        "AND json_extract(data, '$.node') = ?",
        node,
    )
    return found[0][0] if found else None


def prompted(proc: subprocess.Popen[str]) -> Callable[[], bool]:
    """A check that becomes true once the process shows its prompt on stderr (read in a
    thread of its own: the prompt ends without a newline)."""
    seen: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        while ch := proc.stderr.read(1):
            seen.append(ch)

    threading.Thread(target=read, daemon=True).start()
    return lambda: "Ctrl+C stops" in "".join(seen)


def inp(trace: Path, **more: Any) -> str:
    return json.dumps({"trace": str(trace), "log": [], **more})


def test_answer_resumes_the_interrupt_and_the_run_completes(
    db: Path, graph: str, trace: Path
) -> None:
    done = run_cli("run", graph, "--input", inp(trace), "--answer", "true", db=db)
    assert done.returncode == 0, done.stderr
    assert "approve waits for an answer: " in done.stdout
    assert '"approved=True", "published"' in done.stdout
    assert traced(trace) == ["draft", "slow", "approve", "approve", "publish"]


def test_without_an_answer_the_thread_waits_and_a_later_process_answers_it(
    db: Path, graph: str, trace: Path
) -> None:
    paused = run_cli("run", graph, "--input", inp(trace), "--thread", "t1", db=db)
    assert paused.returncode == 3, paused.stderr
    assert "graphstage resume t1 --answer JSON" in paused.stderr
    listed = run_cli("threads", db=db)
    assert "t1" in listed.stdout and "paused" in listed.stdout
    state = run_cli("state", "t1", db=db)
    assert "approve waits: " in state.stdout and '"publish?"' in state.stdout
    done = run_cli("resume", "--yes", "t1", "--answer", '"yes"', db=db)
    assert done.returncode == 0, done.stderr
    assert '"approved=yes", "published"' in done.stdout
    assert traced(trace) == ["draft", "slow", "approve", "approve", "publish"]


def test_a_thread_paused_at_an_interrupt_survives_sigkill_and_is_answered_after_restart(
    db: Path, graph: str, trace: Path, reaper: list[subprocess.Popen[str]]
) -> None:
    proc = start_cli("run", graph, "--input", inp(trace), "--thread", "k", "--ask", db=db)
    reaper.append(proc)
    poll(lambda: waiting(db, "k"))  # at the prompt now: the question is on disk
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    state = run_cli("state", "k", "--json", db=db)
    [head] = [json.loads(line) for line in state.stdout.splitlines()]
    assert (head["next"], head["paused"]) == (["approve"], "interrupt")
    done = run_cli("resume", "--yes", "k", "--answer", '{"ok": 1}', db=db)
    assert done.returncode == 0, done.stderr
    assert "approved={'ok': 1}" in done.stdout
    assert traced(trace) == ["draft", "slow", "approve", "approve", "publish"]


def test_the_prompt_reads_the_answer_from_stdin(
    db: Path, graph: str, trace: Path, reaper: list[subprocess.Popen[str]]
) -> None:
    proc = start_cli("run", graph, "--input", inp(trace), "--thread", "p", "--ask", db=db)
    reaper.append(proc)
    poll(lambda: waiting(db, "p"))
    out, err = proc.communicate("go ahead\n", timeout=30)
    assert proc.returncode == 0, err
    assert "paused at the interrupt in approve" in err
    assert '"approved=go ahead", "published"' in out


def test_ctrl_c_at_the_prompt_takes_the_waiting_nodes_cleanup_route(
    db: Path, graph: str, trace: Path, reaper: list[subprocess.Popen[str]]
) -> None:
    proc = start_cli("run", graph, "--input", inp(trace), "--thread", "c", "--ask", db=db)
    reaper.append(proc)
    poll(prompted(proc))
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    assert proc.stdout is not None
    out = proc.stdout.read()
    assert "[step 3] approve -> cleanup (command after stop)" in out
    assert '"cleaned up"' in out
    assert traced(trace) == ["draft", "slow", "approve", "approve", "cleanup"]


def test_a_resume_whose_next_node_was_renamed_is_refused_before_anything_runs(
    db: Path, graph: str, trace: Path
) -> None:
    assert run_cli("run", graph, "--input", inp(trace), "--thread", "r", db=db).returncode == 3
    source = Path(graph.rsplit(":", 1)[0])
    source.write_text(
        source.read_text()
        .replace('("approve", approve)', '("review", approve)')
        .replace('"slow", "approve"', '"slow", "review"')
        .replace('"approve", "publish"', '"review", "publish"')
    )
    refused = run_cli("resume", "r", "--graph", graph, "--answer", "true", db=db)
    assert refused.returncode == 2
    [line] = refused.stderr.splitlines()
    assert "runs node(s) approve next" in line and "renamed" in line
    assert refused.stdout.count("started") == 0
    assert traced(trace) == ["draft", "slow", "approve"]
    assert waiting(db, "r")  # untouched: the right graph can still answer it


def runs_that_started(db: Path, node: str) -> list[str]:
    found = journal_rows(
        db,
        "SELECT run_id FROM events WHERE kind = 'node_started' "
        "AND json_extract(data, '$.node') = ? ORDER BY time",
        node,
    )
    return [run_id for (run_id,) in found]


def test_a_stopped_run_is_continued_once_and_nothing_runs_twice(
    db: Path, graph: str, trace: Path, tmp_path: Path, reaper: list[subprocess.Popen[str]]
) -> None:
    gate = tmp_path / "gate"
    first = start_cli("run", graph, "--input", inp(trace, gate=str(gate)), db=db)
    reaper.append(first)
    [thread] = poll(lambda: runs_that_started(db, "slow"))  # named after its first run
    first.send_signal(signal.SIGINT)
    assert first.wait(timeout=30) == 130
    second = start_cli("resume", "--yes", thread[:8], db=db)  # stopped again, in the same step
    reaper.append(second)
    resumed = poll(lambda: runs_that_started(db, "slow")[1:])[0]
    second.send_signal(signal.SIGINT)
    assert second.wait(timeout=30) == 130
    gate.touch()
    done = run_cli("resume", "--yes", thread[:8], "--answer", "true", db=db)
    assert done.returncode == 0, done.stderr
    assert "draft started" not in done.stdout  # it went on from the checkpoint
    again = run_cli("resume", "--yes", resumed[:8], "--answer", "true", db=db)
    assert again.returncode == 2
    [line] = again.stderr.splitlines()
    assert f"run {resumed[:12]} was already continued" in line
    ended = run_cli("resume", "--yes", thread, db=db)
    assert ended.returncode == 2 and "has reached its end" in ended.stderr
    assert traced(trace) == ["draft", "slow", "slow", "slow", "approve", "approve", "publish"]


def test_resuming_a_failed_fan_out_runs_only_the_branch_that_failed(
    db: Path, tmp_path: Path, trace: Path
) -> None:
    graph = f"{Path(__file__).resolve().parent / 'fanout_fail_graph.py'}:graph"
    fix = tmp_path / "fixed"
    failed = run_cli("run", graph, "--input", inp(trace, fix=str(fix)), "--thread", "f", db=db)
    assert (
        failed.returncode == 1 and "failed: RuntimeError: flaky is not fixed yet" in failed.stdout
    )
    state = run_cli("state", "f", db=db)
    assert 'steady finished: {"log": ["steady"]}' in state.stdout
    assert "flaky failed: RuntimeError('flaky is not fixed yet')" in state.stdout
    fix.touch()
    done = run_cli("resume", "--yes", "f", db=db)
    assert done.returncode == 0, done.stderr
    assert '"fan", "flaky", "steady", "tail"' in done.stdout
    # steady's side effect happened once: its write was kept, only flaky ran again
    assert traced(trace) == ["fan", "flaky", "steady", "flaky", "tail"]


def test_a_process_killed_mid_step_keeps_the_finished_branch_and_reruns_only_the_other(
    db: Path, tmp_path: Path, trace: Path, reaper: list[subprocess.Popen[str]]
) -> None:
    graph = f"{Path(__file__).resolve().parent / 'midstep_graph.py'}:graph"
    gate = tmp_path / "gate"
    proc = start_cli("run", graph, "--input", inp(trace, gate=str(gate)), "--thread", "m", db=db)
    reaper.append(proc)
    # fast has finished and its write is on disk; slow is still running
    poll(lambda: {"fast", "slow"} <= set(traced(trace)))
    poll(
        lambda: journal_rows(
            db, "SELECT 1 FROM thread_writes WHERE thread_id = 'm' AND task_id = 'fast'"
        )
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert "tail" not in traced(trace)
    state = run_cli("state", "m", db=db)
    assert 'fast finished: {"log": ["fast"]}' in state.stdout
    gate.touch()
    done = run_cli("resume", "--yes", "m", db=db)
    assert done.returncode == 0, done.stderr
    assert '"fan", "fast", "slow", "tail"' in done.stdout
    # fast ran once: only the branch that had not finished ran again
    assert sorted(traced(trace)) == sorted(["fan", "fast", "slow", "slow", "tail"])
    assert traced(trace)[-1] == "tail"
