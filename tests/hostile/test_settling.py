"""A run that has published its end keeps it: cancelling the supervisor's task while the
journal still writes the run's last rows (the CLI's loop shutting down after its stdout
closed did exactly that) settles the run with the status it published, once, and the
journal holds one ``run_finished``, not a second one saying ``failed``."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, TypedDict

import pytest

from graphstage import END, START, Journal, RunFinished, StateGraph

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict):
    x: int


def graph() -> Any:
    b = StateGraph(S)
    b.add_node("a", lambda s: {"x": s["x"] + 1})
    b.add_edge(START, "a")
    b.add_edge("a", END)
    return b.compile()


async def test_cancelling_the_supervisor_after_the_run_published_its_end_keeps_that_end(
    tmp_path: Path, wait_until: Any
) -> None:
    db = tmp_path / "j.sqlite3"
    journal = Journal(db, timeout=20)
    blocker = sqlite3.connect(db, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # the run's rows wait behind this lock
        run = graph().start({"x": 1}, journal=journal)
        supervisor = run._supervisor
        await wait_until(lambda: any(isinstance(e, RunFinished) for e in run.event_log))
        assert not run.done  # waiting for its journal write
        supervisor.task.cancel()
        result = await asyncio.wait_for(run.result(), 10)
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
    journal.close()
    assert (result.status, result.state, result.error) == ("completed", {"x": 2}, None)
    ends = [e for e in run.event_log if isinstance(e, RunFinished)]
    assert [e.status for e in ends] == ["completed"]
    with Journal(db) as reread:
        (record,) = reread.runs()
        kinds = [e.kind for e in reread.events(record.run_id)]
    assert (record.status, record.values) == ("completed", {"x": 2})
    assert kinds.count("run_finished") == 1 and kinds[-1] == "run_finished"
