"""A node that raises SystemExit or KeyboardInterrupt fails its run; the window lives on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from graphstage import START, StateGraph
from graphstage.app import MainWindow

RunAsync = Callable[[Any], Any]
WaitUntil = Callable[..., Any]


class State(BaseModel):
    x: int = 1


@pytest.mark.parametrize("exc", [SystemExit(2), KeyboardInterrupt()], ids=repr)
def test_a_node_ending_the_process_fails_the_run_and_the_window_runs_again(
    qtbot: QtBot,
    run_async: RunAsync,
    settings: QSettings,
    wait_until: WaitUntil,
    exc: BaseException,
) -> None:
    async def exits(state: State) -> None:
        raise exc  # argparse inside a node, say

    builder = StateGraph(State)
    builder.add_node("exits", exits)
    builder.add_edge(START, "exits")
    window = MainWindow(builder.compile(name="exits"), settings=settings)
    qtbot.addWidget(window)
    window.show()
    finished: list[str] = []
    window.runFinished.connect(finished.append)

    async def scenario() -> None:
        window.run_button.click()
        await wait_until(lambda: finished == ["failed"], 5)
        window.run_button.click()  # the loop and the window are still there
        await wait_until(lambda: finished == ["failed", "failed"], 5)

    run_async(scenario())
    assert window.isVisible()
    assert window.run is not None
    last = window.run.event_log[-1]
    assert last.kind == "run_finished"
    assert f"NodeExitError: node 'exits' raised {type(exc).__name__}(" in str(last.error)
