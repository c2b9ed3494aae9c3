"""The graph view labels conditional edges with their path_map keys, idle and live."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

from pytestqt.qtbot import QtBot

from graphstage import END, START, StateGraph
from graphstage.app.graph_view import GraphView
from graphstage.app.log_view import describe
from graphstage.app.timeline import TimelineView


class S(TypedDict, total=False):
    log: Annotated[list[str], operator.add]
    n: int


def review_graph() -> Any:
    def draft(state: dict[str, Any]) -> dict[str, Any]:
        return {"n": state.get("n", 0) + 1}

    b = StateGraph(S)
    b.add_node("draft", draft)
    b.add_node("done", lambda s: {"log": ["done"]})
    b.add_edge(START, "draft")
    b.add_conditional_edges(
        "draft", lambda s: "revise" if s["n"] < 2 else "ship", {"revise": "draft", "ship": "done"}
    )
    b.add_edge("done", END)
    return b.compile()


def test_conditional_edges_show_their_keys(qtbot: QtBot, run_async: Callable[[Any], Any]) -> None:
    graph = review_graph()
    view = GraphView(graph)
    qtbot.addWidget(view)
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    assert view.edges[("draft", "draft")].label.text == "revise"
    assert view.edges[("draft", "done")].label.text == "ship"

    async def run() -> Any:
        run = graph.start({"n": 0, "log": []})
        assert (await run.result()).status == "completed"
        return run.event_log

    events = run_async(run())
    view.apply(events)
    timeline.apply(events)
    assert view.edges[("draft", "done")].taken
    assert view.edges[("draft", "done")].label.text == "ship"
    assert [r[5] for r in timeline.row_texts()] == [
        "→ draft · revise",
        "→ done · ship",
        "→ END · edge",
    ]
    lines = [describe(e)[1] for e in events if e.kind == "transition"]
    assert "→ draft → done (ship)" in lines


def test_a_node_run_by_several_sends_stays_active_until_its_last_execution_ends(
    qtbot: QtBot, run_async: Callable[[Any], Any]
) -> None:
    from graphstage import Send

    b = StateGraph(S)
    b.add_node("work", lambda arg: {"log": [str(arg)]})
    b.add_conditional_edges(START, lambda s: [Send("work", i) for i in range(3)])
    graph = b.compile()
    view = GraphView(graph)
    qtbot.addWidget(view)

    async def run() -> Any:
        run = graph.start({"log": []})
        assert (await run.result()).status == "completed"
        return run.event_log

    events = run_async(run())
    finished = [i for i, e in enumerate(events) if e.kind == "node_finished"]
    view.apply(events[: finished[0] + 1])  # three started, one finished
    assert view.active_nodes == ("work",)
    view.apply(events[finished[0] + 1 : finished[-1] + 1])
    assert view.active_nodes == ()


def test_labels_of_edges_into_one_box_are_drawn_apart(
    qtbot: QtBot, run_async: Callable[[Any], Any], wait_until: Callable[..., Any]
) -> None:
    """research_fan_out stopped while both searches run: both answer with a Command to
    save_partial; their two "command after stop" pills (on edges meeting at save_partial)
    were drawn over each other."""
    from PySide6.QtCore import QSettings

    from graphstage.app import MainWindow
    from graphstage.app.loader import load_graph

    settings = QSettings()
    window = MainWindow(
        load_graph("resources/examples/research_fan_out.py:graph"), settings=settings
    )
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    view = window.graph_view

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: {"search_web", "search_papers"} <= set(view.active_nodes), 10)
        window.stop_button.click()
        await wait_until(lambda: window.bridge is None, 20)

    run_async(scenario())
    web, papers = (view.edges[(n, "save_partial")] for n in ("search_web", "search_papers"))
    assert web.label.text == papers.label.text == "command after stop"
    assert not web.label.sceneBoundingRect().intersects(papers.label.sceneBoundingRect())
