"""The state tree: long lists collapsed to their newest items, the last step's changes
highlighted (new list items too), long values whole in the tooltip."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from graphstage import RunStarted, StateUpdated
from graphstage.app.state_view import CHANGED, NEWEST, StateView


def test_a_long_list_shows_its_newest_items_and_the_last_step_is_highlighted(
    qtbot: QtBot,
) -> None:
    view = StateView()
    qtbot.addWidget(view)
    now = time.time()
    messages = [{"role": "user", "content": f"m{i}"} for i in range(500)]
    long_text = "partial: " + "x" * 300
    view.apply(
        [
            RunStarted(
                run_id="r", seq=0, time=now, graph="g", input={"messages": messages, "note": ""}
            ),
            StateUpdated(
                run_id="r",
                seq=1,
                time=now,
                step=1,
                update={"note": long_text},
                appended={"messages": [{"role": "ai", "content": "newest"}]},
            ),
        ]
    )
    root = view.invisibleRootItem()
    items = {root.child(i).text(0): root.child(i) for i in range(root.childCount())}
    field = items["messages"]
    assert field.text(1) == "[501 items]  (+1 new)"
    assert not field.isExpanded()  # long: collapsed
    assert field.childCount() == NEWEST + 1  # "… earlier items" and the newest ones
    assert field.child(0).text(1).startswith(f"{501 - NEWEST} earlier items")
    newest = field.child(field.childCount() - 1)
    assert newest.text(0) == "[500]" and newest.text(1) == "ai: newest"
    assert newest.background(1).color() == CHANGED  # appended this step
    assert field.child(field.childCount() - 2).background(1).color() != CHANGED
    note = items["note"]
    assert note.background(1).color() == CHANGED and note.toolTip(1) == long_text
    assert view.changed == {"note", "messages"}


def test_a_containers_size_reads_as_english() -> None:
    from graphstage.app.state_view import value_text

    assert [value_text(v) for v in ([1], [1, 2], [], {"a": 1}, {"a": 1, "b": 2})] == [
        "[1 item]",
        "[2 items]",
        "[0 items]",
        "{1 field}",
        "{2 fields}",
    ]


def test_a_narrow_state_view_elides_its_values_within_its_width(qtbot: QtBot) -> None:
    """The value column shrinks with the panel (it kept 100 px and its text was cut at the
    panel's edge, without an ellipsis)."""
    view = StateView()
    qtbot.addWidget(view)
    view.show_state({"sleep_seconds": 5, "result": "cleanup after the stop"})
    view.resize(110, 300)
    view.show()
    qtbot.waitUntil(lambda: view.header().length() <= view.viewport().width(), timeout=5000)
    view.resize(400, 300)
    qtbot.waitUntil(lambda: view.header().length() == view.viewport().width(), timeout=5000)
