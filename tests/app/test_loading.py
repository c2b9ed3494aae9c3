"""A graph that cannot be loaded gets a clear dialog, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow, gui
from graphstage.app.loader import DEFAULT_GRAPH, GraphLoadError, load_graph


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """QMessageBox.critical, recorded instead of shown (no modal blocking)."""
    shown: list[tuple[str, str]] = []

    def critical(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


@pytest.mark.parametrize(
    ("source", "attr", "expected"),
    [
        (None, "graph", "no such file"),
        ("def broken(:\n", "graph", "syntax error"),
        ("x = 1\n", "graph", "has no attribute 'graph'"),
        ("graph = 42\n", "graph", "not a graph"),
        ("raise RuntimeError('boom')\n", "graph", "raised RuntimeError: boom"),
        ("raise KeyboardInterrupt\n", "graph", "KeyboardInterrupt"),  # not a real Ctrl+C
        ("import sys\nsys.exit(4)\n", "graph", "raised SystemExit: 4"),
    ],
)
def test_opening_a_broken_graph_shows_the_error_and_keeps_the_current_graph(
    qtbot: QtBot,
    settings: QSettings,
    tmp_path: Path,
    dialogs: list[tuple[str, str]],
    source: str | None,
    attr: str,
    expected: str,
) -> None:
    path = tmp_path / "user_graph.py"
    if source is not None:
        path.write_text(source)
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    assert window.open_graph(f"{path}:{attr}") is False
    assert len(dialogs) == 1 and expected in dialogs[0][1]
    assert window.graph.name == "stop_and_cleanup"
    assert "work_stage" in window.graph_view.nodes


def test_opening_a_good_graph_replaces_the_view(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, dialogs: list[tuple[str, str]]
) -> None:
    path = tmp_path / "other.py"
    path.write_text(
        "from pydantic import BaseModel\n"
        "from graphstage import StateGraph, START\n"
        "class S(BaseModel):\n    n: int = 1\n"
        "async def only(state):\n    return None\n"
        "b = StateGraph(S)\nb.add_node('only', only)\nb.add_edge(START, 'only')\n"
        "graph = b.compile(name='other')\n"
    )
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    assert window.open_graph(f"{path}:graph") is True
    assert dialogs == []
    assert set(window.graph_view.nodes) == {"__start__", "only", "__end__"}
    assert list(window.input_form.editors) == ["n"]


def test_gui_main_shows_a_dialog_and_exits_nonzero_for_a_missing_file(
    qapp: Any, tmp_path: Path, dialogs: list[tuple[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert gui.main([str(tmp_path / "nope.py")]) == 2
    assert len(dialogs) == 1 and "no such file" in dialogs[0][1]
    assert "no such file" in capsys.readouterr().err


def test_gui_main_says_why_on_stderr_before_its_dialog_waits_for_a_click(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The line came after the modal dialog: a terminal (or display-less) user saw nothing
    until the dialog was closed."""
    said_first: list[str] = []

    def critical(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        said_first.append(capsys.readouterr().err)  # what the terminal shows meanwhile
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert gui.main([str(tmp_path / "nope.py")]) == 2
    assert len(said_first) == 1 and "no such file" in said_first[0]


def test_gui_main_says_one_line_and_exits_130_for_a_graph_file_raising_keyboardinterrupt(
    qapp: Any, tmp_path: Path, dialogs: list[tuple[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "interrupting.py"
    path.write_text("raise KeyboardInterrupt\n")  # what Ctrl+C during the import looks like
    assert gui.main([f"{path}:graph"]) == 130
    err = capsys.readouterr().err
    assert err == f"graphstage: interrupted while loading {path}:graph\n"  # no traceback


def test_the_collector_keeps_garbage_collection_in_the_gui_thread(qapp, qtbot) -> None:
    import gc
    import threading

    from graphstage.app.gui import GuiThreadCollector

    collected_in: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collected_in.append(threading.get_ident())

    gc.callbacks.append(note)
    parent = QObject()
    try:
        collector = GuiThreadCollector(parent, interval_ms=10)
        assert not gc.isenabled()
        qtbot.waitUntil(lambda: len(collected_in) >= 2, timeout=2000)
        assert set(collected_in) == {threading.get_ident()}
        collector.stop()
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(note)
        gc.enable()


def test_a_bare_folder_name_is_reported_as_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "flows").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GraphLoadError, match="flows is a folder; name a Python file in it"):
        load_graph("flows")
