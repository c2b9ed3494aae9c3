"""The headless CLI in real processes: signals, SIGKILL and resume, exit codes, output."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphstage import load_event

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the CLI tests' shared helpers
from cli_helpers import journal_rows, poll

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = f"{ROOT / 'resources' / 'examples' / 'stop_and_cleanup.py'}:graph"
GATED = f"{Path(__file__).resolve().parent / 'gated.py'}:graph"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


def cli(*args: str, db: Path) -> list[str]:
    return [sys.executable, "-m", "graphstage", *args, "--db", str(db)]


def env() -> dict[str, str]:
    return {**os.environ, "GRAPHSTAGE_DB": "/nonexistent/do-not-use"}


def run_cli(*args: str, db: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*args, db=db), cwd=ROOT, env=env(), capture_output=True, text=True, timeout=timeout
    )


def start_cli(*args: str, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli(*args, db=db),
        cwd=ROOT,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def started(db: Path, node: str) -> str | None:
    """The id of a run in which ``node`` has started, once the journal shows one."""
    rows = journal_rows(
        db,
        "SELECT run_id FROM events WHERE kind = 'node_started' "
        "AND json_extract(data, '$.node') = ?",
        node,
    )
    return rows[0][0] if rows else None


@pytest.fixture
def reaper() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test started; any still alive at the end are killed."""
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()  # else a ResourceWarning (an error in these tests)


def test_sigkill_mid_run_leaves_an_interrupted_run_that_resume_finishes(
    db: Path,
    tmp_path: Path,
    reaper: list[subprocess.Popen[str]],
) -> None:
    gate = tmp_path / "gate"
    proc = start_cli("run", GATED, "--input", json.dumps({"gate": str(gate)}), db=db)
    reaper.append(proc)
    run_id = poll(lambda: started(db, "work"))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    listed = run_cli("runs", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    [record] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (record["run_id"], record["status"]) == (run_id, "interrupted")

    shown = run_cli("show", run_id[:8], "--json", db=db)
    events = [load_event(line) for line in shown.stdout.splitlines()]
    assert [e.seq for e in events] == list(range(len(events)))
    kinds = [(e.kind, getattr(e, "node", None)) for e in events]  # type: ignore[attr-defined]
    assert kinds[:1] == [("run_started", None)]
    assert ("node_started", "first") in kinds and ("node_started", "work") in kinds
    assert ("state_updated", None) in kinds  # the checkpoint after step 1

    gate.touch()
    resumed = run_cli("resume", run_id[:8], "--yes", db=db)
    assert resumed.returncode == 0, resumed.stderr
    assert "first started" not in resumed.stdout  # it went on from the checkpoint
    assert "[step 2] work started" in resumed.stdout
    assert '"result": "done"' in resumed.stdout and '"count": 1' in resumed.stdout

    runs = [json.loads(line) for line in run_cli("runs", "--json", db=db).stdout.splitlines()]
    assert {(r["status"], r["resumed_from"]) for r in runs} == {
        ("interrupted", None),
        ("completed", run_id),
    }


def test_sigint_during_work_stage_runs_cleanup_and_exits_130(
    db: Path,
    reaper: list[subprocess.Popen[str]],
) -> None:
    proc = start_cli("run", EXAMPLE, "--input", '{"sleep_seconds": 30}', db=db)
    reaper.append(proc)
    run_id = poll(lambda: started(db, "work_stage"))
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)

    assert proc.returncode == 130, err
    assert "cleanup_stage started" in out
    assert "SIGINT" in err and "Traceback" not in err
    rows = journal_rows(
        db, "SELECT seq, kind, data FROM events WHERE run_id = ? ORDER BY seq", run_id
    )
    assert [seq for seq, _, _ in rows] == list(range(len(rows)))
    kinds = [kind for _, kind, _ in rows]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    assert "stop_requested" in kinds
    last = json.loads(rows[-1][2])
    assert (last["status"], last["values"]["result"]) == ("cancelled", "cleanup")
    assert journal_rows(db, "SELECT status FROM runs WHERE run_id = ?", run_id) == [("cancelled",)]


def test_a_second_sigint_kills_the_run_and_exits_137(
    db: Path,
    tmp_path: Path,
    reaper: list[subprocess.Popen[str]],
) -> None:
    hold = tmp_path / "hold"
    hold.touch()  # keeps the cleanup node busy, so the second Ctrl+C finds it running
    inp = {"gate": str(tmp_path / "never"), "hold": str(hold)}
    proc = start_cli("run", GATED, "--input", json.dumps(inp), db=db)
    reaper.append(proc)
    poll(lambda: started(db, "work"))
    proc.send_signal(signal.SIGINT)
    run_id = poll(lambda: started(db, "cleanup"))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 137, err
    assert journal_rows(db, "SELECT status FROM runs WHERE run_id = ?", run_id) == [("killed",)]


