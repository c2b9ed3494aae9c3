"""The window on Ray: Ray starts before any window exists (so none freezes), and the
status bar says where nodes run."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from graphstage import NodeStarted
from graphstage.app import gui
from graphstage.app.log_view import describe
from graphstage.ray import RayExecutor


@pytest.mark.timeout(120)
def test_ray_starts_before_the_application_and_the_status_bar_says_where_nodes_run(
    executor, qapp, monkeypatch, tmp_path, capsys
):
    order: list[str] = []
    labels: list[tuple[str, str]] = []
    real_start, real_application, real_label = RayExecutor.start, gui.application, gui.ray_label

    def start(pool: RayExecutor) -> None:
        real_start(pool)
        order.append(f"ray started ({len(pool.info)} hosts)")

    def application(argv=None):
        order.append("application")
        return real_application(argv)

    def ray_label(pool):
        label = real_label(pool)
        labels.append((label.text(), label.toolTip()))
        return label

    monkeypatch.setattr(RayExecutor, "start", start)
    monkeypatch.setattr(gui, "application", application)
    monkeypatch.setattr(gui, "ray_label", ray_label)
    monkeypatch.setenv(gui.QUIT_WHEN_SHOWN, "1")  # the window closes itself once shown
    try:
        code = gui.main(["--ray", "--db", str(tmp_path / "runs.sqlite3")])
    finally:
        asyncio.set_event_loop(None)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert order == ["ray started (2 hosts)", "application"]
    assert "graphstage: starting a local Ray with 2 host(s)..." in err.splitlines()
    assert "graphstage: window shown after " in out
    [(text, tip)] = labels
    assert text == "local Ray: 2 host(s)"
    assert tip.splitlines()[1].startswith("ray host 1 (node ")


def test_a_ray_that_cannot_start_is_one_line_on_stderr_and_no_window(monkeypatch, capsys):
    def start(pool: RayExecutor) -> None:
        raise ConnectionError("could not reach the GCS at 10.9.9.9:6379\nretried 3 times")

    def application(argv=None):
        raise AssertionError("no window without Ray")

    monkeypatch.setattr(RayExecutor, "start", start)
    monkeypatch.setattr(gui, "application", application)
    assert gui.main(["--ray", "10.9.9.9:6379"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "graphstage: starting Ray at 10.9.9.9:6379 with 2 host(s)...",
        "graphstage: --ray: could not start Ray at 10.9.9.9:6379: ConnectionError: could "
        "not reach the GCS at 10.9.9.9:6379",
    ]


def test_a_bad_host_count_is_one_line_before_ray_starts(monkeypatch, capsys):
    monkeypatch.setattr(gui, "application", lambda argv=None: pytest.fail("no window"))
    assert gui.main(["--ray", "--ray-hosts", "0"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("graphstage: --ray: RayExecutor(hosts=0): ")


def test_the_log_says_where_a_node_started():
    event = NodeStarted(
        run_id="r", seq=1, time=time.time(), node="work", step=1, where="ray host 1 (node ab)"
    )
    assert describe(event) == ("work", "▶ started (step 1) on ray host 1 (node ab)")
