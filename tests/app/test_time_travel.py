"""Time travel in the window: a step picked in the timeline (of the live run, or of a run
History replays) selects the checkpoint it took in the thread history, shows that state
pinned in the state view and rings the node; "Edit state and run from here" opens the
input form on that checkpoint's values, validated as the input form is, and runs a fork
that History's thread tree marks as such."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, Any

from gui_helpers import listed, shown_end
from pydantic import BaseModel, Field
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from graphstage import START, Journal, StateGraph
from graphstage.app import MainWindow
from graphstage.app.input_form import InputForm
from graphstage.app.timeline import AXIS, ROW

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]
FAILS: list[int] = []


class Article(BaseModel):
    topic: str = Field("graphs", min_length=2)
    count: int = Field(1, gt=0)
    log: Annotated[list[str], operator.add] = Field(default_factory=list)


async def draft(state: Article) -> dict:
    return {"log": [f"draft about {state.topic}"]}


async def review(state: Article) -> dict:
    if FAILS:
        FAILS.pop()
        raise RuntimeError("review crashed")
    return {"count": state.count + 1, "log": [f"review #{state.count}"]}


async def publish(state: Article) -> dict:
    return {"log": [f"published {state.topic} x{state.count}"]}


def article_graph():
    builder = StateGraph(Article)
    builder.add_node("draft", draft)
    builder.add_node("review", review)
    builder.add_node("publish", publish)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "review")
    builder.add_edge("review", "publish")
    return builder.compile(name="article")


def ran_window(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> tuple[MainWindow, Journal]:
    journal = Journal(":memory:")
    window = MainWindow(article_graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.resize(1440, 820)
    window.show()

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(scenario())
    return window, journal


def click_bar(qtbot: QtBot, window: MainWindow, node: str, step: int) -> None:
    """Click the timeline bar of (node, step), as a person does."""
    bars = list(window.timeline.model.bars)
    row = next(i for i, b in enumerate(bars) if (b.node, b.step) == (node, step))
    chart = window.timeline.chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(40, AXIS + row * ROW + ROW // 2))


def ringed(window: MainWindow) -> list[str]:
    return sorted(n for n, item in window.graph_view.nodes.items() if item.highlighted)


def test_a_timeline_step_shows_its_checkpoint_and_forks_from_an_edit(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window, journal = ran_window(qtbot, run_async, settings, wait_until)
    first = window.run
    panel = window.time_travel
    qtbot.waitUntil(lambda: panel.list.count() == 5, timeout=5000)
    click_bar(qtbot, window, "draft", 1)
    chosen = panel.selected
    assert chosen is not None and (chosen.step, chosen.next) == (1, ("review",))
    assert window.state_view.values == {
        "topic": "graphs",
        "count": 1,
        "log": ["draft about graphs"],
    }
    assert window.state_view.pinned_step == 1
    assert ringed(window) == ["draft"]
    assert panel.fork_button.isEnabled()

    panel.fork_button.click()
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=5000)
    dialog = panel.dialog
    assert dialog is not None
    form = dialog.findChild(InputForm, "forkForm")
    run_from_here = dialog.findChild(QPushButton, "forkRunButton")
    topic = form.findChild(QLineEdit, "field_topic")
    count = form.findChild(QSpinBox, "field_count")
    assert (topic.text(), count.value()) == ("graphs", 1)  # the checkpoint's values
    topic.setText("x")  # min_length=2: refused at the field, nothing can run
    qtbot.waitUntil(lambda: not run_from_here.isEnabled(), timeout=5000)
    assert form.error_text("topic")
    topic.setText("actors")
    count.setValue(10)
    qtbot.waitUntil(run_from_here.isEnabled, timeout=5000)

    async def fork() -> None:
        run_from_here.click()
        await wait_until(shown_end(window, first), timeout=10)

    run_async(fork())
    assert not dialog.isVisible()
    assert window.run.status == "completed"  # type: ignore[union-attr]
    # review and publish ran again on the edit; draft did not
    assert window.state_view.values["log"] == [
        "draft about graphs",
        "review #10",
        "published actors x11",
    ]
    # the fork is in the thread: after the edit (step 2, an update) the new run's steps
    qtbot.waitUntil(lambda: panel.list.count() == 8, timeout=5000)
    assert [panel.list.item(i).text() for i in range(3)] == [
        "step 4 · loop · next (end)",
        "step 3 · loop · next publish",
        "step 2 · update · next review · branches from step 1",
    ]
    panel.list.setFixedWidth(200)  # a narrow dock: rows elided, whole in their tooltips
    qtbot.waitUntil(lambda: panel.list.horizontalScrollBar().maximum() == 0, timeout=5000)
    assert panel.list.item(2).toolTip().startswith(panel.list.item(2).text())
    window.history.refresh()  # type: ignore[union-attr]
    tree = window.history.tree  # type: ignore[union-attr]
    qtbot.waitUntil(listed(window), timeout=5000)  # read in a worker thread
    assert tree.topLevelItemCount() == 1
    top = tree.topLevelItem(0)
    statuses = [top.child(j).text(3) for j in range(top.childCount())]
    assert statuses == ["completed", f"completed · fork of {chosen.checkpoint_id[:8]}"]
    # the columns share the dock's width: each cell whole in its tooltip, the thread's
    # start written as its runs' are
    qtbot.waitUntil(lambda: tree.horizontalScrollBar().maximum() == 0, timeout=5000)
    assert top.child(1).toolTip(3) == statuses[1]
    assert len(top.text(2)) == len(top.child(0).text(2)) == len("12:00:00")
    # a run picked in the tree replays, as picked in the table
    history = window.history
    assert history is not None
    first = top.child(0).data(0, Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(history.loaded, timeout=5000) as loaded:
        tree.setCurrentItem(top.child(0))
    assert loaded.args == [first] and window.session.mode == "replay"
    assert history.selected_run_id() == first
    tree.setCurrentItem(top)  # a thread row: the replay stays
    assert window.session.run_id == first
    journal.close()


def test_a_replayed_runs_step_selects_the_checkpoint_in_its_thread(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window, journal = ran_window(qtbot, run_async, settings, wait_until)
    first = window.run
    history = window.history
    assert history is not None and first is not None

    async def second_run_then_replay_the_first() -> None:
        window.run_button.click()
        await wait_until(shown_end(window, first), timeout=10)
        history.refresh()
        await wait_until(lambda: not history.reading)
        history.select_run(first.run_id)
        await wait_until(lambda: history.run_id == first.run_id, timeout=10)

    run_async(second_run_then_replay_the_first())
    panel = window.time_travel
    assert panel.run_id == first.run_id  # the replayed run's thread, not the live one's
    window.timeline.select(("review", 2))
    chosen = panel.selected
    assert chosen is not None and chosen.run_id == first.run_id
    assert (chosen.step, chosen.next) == (2, ("publish",))
    assert window.state_view.values["count"] == 2
    assert ringed(window) == ["review"]
    window.timeline.select(None)  # cleared: no checkpoint, the newest state again
    assert panel.selected is None and not panel.fork_button.isEnabled()
    assert window.state_view.pinned_step is None
    journal.close()


def test_a_failed_step_shows_the_checkpoint_its_thread_waits_at(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    FAILS[:] = [1]
    window, journal = ran_window(qtbot, run_async, settings, wait_until)
    assert window.run.status == "failed"  # type: ignore[union-attr]
    panel = window.time_travel
    window.timeline.select(("review", 2))  # the step that failed took no checkpoint
    chosen = panel.selected
    assert chosen is not None and (chosen.step, chosen.next) == (1, ("review",))
    assert window.state_view.values["log"] == ["draft about graphs"]
    assert panel.fork_button.isEnabled()

    async def fork_as_is() -> None:
        failed = window.run
        panel.fork_from(chosen, panel.values_at(chosen))  # nothing edited: review again
        await wait_until(shown_end(window, failed), timeout=10)

    run_async(fork_as_is())
    assert window.run.status == "completed"  # type: ignore[union-attr]
    assert window.state_view.values["log"][-1] == "published graphs x2"
    journal.close()


def test_a_journal_closed_under_the_panel_is_said_in_it_not_raised(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    # a history load finishing after the journal closed (the window shutting down) refreshed
    # the panel and raised "run journal :memory: is closed" into the Qt event loop
    window, journal = ran_window(qtbot, run_async, settings, wait_until)
    panel = window.time_travel
    qtbot.waitUntil(lambda: panel.list.count() == 5, timeout=5000)
    journal.close()
    panel.refresh()
    assert panel.list.count() == 0
    assert "cannot list the checkpoints of thread" in panel.label.text()
    assert "is closed" in panel.label.text()
    assert not panel.fork_button.isEnabled()


def test_a_live_runs_checkpoints_appear_as_it_goes_and_a_picked_one_stays(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    import asyncio

    gate: list[asyncio.Event] = []

    async def held_review(state: Article) -> dict:
        await gate[0].wait()
        return {"count": state.count + 1}

    builder = StateGraph(Article)
    builder.add_node("draft", draft)
    builder.add_node("review", held_review)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "review")
    graph = builder.compile(name="held")
    window = MainWindow(graph, journal=Journal(":memory:"), settings=settings)
    qtbot.addWidget(window)
    window.resize(1440, 820)
    window.show()
    panel = window.time_travel
    ticks: list[int] = []
    panel.live_timer.timeout.connect(lambda: ticks.append(len(ticks)))
    import threading

    saver, readers = window.interrupts.threads.saver, []
    real_list = saver.list

    def spy(*args: Any, **kwargs: Any) -> Any:
        if window.running:  # the ticks' reads (the run's end is listed at once, here)
            readers.append(threading.get_ident())
        return real_list(*args, **kwargs)

    saver.list = spy  # type: ignore[method-assign]

    async def scenario() -> None:
        gate.append(asyncio.Event())
        window.run_button.click()
        # input, START's step and draft's step are saved while review still waits
        await wait_until(lambda: panel.list.count() == 3, timeout=10)
        assert window.running
        assert readers and threading.get_ident() not in readers  # read off the GUI thread
        assert [c.step for c in panel.checkpoints] == [1, 0, -1]
        panel.select(1)  # the person picks step 0's checkpoint: later ticks keep it
        seen = len(ticks)
        await wait_until(lambda: len(ticks) >= seen + 2, timeout=10)
        assert panel.list.currentRow() == 1 and panel.selected is not None
        assert panel.selected.step == 0
        gate[0].set()
        await wait_until(shown_end(window), timeout=10)

    run_async(scenario())
    assert [c.step for c in panel.checkpoints] == [2, 1, 0, -1]  # listed again at the end