def test_sigterm_stops_gracefully_like_the_first_ctrl_c(
    db: Path,
    reaper: list[subprocess.Popen[str]],
) -> None:
    proc = start_cli("run", EXAMPLE, "--input", '{"sleep_seconds": 30}', db=db)
    reaper.append(proc)
    poll(lambda: started(db, "work_stage"))
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 130, err
    assert '"result": "cleanup"' in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", EXAMPLE, "--input", '{"sleep_seconds": 0'), "not valid JSON"),
        (("run", EXAMPLE, "--input", "[1, 2]"), "must be a JSON object"),
        (("run", EXAMPLE, "--input", '{"sleep_seconds": 0}'), "greater than 0"),
        (("run", EXAMPLE, "--input", '{"sleep_seconds": "soon"}'), "sleep_seconds"),
        (("run", "no/such/file.py:graph"), "no such file"),
        (
            ("run", f"{ROOT / 'resources' / 'examples' / 'stop_and_cleanup.py'}:nope"),
            "has no attribute 'nope'",
        ),
        (("show", "0123456789abcdef"), "no run"),
        (("resume", "0123456789abcdef"), "no run"),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "fails-the-model",
        "wrong-type",
        "missing-file",
        "missing-attribute",
        "unknown-run",
        "unknown-run-resume",
    ],
)
def test_bad_input_prints_one_clear_line_and_exits_2(
    db: Path,
    args: tuple[str, ...],
    message: str,
) -> None:
    done = run_cli(*args, db=db)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_bad_journal_file_exits_2_naming_it(db: Path) -> None:
    db.write_bytes(b"garbage" * 500)
    done = run_cli("runs", db=db)
    assert done.returncode == 2
    assert str(db) in done.stderr and "corrupt" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_json_output_is_one_parsable_event_per_line(db: Path) -> None:
    done = run_cli("run", EXAMPLE, "--input", '{"sleep_seconds": 1}', "--json", db=db)
    assert done.returncode == 0, done.stderr
    events = [load_event(json.loads(line)) for line in done.stdout.splitlines()]
    assert [e.seq for e in events] == list(range(len(events)))
    kinds = [e.kind for e in events]  # type: ignore[attr-defined]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    assert events[-1].values == {"sleep_seconds": 1, "result": "done"}  # type: ignore[attr-defined]


def test_text_output_has_a_line_per_event_and_the_final_state(db: Path) -> None:
    done = run_cli("run", EXAMPLE, "--input", '{"sleep_seconds": 1}', db=db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1:3] == ["[step 0] START -> work_stage (edge)", "[step 1] work_stage started"]
    assert "[step 1] work_stage: working: 1/1 s" in lines
    assert "[step 1] work_stage -> END (command)" in lines
    assert lines[-1] == 'final state: {"sleep_seconds": 1, "result": "done"}'


def test_runs_and_show_read_the_journal_the_env_variable_names(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite3"
    environ = {**env(), "GRAPHSTAGE_DB": str(db)}
    base = [sys.executable, "-m", "graphstage"]
    done = subprocess.run(
        [*base, "run", EXAMPLE, "-i", '{"sleep_seconds": 1}'],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [*base, "runs"], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=30
    )
    assert "completed" in listed.stdout and "stop_and_cleanup" in listed.stdout
    run_id = listed.stdout.splitlines()[1].split()[0]
    shown = subprocess.run(
        [*base, "show", run_id], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=30
    )
    assert shown.stdout.splitlines()[-1] == 'final state: {"sleep_seconds": 1, "result": "done"}'


def test_graph_mermaid_prints_the_diagram(db: Path) -> None:
    done = run_cli("graph", EXAMPLE, "--mermaid", db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("flowchart TD\n")
    assert "work_stage" in done.stdout and "cleanup_stage" in done.stdout


def test_the_cli_imports_no_qt() -> None:
    code = (
        "import sys, graphstage.app.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_the_cli_freezes_its_start_up_heap_before_the_run(db: Path, tmp_path: Path) -> None:
    """The console script freezes what loading made (gc.freeze) before its run's loop
    starts, so that collections during the run do not walk the start-up heap; the graph's
    node sees it frozen. ``cli.main`` called in this process froze nothing."""
    graph_file = tmp_path / "frozen.py"
    graph_file.write_text(
        "import gc\n"
        "from typing import TypedDict\n"
        "from graphstage import START, StateGraph\n"
        "class S(TypedDict, total=False):\n"
        "    frozen: int\n"
        "b = StateGraph(S)\n"
        "b.add_node('look', lambda s: {'frozen': gc.get_freeze_count()})\n"
        "b.add_edge(START, 'look')\n"
        "graph = b.compile()\n"
    )
    done = run_cli("run", f"{graph_file}:graph", "--json", db=db)
    assert done.returncode == 0, done.stderr
    finished = [json.loads(line) for line in done.stdout.splitlines() if "run_finished" in line]
    assert finished[-1]["values"]["frozen"] > 10_000  # graphstage, pydantic... all frozen
    from graphstage.app.cli import main

    before = gc.get_freeze_count()
    assert main(["run", f"{graph_file}:graph", "--no-journal"]) == 0
    assert gc.get_freeze_count() == before
