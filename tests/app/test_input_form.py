"""The input form: fitting widgets, limits from constraints, invalid input blocks Run."""

from __future__ import annotations

from gui_helpers import Mode, Plain, form_graph
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow
from graphstage.app.input_form import InputForm
from graphstage.app.loader import DEFAULT_GRAPH, load_graph


def test_each_field_gets_a_fitting_widget(qtbot: QtBot) -> None:
    form = InputForm(Plain)
    qtbot.addWidget(form)
    kinds = {name: type(editor.widget) for name, editor in form.editors.items()}
    assert kinds["count"] is QSpinBox
    assert kinds["ratio"] is QDoubleSpinBox
    assert kinds["flag"] is QCheckBox
    assert kinds["name"] is QLineEdit
    assert kinds["colour"] is QComboBox
    assert kinds["mode"] is QComboBox
    assert kinds["note"] is QLineEdit  # str | None: empty means None
    assert kinds["options"] is QLineEdit and form.editors["options"].widget.property("json")
    assert form.is_valid
    assert form.values() == {
        "count": 3,
        "name": "ok",
        "ratio": 0.5,
        "flag": False,
        "colour": "red",
        "mode": Mode.FAST,
        "limit": None,
        "note": None,
        "options": {},
    }


def test_a_positive_int_spin_box_cannot_go_below_one(qtbot: QtBot) -> None:
    form = InputForm(load_graph(DEFAULT_GRAPH).state_schema)
    qtbot.addWidget(form)
    spin = form.editors["sleep_seconds"].widget
    assert isinstance(spin, QSpinBox)
    spin.setValue(-5)
    assert spin.minimum() == 1 and spin.value() == 1


def test_bad_json_keeps_run_disabled_and_is_shown_at_the_field(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(form_graph(), settings=settings)
    qtbot.addWidget(window)
    assert window.run_button.isEnabled()
    options = window.input_form.editors["options"].widget
    assert isinstance(options, QLineEdit)
    with qtbot.waitSignal(window.input_form.validityChanged, timeout=1000):
        options.setText('{"a": ')
    assert not window.run_button.isEnabled()
    assert window.input_form.error_text("options").startswith("invalid JSON")
    options.setText('{"a": 1}')
    assert window.run_button.isEnabled()
    assert window.input_form.error_text("options") == ""


def test_a_violated_str_constraint_keeps_run_disabled(qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow(form_graph(), settings=settings)
    qtbot.addWidget(window)
    name = window.input_form.editors["name"].widget
    assert isinstance(name, QLineEdit)
    name.setText("x")  # min_length=2
    assert not window.run_button.isEnabled() and not window.run_action.isEnabled()
    assert "at least 2" in window.input_form.error_text("name")
    window._on_run_clicked()  # even if asked directly, nothing starts
    assert window.run is None
    name.setText("xy")
    assert window.run_button.isEnabled()


def test_optional_int_is_none_until_set(qtbot: QtBot) -> None:
    form = InputForm(Plain)
    qtbot.addWidget(form)
    toggle = form.editors["limit"].widget.findChild(QCheckBox)
    assert toggle is not None and not toggle.isChecked()
    toggle.setChecked(True)
    values = form.values()
    assert values is not None and values["limit"] == 0
