"""The form offers the fields some node reads (and those the state requires); fields only
a node writes are behind *Show all fields*; an input schema says it all."""

from __future__ import annotations

from typing import Any, TypedDict

from gui_helpers import shown_end
from pydantic import BaseModel
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import END, START, StateGraph
from graphstage.app import MainWindow
from graphstage.app.input_fields import fields_read, input_fields
from graphstage.app.loader import DEFAULT_GRAPH, load_graph


class Research(TypedDict, total=False):
    topic: str
    depth: int
    notes: list[str]
    summary: str


def helper(state: Any) -> str:
    return str(state)


def research(reads_depth_by_name: bool = True) -> Any:
    def gather(state: Research) -> dict[str, Any]:
        return {"notes": [state["topic"]] * state.get("depth", 1)}

    def write(state: Research) -> dict[str, Any]:
        return {"summary": " ".join(state.get("notes", []))}

    def deeper(state: Research) -> str:
        return "gather" if len(state.get("notes", [])) < 3 else END

    builder = StateGraph(Research)
    builder.add_node("gather", gather)
    builder.add_node("write", write)
    builder.add_edge(START, "gather")
    builder.add_conditional_edges("gather", deeper, {"gather": "gather", END: "write"})
    return builder.compile(name="research")


def test_fields_only_written_are_not_inputs() -> None:
    graph = research()
    fields = ["topic", "depth", "notes", "summary"]
    # gather reads topic and depth, write and the path function read notes; nobody reads
    # summary
    assert fields_read(graph, fields) == {"topic", "depth", "notes"}
    assert input_fields(graph, fields, required=[]) == {"topic", "depth", "notes"}
    assert input_fields(graph, fields, required=["summary"]) == set(fields)


def test_a_node_whose_reads_cannot_be_told_offers_every_field() -> None:
    def passes_it_on(state: Research) -> dict[str, Any]:
        return {"summary": helper(state)}

    def computed_key(state: Research) -> dict[str, Any]:
        key = "topic"
        return {"summary": state[key]}

    for node in (passes_it_on, computed_key, lambda state: {"summary": helper(state)}):
        builder = StateGraph(Research)
        builder.add_node("n", node)
        builder.add_edge(START, "n")
        assert fields_read(builder.compile(), ["topic", "summary"]) is None


def test_a_subgraph_node_reads_what_its_own_nodes_read() -> None:
    inner = StateGraph(Research)
    inner.add_node("look", lambda state: {"notes": [state["topic"]]})
    inner.add_edge(START, "look")
    outer = StateGraph(Research)
    outer.add_node("research", inner.compile(name="inner"))
    outer.add_node("write", lambda state: {"summary": "; ".join(state["notes"])})
    outer.add_edge(START, "research")
    outer.add_edge("research", "write")
    graph = outer.compile(name="outer")
    assert fields_read(graph, ["topic", "depth", "notes", "summary"]) == {"topic", "notes"}


def test_the_seed_graph_offers_sleep_seconds_and_keeps_result_behind_show_all(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.show()
    form = window.input_form
    assert form.hidden == ["result"]
    assert form.editors["sleep_seconds"].widget.isVisible()
    assert not form.editors["result"].widget.isVisible()
    assert "result" not in (form.values() or {})
    show_all = window.input_panel.show_all
    assert show_all.isVisible() and "No node reads result" in show_all.toolTip()
    show_all.setChecked(True)
    qtbot.waitUntil(lambda: form.editors["result"].widget.isVisible(), timeout=2000)
    assert "result" in (form.values() or {})
    show_all.setChecked(False)
    assert "result" not in (form.values() or {}) and window.run_button.isEnabled()


def test_show_all_is_off_while_a_run_goes_on_as_the_form_is(
    qtbot: QtBot, settings: QSettings, run_async: Any, wait_until: Any
) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.show()
    show_all = window.input_panel.show_all
    sleep = window.input_form.editors["sleep_seconds"].widget
    assert show_all.isEnabled() and sleep.isEnabled()

    async def scenario() -> None:
        sleep.setValue(3)  # type: ignore[attr-defined]
        window.run_button.click()
        await wait_until(lambda: window.graph_view.active_nodes == ("work_stage",))
        assert not sleep.isEnabled()
        assert not show_all.isEnabled()  # it would show editors nobody can edit now
        window.stop_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(scenario())
    assert window.run is not None and window.run.status == "cancelled"  # via cleanup
    assert show_all.isEnabled() and sleep.isEnabled()


def test_an_input_schema_says_which_fields_are_inputs(qtbot: QtBot, settings: QSettings) -> None:
    class State(BaseModel):
        question: str = "why?"
        answer: str = ""

    class Ask(BaseModel):
        question: str = "why?"

    def answer(state: State) -> dict[str, str]:
        return {"answer": "because"}  # reads nothing: the schema still offers question

    builder = StateGraph(State, input_schema=Ask)
    builder.add_node("answer", answer)
    builder.add_edge(START, "answer")
    window = MainWindow(builder.compile(name="ask"), settings=settings)
    qtbot.addWidget(window)
    assert list(window.input_form.editors) == ["question"] and window.input_form.hidden == []
    assert not window.input_panel.show_all.isVisibleTo(window)


def test_a_required_field_is_always_offered(qtbot: QtBot, settings: QSettings) -> None:
    class State(BaseModel):
        must: int
        out: str = ""

    builder = StateGraph(State)
    builder.add_node("n", lambda state: {"out": "x"})
    builder.add_edge(START, "n")
    window = MainWindow(builder.compile(name="required"), settings=settings)
    qtbot.addWidget(window)
    assert window.input_form.hidden == ["out"]
    assert window.input_form.values() == {"must": 0}  # offered, and "out" left out


def test_a_form_whose_fields_no_node_reads_says_what_to_do(
    qtbot: QtBot, settings: QSettings
) -> None:
    """A TypedDict graph whose node reads nothing showed an empty form and no word."""

    class Out(TypedDict, total=False):
        greeting: str
        count: int

    def hello(state: Out) -> dict[str, Any]:
        return {"greeting": "hello", "count": 1}

    builder = StateGraph(Out)
    builder.add_node("hello", hello)
    builder.add_edge(START, "hello")
    window = MainWindow(builder.compile(name="hello"), settings=settings)
    qtbot.addWidget(window)
    window.show()
    form = window.input_form
    assert form.hidden == ["greeting", "count"]
    qtbot.waitUntil(form.note.isVisible, timeout=2000)
    assert "Show all fields" in form.note.text() and "defaults" in form.note.text()
    assert window.input_panel.show_all.isVisible() and window.run_button.isEnabled()
    window.input_panel.show_all.setChecked(True)  # what the note says to do
    qtbot.waitUntil(lambda: form.editors["greeting"].widget.isVisible(), timeout=2000)
    assert not form.note.isVisible()
    window.input_panel.show_all.setChecked(False)
    assert form.note.isVisible()


def test_no_note_while_some_field_is_offered(qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow(load_graph(DEFAULT_GRAPH), settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.input_form.hidden == ["result"]
    assert not window.input_form.note.isVisibleTo(window)
