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
    threads: list[int] = []
    real = graph_layout.layout_graph

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr("graphstage.app.graph_frames.layout_graph", spy)
    graph = chain_graph(1000)
    window = MainWindow(graph, settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view = window.graph_view
    # the boxes are not painted one slice at a time, but once they are all there
    assert view.viewport().updatesEnabled() == view.laid_out
    if not view.laid_out:  # not laid out yet: wait for the worker thread
        with qtbot.waitSignal(view.layoutReady, timeout=10_000):
            pass
    assert view.viewport().updatesEnabled()
    assert len(threads) == 1 and threads[0] != threading.get_ident()  # a worker thread
    # wrapped into columns read like a newspaper's: down one column, then the next
    places = [
        (view.nodes[f"n{i:04d}"].pos().x(), view.nodes[f"n{i:04d}"].pos().y()) for i in range(1000)
    ]
    assert places == sorted(places) and len(set(places)) == 1000
    columns = len({x for x, _ in places})
    assert 10 <= columns <= 60
    rect = view.graph_rect
    assert rect.width() > rect.height()  # landscape, as the panel is, not a 114,000 px thread
    text = window.status.layout_label.full_text()
    assert f"1002 nodes, fast layered layout, wrapped into {columns} columns" in text
    assert view.transform().m11() >= 0.7  # readable, not a speck: the minimap has the rest
    minimap = window.graph_panel.minimap
    assert minimap.isVisible()
    qtbot.waitUntil(lambda: bool(minimap._boxes), timeout=5_000)  # measured a turn later
    boxes = minimap._boxes.values()
    spread = max(b.right() for b in boxes) - min(b.left() for b in boxes)
    assert spread > minimap.width() * 0.8  # the overview fills the minimap, not a thin line
    # the edge from the foot of one column to the head of the next runs along the lane
    first = view.nodes["n0000"].pos().x()
    foot = max(i for i, (x, _) in enumerate(places) if x == first)
    edge = view.edges[(f"n{foot:04d}", f"n{foot + 1:04d}")]
    assert edge.lane is not None and first < edge.lane < places[foot + 1][0]


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
    # the thread's checkpoints: the newest 100 listed, and it says so
    listed = window.time_travel.checkpoints
    assert len(listed) == 100 and "the newest 100 checkpoints" in window.time_travel.label.text()
    assert [c.step for c in listed] == sorted((c.step for c in listed), reverse=True)


def test_only_a_tall_layout_is_wrapped_into_columns() -> None:
    from graphstage.app.graph_layout import wrap_bands

    sizes = {f"n{i}": (132.0, 50.0) for i in range(200)}
    short = {f"n{i}": (0.0, i * 114.0) for i in range(20)}  # under 24 layers
    assert wrap_bands(short, sizes)[1] == {}
    wide = {f"n{i}": ((i % 100) * 180.0, (i // 100) * 114.0) for i in range(200)}  # 2 layers
    assert wrap_bands(wide, sizes)[1] == {}
    tall = {f"n{i}": (0.0, i * 114.0) for i in range(200)}
    moved, bands, lanes = wrap_bands(tall, sizes)
    assert len(lanes) == max(bands.values()) + 1 >= 4
    # each band a run of consecutive layers, read top to bottom, then the next band
    order = sorted(tall, key=lambda n: (bands[n], moved[n][1]))
    assert order == [f"n{i}" for i in range(200)]
    assert all(lanes[bands[n]] > moved[n][0] for n in tall)  # the lane is right of its band


def test_the_minimap_takes_a_third_of_a_narrow_view_at_most(
    qtbot: QtBot, settings: QSettings
) -> None:
    window = MainWindow(chain_graph(200), settings=settings)
    qtbot.addWidget(window)
    window.resize(1066, 760)
    window.show()
    view, minimap = window.graph_view, window.graph_panel.minimap
    if not view.laid_out:
        with qtbot.waitSignal(view.layoutReady, timeout=10_000):
            pass
    qtbot.waitUntil(lambda: minimap.isVisible() and bool(minimap._boxes), timeout=5_000)
    # at 180 x 130 it hid more than half of this view's width
    assert view.width() < 400 and minimap.width() <= view.width() * 0.34 + 1
    assert minimap.width() >= 72 and minimap.height() >= 52
    assert minimap.geometry().right() < view.width() and minimap.geometry().bottom() < view.height()
    boxes = minimap._boxes.values()
    assert max(b.right() for b in boxes) <= minimap.width()  # measured for its new size
    window.resize(1800, 1000)  # room enough: its full size
    qtbot.waitUntil(lambda: (minimap.width(), minimap.height()) == (180, 130), timeout=5_000)
