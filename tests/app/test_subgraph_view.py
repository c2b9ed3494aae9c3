"""Subgraphs in the graph view: one box, opened in place (double-click), live on both."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypedDict

from PySide6.QtCore import QPointF, QSettings, Qt
from pytestqt.qtbot import QtBot

from graphstage import END, START, CompiledGraph, StateGraph
from graphstage.app import MainWindow
from graphstage.app.graph_model import display_graph

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


class State(TypedDict, total=False):
    text: str


def nested(gate: asyncio.Event | None = None) -> CompiledGraph:
    """outer: prepare -> middle (a subgraph: inner, itself a subgraph: shout) -> END."""

    async def shout(state: State, writer: Any) -> dict[str, Any]:
        writer("shouting")
        if gate is not None:
            await gate.wait()
        return {"text": state.get("text", "") + "!"}

    inner = StateGraph(State)
    inner.add_node("shout", shout)
    inner.add_edge(START, "shout")
    inner.add_edge("shout", END)
    middle = StateGraph(State)
    middle.add_node("inner", inner.compile(name="inner"))
    middle.add_edge(START, "inner")
    middle.add_edge("inner", END)
    outer = StateGraph(State)
    outer.add_node("prepare", lambda state: {"text": "hi"})
    outer.add_node("middle", middle.compile(name="middle"))
    outer.add_edge(START, "prepare")
    outer.add_edge("prepare", "middle")
    outer.add_edge("middle", END)
    return outer.compile(name="outer")


def test_an_opened_subgraph_is_drawn_in_place_between_its_own_start_and_end() -> None:
    graph = nested()
    closed = display_graph(graph)
    assert [b.key for b in closed.boxes] == ["__start__", "prepare", "middle", "__end__"]
    assert [b.subgraph for b in closed.boxes] == [False, False, True, False]
    opened = display_graph(graph, {"middle", "middle/inner"})
    assert [b.key for b in opened.boxes] == [
        "__start__",
        "prepare",
        "middle/__start__",
        "middle/inner/__start__",
        "middle/inner/shout",
        "middle/inner/__end__",
        "middle/__end__",
        "__end__",
    ]
    assert {(s, d) for s, d, _ in opened.edges} == {
        ("__start__", "prepare"),
        ("prepare", "middle/__start__"),
        ("middle/__end__", "__end__"),
        ("middle/__start__", "middle/inner/__start__"),
        ("middle/inner/__end__", "middle/__end__"),
        ("middle/inner/__start__", "middle/inner/shout"),
        ("middle/inner/shout", "middle/inner/__end__"),
    }
    assert opened.clusters["middle/inner"] == [
        "middle/inner/__start__",
        "middle/inner/shout",
        "middle/inner/__end__",
    ]


def test_double_click_opens_a_subgraph_and_closes_it_again(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(nested(), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view = window.graph_view

    def double_click(item: Any, *, title: bool = False) -> None:
        rect = item.sceneBoundingRect()
        where = rect.topLeft() + QPointF(40, 14) if title else rect.center()
        point = view.mapFromScene(where)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    box = view.nodes["middle"]
    assert box.subgraph and "double-click" in box.toolTip()
    double_click(box)
    qtbot.waitUntil(lambda: "middle/inner" in view.nodes and view.laid_out, timeout=5000)
    assert "middle" not in view.nodes and "middle" in view.clusters
    assert ("prepare", "middle/__start__") in view.edges
    frame = view.clusters["middle"].sceneBoundingRect()
    assert frame.contains(view.nodes["middle/inner"].sceneBoundingRect())
    view.set_expanded("middle/inner", True)
    assert "middle/inner/shout" in view.nodes
    double_click(view.clusters["middle"], title=True)  # its frame's title
    qtbot.waitUntil(lambda: "middle" in view.nodes, timeout=5000)
    assert view.expanded == set() and not view.clusters
    assert not any("/" in key for key in view.nodes)


def test_an_opened_subgraph_shows_its_run_live(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        window = MainWindow(nested(gate), settings=settings)
        qtbot.addWidget(window)
        window.show()
        view = window.graph_view
        view.set_expanded("middle", True)
        view.set_expanded("middle/inner", True)
        window.run_button.click()
        shout = view.nodes["middle/inner/shout"]
        await wait_until(lambda: shout.state == "running", 10)
        assert view.clusters["middle"].state == "running"  # the subgraph node, from the parent
        assert view.clusters["middle/inner"].state == "running"
        assert "middle/inner/shout" in view.active_nodes
        await wait_until(lambda: "middle/inner/shout" in window.windowTitle(), 5)
        gate.set()
        await wait_until(lambda: window.bridge is None, 10)
        assert window.status.status == "completed"
        assert shout.state == "done" and view.nodes["middle/inner/__end__"].state == "done"
        assert view.clusters["middle"].state == "done"
        assert view.edges[("prepare", "middle/__start__")].taken
        assert view.edges[("middle/__end__", END)].taken
        assert view.edges[("middle/inner/shout", "middle/inner/__end__")].taken
        # the log has the subgraphs' node lines too, each node named by its path
        texts = window.log_view.log_model.texts()
        assert any(t.startswith("▶ started") for t in texts)
        model = window.log_view.log_model
        nodes = [model.line(i)[0].split("  ", 1)[1] for i in range(model.rowCount())]
        assert "middle/inner/shout" in nodes and "middle/inner" in nodes
        said = next(i for i, t in enumerate(texts) if t == "shouting")  # its writer output
        assert model.node_width >= len("middle/inner/shout")  # its column fits the paths
        assert nodes[said] == "middle/inner/shout"
        assert any(t.startswith("→ middle/inner/START → middle/inner/shout") for t in texts)

    run_async(scenario())


def test_a_closed_subgraph_says_which_of_its_nodes_runs(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        window = MainWindow(nested(gate), settings=settings)
        qtbot.addWidget(window)
        window.show()
        box = window.graph_view.nodes["middle"]
        window.run_button.click()
        await wait_until(lambda: box.detail.endswith("in inner/shout"), 10)
        assert box.state == "running" and box.active
        # opened while it runs: the boxes inside take up the run where it is
        window.graph_view.set_expanded("middle", True)
        inner = window.graph_view.nodes["middle/inner"]
        await wait_until(lambda: window.graph_view.laid_out, 10)
        assert inner.state == "running" and "middle/inner" in window.graph_view.active_nodes
        assert window.graph_view.nodes["middle/__start__"].state == "done"
        gate.set()
        await wait_until(lambda: window.bridge is None, 10)
        assert inner.state == "done"
        assert window.graph_view.clusters["middle"].state == "done"

    run_async(scenario())


def test_stop_shows_inside_an_opened_subgraph_its_cleanup_route(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    from graphstage import Command

    async def work(state: State) -> Any:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return Command(goto="cleanup", update={"text": "stopped"})
        return {"text": "finished"}

    inner = StateGraph(State)
    inner.add_node("work", work, destinations=("cleanup",))
    inner.add_node("cleanup", lambda state: {"text": state.get("text", "") + ", cleaned"})
    inner.add_edge(START, "work")
    inner.add_edge("work", END)
    inner.add_edge("cleanup", END)
    outer = StateGraph(State)
    outer.add_node("job", inner.compile(name="job"))
    outer.add_edge(START, "job")
    window = MainWindow(outer.compile(name="outer"), settings=settings)
    qtbot.addWidget(window)
    window.show()
    view = window.graph_view
    view.set_expanded("job", True)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: view.nodes["job/work"].state == "running", 10)
        window.stop_button.click()
        await wait_until(lambda: window.bridge is None, 20)

    run_async(scenario())
    assert view.nodes["job/work"].state == "cancelled"
    assert view.nodes["job/work"].detail.startswith("stopped")
    assert view.nodes["job/cleanup"].state == "done"
    edge = view.edges[("job/work", "job/cleanup")]
    assert edge.taken and edge.label.text == "command after stop"
    assert window.state_view.field_text("text") == "stopped, cleaned"
