"""The History panel lists a journal with damaged and crafted rows: the window starts, the
damaged rows say so, and selecting one replays what can be read."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import Journal
from graphstage.app import MainWindow
from graphstage.app.loader import DEFAULT_GRAPH, load_graph

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from crafted import CRAFTED_RUNS, craft
from gui_helpers import listed


def test_the_window_starts_on_a_journal_with_damaged_rows(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    db = tmp_path / "j.sqlite3"
    craft(db)
    journal = Journal(db)
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=journal, settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.history
    assert panel is not None
    qtbot.waitUntil(listed(window), timeout=5000)
    assert panel.records == []  # none of these runs is of the graph shown
    panel.scope.setCurrentIndex(1)  # all graphs
    shown = {r.run_id: panel.table.text(i, 4) for i, r in enumerate(panel.records)}
    assert set(shown) == set(CRAFTED_RUNS)
    for run_id in ("badinput", "numnext", "texttime", "deep", "blobs"):
        assert shown[run_id] == "damaged", run_id
    for run_id in CRAFTED_RUNS:
        panel.select_run(run_id)
        assert not panel.resume_button.isEnabled()  # another graph, or damaged
    panel.select_run("escape")  # of another graph: never replayed into this one
    assert panel.events == [] and window.session.mode == "idle"
    assert "open that graph" in panel.position_label.full_text()
    journal.close()


def test_the_history_panel_copes_with_fuzzed_crafted_rows(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    """Hypothesis feeds crafted rows to the panel: listing and selecting never raise."""
    import itertools
    import sqlite3

    from crafted import craft_rows
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    cell = st.one_of(
        st.none(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(),
        st.text(max_size=20),
        st.binary(max_size=10),
        st.sampled_from(["{}", "not json", "[" * 3000 + "]" * 3000, '{"x": ' + "9" * 5000 + "}"]),
    )
    columns = ("graph", "status", "started", "finished", "input", "next", "final_values")
    window = MainWindow(load_graph(DEFAULT_GRAPH), journal=Journal(":memory:"), settings=settings)
    qtbot.addWidget(window)
    panel = window.history
    assert panel is not None
    panel.scope.setCurrentIndex(1)  # all graphs: the crafted rows name arbitrary graphs
    counter = itertools.count()

    @hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        runs=st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(columns, cell)), max_size=3),
        events=st.lists(st.tuples(st.sampled_from(["run_started", "x"]), cell), max_size=3),
    )
    def check(runs: list[dict[str, object]], events: list[tuple[str, object]]) -> None:
        db = tmp_path / f"j{next(counter)}.sqlite3"
        try:
            craft_rows(db, runs, events)
        except sqlite3.IntegrityError:
            return
        journal = Journal(db)
        panel.journal = journal
        panel.refresh()
        qtbot.waitUntil(listed(window), timeout=5000)
        assert [r.run_id for r in panel.records] == [r.run_id for r in journal.runs()]
        for record in panel.records:
            panel.select_run(record.run_id)
        journal.close()

    check()
    panel.journal.close()
