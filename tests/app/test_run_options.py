"""Run options and TypedDict input: the recursion limit and configurable reach the run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gui_helpers import loop_graph
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QSpinBox
from pytestqt.qtbot import QtBot

from graphstage import DEFAULT_RECURSION_LIMIT
from graphstage.app import MainWindow
from graphstage.app.json_editor import JsonEdit

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def test_a_typeddict_state_gets_a_form_and_a_loop_past_25_steps_runs_with_a_higher_limit(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(loop_graph(), settings=settings)
    qtbot.addWidget(window)
    form = window.input_form
    assert list(form.editors) == ["n", "target", "result"]
    assert form.values() == {}  # every TypedDict field may be left out
    target = window.findChild(QSpinBox, "field_target")
    assert target is not None
    target.setValue(60)  # ticks its "include" box
    include = window.findChild(QCheckBox, "include_target")
    assert include is not None and include.isChecked()
    assert form.values() == {"target": 60}
    limit = window.findChild(QSpinBox, "recursionLimit")
    assert limit is not None and limit.value() == DEFAULT_RECURSION_LIMIT  # as the runtime
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def run(steps: int) -> None:
        finished.clear()
        limit.setValue(steps)
        window.run_button.click()
        await wait_until(lambda: finished, 10)

    run_async(run(25))
    assert finished == ["failed"]
    assert "Recursion limit of 25" in window.status.status
    run_async(run(100))
    assert finished == ["completed"]
    assert window.state_view.field_text("result") == "counted to 60"


def test_configurable_is_passed_to_the_run_and_must_be_an_object(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(loop_graph(), settings=settings)
    qtbot.addWidget(window)
    configurable = window.findChild(JsonEdit, "configurable")
    assert configurable is not None
    with qtbot.waitSignal(window.run_options.validityChanged, timeout=1000):
        configurable.setPlainText("[1, 2]")
    assert not window.run_button.isEnabled()
    assert "must be a JSON object" in window.run_options.error.text()
    configurable.setPlainText('{"thread_id": "t-1"}')
    assert window.run_button.isEnabled()
    assert window.run_options.config() == {
        "recursion_limit": DEFAULT_RECURSION_LIMIT,
        "configurable": {"thread_id": "t-1"},
    }


def test_an_emptied_recursion_limit_disables_run(qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow(loop_graph(), settings=settings)
    qtbot.addWidget(window)
    limit = window.findChild(QSpinBox, "recursionLimit")
    assert limit is not None
    limit.lineEdit().setText("")
    assert not window.run_button.isEnabled()
    assert "empty" in window.run_options.error.text()
