"""The interrupt panel: a run paused at interrupt() is answered from the window, or its
waiting node is stopped into its cleanup route; the thread is in the window's journal."""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

from gui_helpers import kill_in_work_stage, listed, shown_end
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import END, START, Command, Journal, SqliteSaver, StateGraph, interrupt
from graphstage.app import MainWindow

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list, operator.add]


async def draft(state: State) -> dict:
    return {"log": [f"draft about {state.get('topic', '?')}"]}


async def approve(state: State) -> Any:
    try:
        answer = interrupt({"question": "publish?", "log": state["log"]})
    except asyncio.CancelledError:
        return Command(goto="cleanup")
    return {"log": [f"answer {answer!r}"]}


async def cleanup(state: State) -> dict:
    return {"log": ["cleaned up"]}


def graph():
    builder = StateGraph(State)
    builder.add_node("draft", draft)
    builder.add_node("approve", approve)
    builder.add_node("cleanup", cleanup)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "approve")
    builder.add_edge("approve", END)
    return builder.compile()


def paused_window(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> tuple[MainWindow, Journal]:
    journal = Journal(":memory:")
    window = MainWindow(graph(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(shown_end(window), timeout=10)

    run_async(scenario())
    return window, journal


def test_a_paused_run_shows_its_question_and_the_answer_resumes_it(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window, journal = paused_window(qtbot, run_async, settings, wait_until)
    panel = window.interrupts
    assert window.run is not None and window.run.status == "paused"
    assert panel.objectName() == "interruptPanel"
    assert panel.heading.text() == "approve asks:"
    assert '"question": "publish?"' in panel.question.toPlainText()  # pretty JSON
    assert panel.answer_button.isEnabled() and panel.stop_button.isEnabled()
    model = window.log_view.log_model
    lines = [model.line(row) for row in range(model.rowCount())]
    # the question in the log as a person reads it (it was the event's repr, under "run")
    asked = '‖ waits for an answer: {"question": "publish?", "log": ["draft about ?"]}'
    assert [where.split()[-1] for where, text in lines if text == asked] == ["approve"]
    [thread] = SqliteSaver(journal).threads()  # waiting in the window's journal
    assert (thread.status, thread.head.next) == ("paused", ("approve",))
    paused = window.run

    async def answer() -> None:
        panel.answer_editor.setPlainText('{"ok": true}')
        panel.answer_button.click()
        await wait_until(shown_end(window, paused), timeout=10)

    run_async(answer())
    assert window.run.status == "completed"
    assert window.state_view.values["log"][-1] == "answer {'ok': True}"
    assert not panel.answer_button.isEnabled()
    journal.close()


def test_stop_waiting_node_takes_its_cleanup_route(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window, journal = paused_window(qtbot, run_async, settings, wait_until)
    panel = window.interrupts
    paused = window.run

    async def stop() -> None:
        panel.stop_button.click()
        await wait_until(shown_end(window, paused), timeout=10)

    run_async(stop())
    assert window.run.status == "cancelled"
    assert window.state_view.values["log"][-1] == "cleaned up"
    journal.close()


def test_history_resumes_a_killed_runs_thread_once(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    from graphstage.app.loader import DEFAULT_GRAPH, load_graph

    journal = Journal(":memory:")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        killed = await kill_in_work_stage(window, wait_until, finished)
        await wait_until(listed(window))
        panel.select_run(killed)
        panel.resume_button.click()
        await wait_until(lambda: finished == ["killed", "completed"], timeout=20)
        assert window.state_view.values["result"] == "done"
        resumed = window.run
        panel.refresh()
        await wait_until(listed(window))
        panel.select_run(killed)
        panel.resume_button.click()  # again: its thread went on since, nothing runs twice
        assert window.run is resumed
        assert "was already continued" in panel.position_label.text()

    run_async(scenario())
    journal.close()


def test_a_breakpoint_set_on_a_node_pauses_the_run_before_it_and_continue_goes_on(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    builder = StateGraph(State)
    builder.add_node("a", lambda state: {"log": ["a"]})
    builder.add_node("b", lambda state: {"log": ["b"]})
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    journal = Journal(":memory:")
    window = MainWindow(builder.compile(), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    menu = window.breakpoints.menu_for("b")  # what a right-click on b opens
    [before, after] = menu.actions()
    assert (before.text(), after.text()) == ("Pause before 'b'", "Pause after 'b'")
    before.trigger()
    assert window.breakpoints.before == {"b"}
    qtbot.waitUntil(lambda: window.breakpoints.marked("b", "before"), timeout=5000)
    panel = window.interrupts

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(shown_end(window), timeout=10)
        assert window.run.status == "paused"  # type: ignore[union-attr]
        assert panel.heading.text() == "Paused at a breakpoint before b."
        assert panel.answer_button.text() == "Continue"
        paused = window.run
        panel.answer_button.click()
        await wait_until(shown_end(window, paused), timeout=10)

    run_async(scenario())
    assert window.run.status == "completed"  # type: ignore[union-attr]
    assert window.state_view.values["log"] == ["a", "b"]
    journal.close()


def test_time_travel_shows_a_past_state_and_forks_from_an_edit(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window, journal = paused_window(qtbot, run_async, settings, wait_until)
    panel = window.time_travel
    assert panel.objectName() == "timeTravelPanel"
    rows = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert rows == [
        "step 1 · loop · next approve",
        "step 0 · loop · next draft",
        "step -1 · input · next START",
    ]
    panel.select(1)  # the state before draft ran
    assert window.state_view.values == {"log": []}
    assert panel.fork_button.isEnabled()
    before_approve = panel.checkpoints[0]
    paused = window.run

    async def fork() -> None:
        panel.fork_from(before_approve, {"log": ["an edited draft"]})
        await wait_until(shown_end(window, paused), timeout=10)

    run_async(fork())
    assert window.run.status == "paused"  # approve asks again, about the edited draft
    assert "an edited draft" in window.interrupts.question.toPlainText()
    rows = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert rows[0] == "step 2 · update · next approve"
    journal.close()


def tree_rows(window: MainWindow) -> list[tuple[str, list[str]]]:
    """History's thread tree: (thread id, [each run's id and status]) per thread."""
    tree = window.history.tree  # type: ignore[union-attr]
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        runs = [f"{top.child(j).text(0)} {top.child(j).text(3)}" for j in range(top.childCount())]
        out.append((top.text(0), runs))
    return out


def test_history_tree_shows_a_threads_runs_and_marks_the_fork(
    qtbot: QtBot, run_async: RunAsync, settings: QSettings, wait_until: WaitUntil
) -> None:
    window, journal = paused_window(qtbot, run_async, settings, wait_until)
    first = window.run
    assert window.history is not None and window.history.tree.objectName() == "historyTree"

    async def answer_then_fork() -> None:
        window.interrupts.answer_editor.setPlainText('"yes"')
        window.interrupts.answer_button.click()
        await wait_until(shown_end(window, first), timeout=10)
        window.time_travel.refresh()
        # the checkpoint before draft ran: not the thread's latest, so the run is a fork
        [before_draft] = [c for c in window.time_travel.checkpoints if c.step == 0]
        answered = window.run
        window.time_travel.fork_from(before_draft, {"log": ["edited"]})
        await wait_until(shown_end(window, answered), timeout=10)

    run_async(answer_then_fork())
    runs = [first.run_id[:8], *(r[:8] for r in list(window.interrupts.threads.threads)[1:])]
    thread = first.run_id[:8]  # the window names a new thread after its first run
    window.history.refresh()
    # the tree already shows the thread from an earlier read: wait for this read's rows
    qtbot.waitUntil(lambda: listed(window)() and len(tree_rows(window)) == 1, timeout=5000)
    [(top, children)] = tree_rows(window)
    assert top == thread
    assert [c.split(" ", 1)[0] for c in children] == runs
    assert children[0] == f"{runs[0]} paused"
    assert children[1] == f"{runs[1]} completed"
    window.time_travel.refresh()
    [before_draft] = [c for c in window.time_travel.checkpoints if c.step == 0]
    assert children[2] == f"{runs[2]} paused · fork of {before_draft.checkpoint_id[:8]}"
    window.history.filter.setText(runs[2])  # a run's id finds its thread
    qtbot.waitUntil(lambda: [t for t, _ in tree_rows(window)] == [thread], timeout=5000)
    window.history.filter.setText("no such run")
    qtbot.waitUntil(lambda: tree_rows(window) == [], timeout=5000)
    journal.close()
