"""Big graphs: laid out off the GUI thread, a failing layout falls back, search, follow."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from gui_helpers import chain_graph
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage.app import MainWindow, graph_layout

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


def test_a_1000_node_chain_is_laid_out_in_a_worker_thread(
    qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = graph_layout.layout_graph

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr("graphstage.app.graph_view.layout_graph", spy)
    graph = chain_graph(1000)
    window = MainWindow(graph, settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view = window.graph_view
    if not view.laid_out:  # not laid out yet: wait for the worker thread
        with qtbot.waitSignal(view.layoutReady, timeout=10_000):
            pass
    assert threads == ["graphstage layout"]
    ys = [view.nodes[f"n{i:04d}"].pos().y() for i in range(1000)]
    assert ys == sorted(ys) and len(set(ys)) == 1000  # one layer per node, in order
    assert "1002 nodes, fast layered layout" in window.status.layout_label.full_text()
    assert view.transform().m11() >= 0.7  # readable, not a speck: the minimap has the rest
    assert window.graph_panel.minimap.isVisible()


def test_a_failing_layout_falls_back_and_says_so(
    qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(graph_layout, "layered_layout", broken)
    window = MainWindow(chain_graph(5), settings=settings)
    qtbot.addWidget(window)
    text = window.status.layout_label.full_text()
    assert "grandalf failed (RecursionError)" in text and "fast layered" in text
    ys = [window.graph_view.nodes[f"n{i:04d}"].pos().y() for i in range(5)]
    assert ys == sorted(ys) and len(set(ys)) == 5


def test_search_centres_the_node_and_follow_keeps_the_active_node_in_sight(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window = MainWindow(chain_graph(120), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view = window.graph_view
    if not view.laid_out:
        with qtbot.waitSignal(view.layoutReady, timeout=10_000):
            pass

    def visible(name: str) -> bool:
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        return seen.contains(view.nodes[name].sceneBoundingRect())

    assert not visible("n0100")
    assert window.graph_panel.find("N0100") == "n0100"  # case does not matter
    assert visible("n0100") and view.nodes["n0100"].highlighted
    assert window.graph_panel.find("nope") is None
    seen_active: list[bool] = []
    view.activeNodesChanged.connect(
        lambda nodes: seen_active.append(visible(nodes[-1])) if nodes else None
    )
    window.run_options.recursion_limit.setValue(500)
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: finished, 20)

    run_async(scenario())
    assert finished == ["completed"]
    assert visible("n0119")  # followed to the end of the chain
    assert window.state_view.field_text("steps") == "120"
