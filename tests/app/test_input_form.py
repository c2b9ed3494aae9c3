"""The input form: fitting widgets, limits from constraints, invalid input blocks Run."""

from __future__ import annotations

from gui_helpers import Mode, Plain, form_graph
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QTextBrowser,
)
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow
from graphstage.app.input_form import InputForm
from graphstage.app.json_editor import JsonEdit
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
    assert kinds["options"] is JsonEdit and form.editors["options"].widget.property("json")
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
    assert isinstance(options, JsonEdit)
    with qtbot.waitSignal(window.input_form.validityChanged, timeout=1000):
        options.setPlainText('{"a": ')
    assert not window.run_button.isEnabled()
    assert window.input_form.error_text("options").startswith("invalid JSON")
    options.setPlainText('{"a": 1}')
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


def test_an_emptied_or_out_of_range_number_is_flagged_and_never_runs_the_old_value(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(form_graph(), settings=settings)
    qtbot.addWidget(window)
    count = window.input_form.editors["count"].widget
    assert isinstance(count, QSpinBox) and count.value() == 3
    with qtbot.waitSignal(window.input_form.validityChanged, timeout=1000):
        count.lineEdit().setText("")
    assert window.input_form.error_text("count").startswith("empty")
    assert not window.run_button.isEnabled() and window.input_form.values() is None
    count.lineEdit().setText("0")  # gt=0
    assert "'0' is not a whole number from 1" in window.input_form.error_text("count")
    assert not window.run_button.isEnabled()
    count.lineEdit().setText("7")
    assert window.run_button.isEnabled()
    assert window.input_form.values()["count"] == 7  # type: ignore[index]


def test_a_long_message_list_gets_a_chat_view_and_a_json_editor_that_keeps_it_whole(
    qtbot: QtBot,
) -> None:
    from pydantic import BaseModel

    class Chat(BaseModel):
        messages: list[dict[str, str]] = [
            {"role": "user" if i % 2 else "assistant", "content": f"message {i} " + "x" * 80}
            for i in range(500)
        ]

    form = InputForm(Chat)
    qtbot.addWidget(form)
    editor = form.findChild(JsonEdit, "field_messages")
    assert editor is not None and len(editor.toPlainText()) > 32_767
    assert form.is_valid and len(form.values()["messages"]) == 500  # type: ignore[index]
    chat = form.findChild(QTextBrowser, "chatView")
    assert chat is not None and "message 499" in chat.toPlainText()
    editor.setPlainText(editor.toPlainText()[:-3])
    assert not form.is_valid
    assert "line" in form.error_text("messages")


def test_dataclass_and_input_schema_forms(qtbot: QtBot) -> None:
    import dataclasses

    from graphstage.app.input_form import input_model

    @dataclasses.dataclass
    class Job:
        topic: str
        rounds: int = 2

    form = InputForm(Job)
    qtbot.addWidget(form)
    assert list(form.editors) == ["topic", "rounds"]
    assert form.values() == {"topic": "", "rounds": 2}

    class Graph:
        input_schema = Job
        state_schema = Plain

    assert input_model(Graph()) is Job


def test_a_graph_with_an_input_schema_asks_only_for_its_fields(
    qtbot: QtBot, settings: QSettings
) -> None:
    from typing import TypedDict

    from graphstage import START, StateGraph

    class Question(TypedDict):
        question: str

    class State(TypedDict):
        question: str
        answer: str  # only a node writes it: not an input

    def answer(state: State) -> dict[str, str]:
        return {"answer": state["question"].upper()}

    builder = StateGraph(State, input_schema=Question)
    builder.add_node("answer", answer)
    builder.add_edge(START, "answer")
    window = MainWindow(builder.compile(name="qa"), settings=settings)
    qtbot.addWidget(window)
    assert list(window.input_form.editors) == ["question"]
