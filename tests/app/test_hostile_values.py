"""Values that fight back, in the window: a state value whose repr raises or that holds
itself, an interrupt() question JSON cannot hold, a node exception whose str() raises, and
journals that cannot be opened. Each is shown (with the journal's markers) or named in a
dialog; pytest-qt fails a test if a Qt slot raised, so each also checks nothing escaped."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, TypedDict

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from graphstage import END, START, Journal, StateGraph, interrupt
from graphstage.app import MainWindow, gui

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


class Opaque:
    def __repr__(self) -> str:
        raise RuntimeError("repr broke")


class Stubborn(Exception):
    def __str__(self) -> str:
        raise RuntimeError("str broke")


CYCLE: list[Any] = []
CYCLE.append(CYCLE)


class S(TypedDict, total=False):
    x: Any


def one_node(fn: Any, name: str) -> Any:
    b = StateGraph(S)
    b.add_node("a", fn)
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b.compile(name=name)


def raise_stubborn(state: S) -> dict[str, Any]:
    raise Stubborn()


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def critical(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def run_once(
    qtbot: QtBot,
    run_async: RunAsync,
    wait_until: WaitUntil,
    window: MainWindow,
    status: str,
) -> None:
    qtbot.addWidget(window)
    window.show()
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: finished == [status], 10)

    run_async(scenario())


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Opaque(), "repr raised RuntimeError"), (CYCLE, "nested deeper than")],
    ids=["opaque", "cycle"],
)
def test_a_state_value_json_cannot_hold_is_shown_as_its_marker(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
    tmp_path: Path,
    value: Any,
    shown: str,
) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    window = MainWindow(
        one_node(lambda s: {"x": value}, "values"), journal=journal, settings=settings
    )
    run_once(qtbot, run_async, wait_until, window, "completed")
    assert window.run is not None and window.run.event_log[-1].status == "completed"
    assert window.state_view.field_text("x") is not None  # a row was drawn for it
    assert shown in json.dumps(window.state_view.fold.values["x"])


@pytest.mark.parametrize("value", [Opaque(), CYCLE], ids=["opaque", "cycle"])
def test_an_interrupt_question_json_cannot_hold_pauses_the_run_and_is_shown(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
    tmp_path: Path,
    value: Any,
) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    window = MainWindow(
        one_node(lambda s: {"x": interrupt(value)}, "asks"), journal=journal, settings=settings
    )
    run_once(qtbot, run_async, wait_until, window, "paused")
    assert window.run is not None and window.run.event_log[-1].status == "paused"


def test_a_node_exception_whose_str_raises_is_named_in_the_log(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
) -> None:
    window = MainWindow(one_node(raise_stubborn, "stubborn"), settings=settings)
    run_once(qtbot, run_async, wait_until, window, "failed")
    texts = window.log_view.log_model.texts()
    assert any("<Stubborn: its str() raised RuntimeError: str broke>" in t for t in texts), texts


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"SQLite format 3\x00garbage", "the file is corrupt or not a graphstage journal"),
        (b"hello", "the file is corrupt or not a graphstage journal"),
        (None, "is a directory"),
        ("foreign", "is an SQLite database but not a graphstage journal (it holds notes)"),
        ("future", "has schema version 99, written by a newer graphstage"),
    ],
    ids=["truncated", "text", "directory", "foreign", "future"],
)
def test_gui_main_refuses_a_journal_it_cannot_open_with_a_dialog_and_one_line(
    qapp: Any,
    tmp_path: Path,
    dialogs: list[tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
    content: bytes | str | None,
    says: str,
) -> None:
    db = tmp_path / "j.sqlite3"
    if content is None:
        db.mkdir()
    elif content == "foreign":  # someone else's SQLite database
        with closing(sqlite3.connect(db)) as conn:
            conn.execute("CREATE TABLE notes (text)")
            conn.commit()
    elif content == "future":  # a journal from a newer graphstage
        Journal(db).close()
        with closing(sqlite3.connect(db)) as conn:
            conn.execute("PRAGMA user_version = 99")
            conn.commit()
    else:
        assert isinstance(content, bytes)
        db.write_bytes(content)
    example = Path(gui.__file__).resolve().parents[1] / "resources/examples/stop_and_cleanup.py"
    assert gui.main([f"{example}:graph", "--db", str(db)]) == 2
    assert len(dialogs) == 1 and says in dialogs[0][1]
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and says in err and "Traceback" not in err
