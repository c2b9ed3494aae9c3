"""``graphstage resume ... --ray``: a thread paused on this machine goes on on Ray hosts."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")

from graphstage.app.cli import main

GRAPH = textwrap.dedent(
    """
    import os
    from typing import TypedDict

    from graphstage import END, START, StateGraph


    class Two(TypedDict, total=False):
        first_pid: int
        second_pid: int


    async def first(state: Two):
        return {"first_pid": os.getpid()}


    async def second(state: Two):
        return {"second_pid": os.getpid()}


    builder = StateGraph(Two)
    builder.add_node("first", first)
    builder.add_node("second", second)
    builder.add_edge(START, "first")
    builder.add_edge("first", "second")
    builder.add_edge("second", END)
    graph = builder.compile(interrupt_before=["second"])
    """
)


@pytest.mark.timeout(120)
def test_a_thread_paused_here_resumes_on_ray_hosts_and_completes(executor, tmp_path, capsys):
    (tmp_path / "two.py").write_text(GRAPH, encoding="utf-8")
    db = str(tmp_path / "runs.sqlite3")
    spec = f"{tmp_path / 'two.py'}:graph"
    code = main(["run", spec, "--input", "{}", "--thread", "t1", "--db", db])
    out, err = capsys.readouterr()
    assert code == 3, err  # paused at the breakpoint before `second`, in this process
    assert "waits at a breakpoint before second" in err

    code = main(["resume", "t1", "--yes", "--ray", "--db", db, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    started = [e for e in events if e["kind"] == "node_started"]
    assert [e["node"] for e in started] == ["second"]
    assert started[0]["where"].startswith("ray host ")
    finished = [e for e in events if e["kind"] == "run_finished"]
    assert finished and finished[-1]["status"] == "completed"
    final = finished[-1]["values"]
    assert final["first_pid"] == os.getpid()  # ran here before the pause
    assert final["second_pid"] != os.getpid()  # resumed on a Ray host
    assert "graphstage: Ray ready in " in err


def test_resume_refuses_a_bad_ray_hosts_count_before_starting_ray(executor, tmp_path, capsys):
    (tmp_path / "two.py").write_text(GRAPH, encoding="utf-8")
    db = str(tmp_path / "runs.sqlite3")
    assert main(["run", f"{tmp_path / 'two.py'}:graph", "--thread", "t2", "--db", db]) == 3
    capsys.readouterr()
    code = main(["resume", "t2", "--yes", "--ray", "--ray-hosts", "0", "--db", db])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("graphstage resume: --ray-hosts: ")
    assert "Traceback" not in err
