"""The CLI handed hostile graph files, values and pipes: one clear line (or the run's own
outcome) and its exit code, never a traceback, a hang or a journal that says otherwise."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graphstage import Journal

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))  # shared helpers
from cli_helpers import poll

HERE = Path(__file__).resolve().parent
GRAPHS = HERE / "graphs.py"
ROOT = HERE.parents[1]

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and FIFOs"),
    pytest.mark.timeout(60),
]


def cli(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graphstage", *args, "--db", str(tmp_path / "j.sqlite3")],
        cwd=ROOT,
        env={**os.environ, "GRAPHSTAGE_DB": "/nonexistent/do-not-use"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 30) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def graph_files(tmp: Path) -> list[tuple[str, str]]:
    """(spec, what the one line says) for graph files that cannot be loaded."""
    (tmp / "stubborn_import.py").write_text(
        "class E(Exception):\n    def __str__(self):\n        raise ValueError('no')\nraise E()\n"
    )
    (tmp / "nul.py").write_bytes(b"x = 1\n\x00\n")
    os.mkfifo(tmp / "fifo.py")
    (tmp / "number.py").write_text("graph = 42\n")
    return [
        (f"{tmp}/stubborn_import.py:graph", "importing it raised E: <its str() raised ValueError>"),
        (f"{tmp}/nul.py:graph", "nul.py: syntax error: source code string cannot contain null"),
        (f"{tmp}/fifo.py:graph", "fifo.py is not a regular file; name a Python file (.py)"),
        (f"{tmp}/number.py:graph", "number.py:graph is an int, not a graph"),
    ]


@pytest.mark.parametrize("case", range(4), ids=["stubborn_str", "nul_byte", "fifo", "an_int"])
def test_a_graph_file_that_cannot_load_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: int
) -> None:
    from graphstage.app.cli import main

    spec, says = graph_files(tmp_path)[case]
    code = main(["run", spec, "--input", "{}", "--db", str(tmp_path / "j.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert len(err.splitlines()) == 1 and says in err, err
    assert "line None" not in err


def test_a_spec_ending_in_a_colon_names_the_default_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    example = ROOT / "resources" / "examples" / "stop_and_cleanup.py"
    code = main(["graph", f"{example}:"])
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith("graph stop_and_cleanup")


@pytest.mark.parametrize("graph", ["asks_opaque", "asks_cycle"])
def test_an_interrupt_whose_question_json_cannot_hold_pauses_the_thread_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], graph: str
) -> None:
    from graphstage.app.cli import main

    code = main(
        [
            "run",
            f"{GRAPHS}:{graph}",
            "--input",
            "{}",
            "--thread",
            "t",
            "--db",
            str(tmp_path / "j.sqlite3"),
        ]
    )
    _, err = capsys.readouterr()
    assert code == 3, err
    assert "thread t waits at the interrupt in a (" in err
    assert ("repr raised RuntimeError" if graph == "asks_opaque" else "nested deeper") in err


def test_a_node_error_whose_str_raises_is_named_on_the_run_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    code = main(["run", f"{GRAPHS}:stubborn", "--input", "{}", "--db", str(tmp_path / "j.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "a failed: Stubborn: <Stubborn: its str() raised RuntimeError: str broke>" in out
    assert "Traceback" not in err


def test_input_refused_on_a_new_thread_leaves_no_thread_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    db = str(tmp_path / "j.sqlite3")
    example = ROOT / "resources" / "examples" / "stop_and_cleanup.py"
    code = main(
        [
            "run",
            f"{example}:graph",
            "--input",
            '{"sleep_seconds": "x"}',
            "--thread",
            "t",
            "--db",
            db,
        ]
    )
    assert code == 2
    assert "invalid input" in capsys.readouterr().err
    assert main(["threads", "--json", "--db", db]) == 0
    assert capsys.readouterr().out == ""


def test_stdout_closed_mid_run_stops_it_gracefully_and_the_journal_says_so(
    tmp_path: Path,
) -> None:
    proc = cli(tmp_path, "run", f"{GRAPHS}:chatty", "--input", "{}")
    assert proc.stdout is not None
    poll(lambda: "line 3" in proc.stdout.readline())
    proc.stdout.close()  # the reader goes away, as `| head` does
    _, err = finish(proc)
    assert proc.returncode == 130, err
    assert "graphstage: stdout was closed: stopping the run gracefully" in err
    assert "Traceback" not in err and "Exception ignored" not in err
    with Journal(tmp_path / "j.sqlite3") as journal:
        (record,) = journal.runs()
        kinds = [e.kind for e in journal.events(record.run_id)]
    assert record.status == "cancelled"
    assert kinds.count("run_finished") == 1 and kinds[-1] == "run_finished"
    assert "stop_requested" in kinds


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_while_a_node_blocks_the_loop_names_it_and_the_next_one_leaves(
    tmp_path: Path, sig: signal.Signals
) -> None:
    proc = cli(tmp_path, "run", f"{GRAPHS}:hog", "--input", "{}")
    assert proc.stdout is not None and proc.stderr is not None
    poll(lambda: "hogging" in proc.stdout.readline())
    proc.send_signal(sig)
    said = proc.stderr.readline()
    assert "the run's event loop has not answered for 2 s: it is blocked in _hog (graphs.py" in said
    proc.send_signal(sig)
    _, err = finish(proc, timeout=20)
    assert proc.returncode == 137, err
    assert "leaving now" in err and "Traceback" not in err
    with Journal(tmp_path / "j.sqlite3") as journal:  # the process is gone: interrupted
        (record,) = journal.runs()
        kinds = [e.kind for e in journal.events(record.run_id)]
    assert record.status == "interrupted"
    assert kinds == ["run_started", "transition", "node_started"]


def test_thread_ids_node_names_and_questions_reach_the_terminal_escaped(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from graphstage.app.cli import main

    db = str(tmp_path / "j.sqlite3")
    thread = "t\x1b[31m"
    assert main(["run", f"{GRAPHS}:escapes", "--input", "{}", "--thread", thread, "--db", db]) == 3
    for args in (["threads"], ["state", thread], ["state", thread, "--history"]):
        capsysbinary.readouterr()
        assert main([*args, "--db", db]) == 0
        out, err = capsysbinary.readouterr()
        assert b"\x1b" not in out + err, args
        assert b"\\x1b[31m" in out, args
    assert main(["resume", thread, "--db", db, "--yes"]) == 2  # it waits for an answer
    out, err = capsysbinary.readouterr()
    assert b"\x1b" not in out + err and b"waits for an answer to: q\\x1b[31m" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_input_from_a_device_that_never_ends_is_refused_not_read_forever(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    from graphstage.app.cli import main

    example = ROOT / "resources" / "examples" / "stop_and_cleanup.py"
    db = str(tmp_path / "j.sqlite3")
    assert main(["run", f"{example}:graph", "--input", f"@{device}", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err == f"graphstage run: --input @{device}: over 64 MiB; is it the file you meant?\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--config", '{"configurable": 5}'], "--config: configurable must be a JSON object"),
        (["--thread", ""], "--thread: an empty thread id"),
    ],
    ids=["configurable", "empty_thread"],
)
def test_bad_run_options_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    from graphstage.app.cli import main

    example = ROOT / "resources" / "examples" / "stop_and_cleanup.py"
    db = tmp_path / "j.sqlite3"
    assert main(["run", f"{example}:graph", "--input", "{}", *args, "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and says in err, err
    assert not db.exists()


def test_ctrl_c_at_resumes_load_question_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """``resume`` asks before loading the file a journal names (stdin a terminal: a pty)."""
    import pty

    example = ROOT / "resources" / "examples" / "stop_and_cleanup.py"
    run = cli(tmp_path, "run", f"{example}:graph", "--input", '{"sleep_seconds": 30}')
    assert run.stdout is not None
    poll(lambda: "work_stage started" in run.stdout.readline())
    run.kill()  # the run is left interrupted, resumable
    finish(run)
    db = tmp_path / "j.sqlite3"
    with Journal(db) as journal:
        (record,) = journal.runs()
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "graphstage", "resume", record.run_id, "--db", str(db)],
            cwd=ROOT,
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None
        asked = b""
        while b"load it and resume? [y/N]" not in asked:  # the prompt ends no line
            chunk = os.read(proc.stdout.fileno(), 1024)
            assert chunk, "the process ended without asking"
            asked += chunk
        # the prompt is written just before input() reads: a SIGINT landing in between is
        # acted on only once the read returns (CPython checks signals on EINTR), so a
        # second one may be needed, as a person would press Ctrl+C again
        err = b""
        for _ in range(30):
            proc.send_signal(signal.SIGINT)
            try:
                _, err = proc.communicate(timeout=1)
                break
            except subprocess.TimeoutExpired:
                continue
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 130, err
    assert err.decode().splitlines()[-1] == "graphstage resume: interrupted"
    assert b"Traceback" not in err


@pytest.mark.parametrize("mermaid", [False, True], ids=["text", "mermaid"])
def test_graph_prints_node_names_with_control_characters_escaped(
    capsysbinary: pytest.CaptureFixture[bytes], mermaid: bool
) -> None:
    from graphstage.app.cli import main

    assert main(["graph", f"{GRAPHS}:escapes", *(["--mermaid"] if mermaid else [])]) == 0
    out = capsysbinary.readouterr().out
    assert b"\x1b" not in out and b"n\\x1b[31m" in out
    assert out.count(b"\n") >= 3  # still one line per node or edge


@pytest.mark.parametrize("command", ["runs", "threads"])
@pytest.mark.parametrize("limit", ["-1", "0", "ten"])
def test_a_list_limit_that_is_not_a_count_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, limit: str
) -> None:
    from graphstage.app.cli import main

    assert main([command, "-n", limit, "--db", str(tmp_path / "j.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert f"graphstage {command}: argument --limit/-n: " in err and "Traceback" not in err


def test_a_list_limit_over_64_bits_lists_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    db = str(tmp_path / "j.sqlite3")
    assert main(["run", f"{GRAPHS}:returns_opaque", "--input", "{}", "--db", db]) == 0
    capsys.readouterr()
    assert main(["runs", "-n", "99999999999999999999999", "--db", db]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2  # its header and the run


def test_a_builder_whose_compile_raises_anything_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    (tmp_path / "builders.py").write_text(
        "from typing import TypedDict\n"
        "from graphstage import START, StateGraph\n"
        "class S(TypedDict):\n    x: int\n"
        "class Stubborn(Exception):\n"
        "    def __str__(self):\n        raise RuntimeError('no')\n"
        "class Odd(StateGraph):\n"
        "    def compile(self, *args, **kwargs):\n        raise Stubborn()\n"
        "class Keyed(StateGraph):\n"
        "    def compile(self, *args, **kwargs):\n        raise KeyError('weird')\n"
        "odd, keyed = Odd(S), Keyed(S)\n"
    )
    db = str(tmp_path / "j.sqlite3")
    for name, says in [
        ("odd", "odd does not compile: compile() raised Stubborn: <its str() raised"),
        ("keyed", "keyed does not compile: compile() raised KeyError: 'weird'"),
    ]:
        assert main(["run", f"{tmp_path}/builders.py:{name}", "--input", "{}", "--db", db]) == 2
        out, err = capsys.readouterr()
        assert out == "" and len(err.splitlines()) == 1 and says in err, err


def test_answers_the_run_never_asked_for_are_named_not_dropped_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    db = str(tmp_path / "j.sqlite3")
    args = ["run", f"{GRAPHS}:returns_opaque", "--input", "{}", "--answer", "yes", "--db", db]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "1 --answer value(s) not used: the run ended completed without asking" in err


def test_the_cli_run_from_another_thread_runs_without_taking_signals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the main thread may set signal handlers: ``cli.main`` called from a worker
    thread (a user's tool) runs the graph and leaves signals alone."""
    import threading

    from graphstage.app.cli import main

    codes: list[int] = []
    args = ["run", f"{GRAPHS}:returns_opaque", "--input", "{}", "--db", str(tmp_path / "j")]
    worker = threading.Thread(target=lambda: codes.append(main(args)))
    worker.start()
    worker.join(30)
    assert codes == [0], capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["threads", "--db", "~no_such_user_x/j.sqlite3"], "~no_such_user_x does not exist"),
        (["run", "~no_such_user_x/g.py:graph", "--no-journal"], "no such file"),
        (["run", f"{GRAPHS}:returns_opaque", "--input", "@~no_such_user_x/i.json"], "cannot read"),
    ],
    ids=["db", "graph", "input"],
)
def test_a_home_directory_that_does_not_exist_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    says: str,
) -> None:
    """``~nouser`` made pathlib raise RuntimeError('Could not determine home directory')."""
    from graphstage.app.cli import main

    monkeypatch.chdir(tmp_path)
    if "--db" not in args:
        args = [*args, "--db", str(tmp_path / "j.sqlite3")]
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and says in err, err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["run", "a" * 300], "File name too long"),
        (["run", "/tmp/" + "a" * 300 + ".py"], "File name too long"),
        (["resume", "\udcff"], "ID \\udcff is not valid UTF-8 text"),
        (["state", "\udcff"], "THREAD \\udcff is not valid UTF-8 text"),
        (["runs", "--status", "\udcff"], "--status \\udcff is not valid UTF-8 text"),
    ],
    ids=["module_too_long", "file_too_long", "resume_id", "state_thread", "runs_status"],
)
def test_names_no_file_system_or_journal_can_hold_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    """Found by throwing random argument lists at ``cli.main``: each was a traceback."""
    from graphstage.app.cli import main

    assert main([*args, "--db", str(tmp_path / "j.sqlite3")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and says in err, err
