"""graphstage's desktop app: a live monitor for runs of a state graph.

    from graphstage.app import MainWindow
    window = MainWindow(graph)      # graph: a CompiledGraph

``MainWindow`` is imported lazily, so ``app.cli`` and ``app.loader`` (which the headless
CLI uses) stay free of Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from graphstage.app.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'app' has no attribute {name!r}")
