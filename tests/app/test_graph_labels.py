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


def thin_dag(size: int, seed: int = 3) -> Any:
    """A long, thin DAG (each node joins one or two of the two before it): its layout is
    tall, so it wraps into columns, and edges into END skip columns."""
    import random

    rng = random.Random(seed)
    b = StateGraph(S)
    names = [f"t{i:03d}" for i in range(size)]
    for name in names:
        b.add_node(name, lambda s: {})
    b.add_edge(START, names[0])
    for i in range(1, size):
        for j in rng.sample(range(max(0, i - 2), i), min(i, rng.choice([1, 1, 1, 2]))):
            b.add_edge(names[j], names[i])
    return b.compile(name="thin")


def test_edges_into_later_columns_keep_their_labels_on_their_lane(
    qtbot: QtBot, wait_until: Callable[..., Any]
) -> None:
    """A wrapped layout put an edge's label at 0.5 of its whole route: on a run along the
    top of a column, or over another column, far from its lane."""
    from PySide6.QtGui import QPainterPathStroker

    view = GraphView(thin_dag(150))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.laid_out, timeout=10_000)
    assert "wrapped into 3 columns" in view.layout_info
    lanes = [e for e in view.edges.values() if e.lane is not None]
    assert len(lanes) > 10 and any(e.entry is not None for e in lanes)  # some skip a column
    stroker = QPainterPathStroker()
    for edge in lanes:
        edge.mark_taken("edge", "#475569")  # a label shows once taken
        view.declutter(edge)
    for edge in lanes:
        at = edge.label.scenePos()
        below = edge.src.y() + edge.src.height / 2 + 22  # where the route reaches the lane
        end = edge.ceiling if edge.entry is not None else edge.dst.y() - edge.dst.height / 2 - 22
        low, high = sorted((below, end))
        assert abs(at.x() - edge.lane) < 0.5, edge.label_at  # on its own lane...
        assert low + 10 < at.y() < high - 10  # ...between its ends, never at its top
        route = stroker.createStroke(edge.path())
        crossed = [
            n.name
            for n in view.nodes.values()
            if n not in (edge.src, edge.dst) and route.intersects(n.sceneBoundingRect())
        ]
        assert crossed == [], (edge.src.name, edge.dst.name)


def test_a_token_passes_under_its_edge_label(qtbot: QtBot, run_async: Callable[[Any], Any]) -> None:
    """A token was stacked over the labels: one mid-edge (a replay's picture) hid the
    label's text."""
    graph = review_graph()
    view = GraphView(graph)
    qtbot.addWidget(view)

    async def run() -> Any:
        run = graph.start({"n": 5, "log": []})
        assert (await run.result()).status == "completed"
        return run.event_log

    events = run_async(run())
    first = next(i for i, e in enumerate(events) if e.kind == "transition")
    view.apply(events[: first + 1])  # START -> draft, with its token
    [token] = view._tokens.tokens
    edge = view.edges[(START, "draft")]
    assert token.parentItem() is edge and edge.label.isVisible()
    token.setPos(edge.label.pos())  # mid-edge, on the label
    stacked = view.scene().items(edge.label.scenePos())
    assert stacked.index(edge.label) < stacked.index(token)  # the label is drawn over it


def test_a_replay_jump_sends_no_token_for_what_happened_long_before(
    qtbot: QtBot, run_async: Callable[[Any], Any]
) -> None:
    """A replay's jump applies seconds of a run in one batch: its first transition's token
    started then and was left mid-edge in the picture of a later moment."""
    import dataclasses

    graph = review_graph()
    view = GraphView(graph)
    qtbot.addWidget(view)

    async def run() -> Any:
        run = graph.start({"n": 0, "log": []})
        assert (await run.result()).status == "completed"
        return run.event_log

    events = run_async(run())
    first = next(i for i, e in enumerate(events) if e.kind == "transition")
    later = [dataclasses.replace(e, time=e.time + 2.0) for e in events[first + 1 :]]
    view.apply([*events[: first + 1], *later])  # two seconds of a run, at once
    moving = {(t.parentItem().src.name, t.parentItem().dst.name) for t in view._tokens.tokens}
    assert view.edges[(START, "draft")].taken  # marked all the same
    assert (START, "draft") not in moving
    assert moving == {("draft", "draft"), ("draft", "done"), ("done", "__end__")}
