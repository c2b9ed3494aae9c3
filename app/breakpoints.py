"""Breakpoints: right-click a node in the graph → *Pause before 'node'* / *Pause after 'node'*.

They become the ``interrupt_before`` / ``interrupt_after`` of the window's next runs (and of
the runs that continue a paused thread), as LangGraph's breakpoints. A node with a
breakpoint carries a marker: ``⏸`` on its left for *before*, on its right for *after*. The
run pauses there (status ``paused``); the interrupt panel's **Continue** goes on. GUI
thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QMenu

from graphstage import END, START
from graphstage.app.graph_items import NodeItem
from graphstage.app.theme import shown_path

if TYPE_CHECKING:
    from graphstage.app.main_window import MainWindow

When = Literal["before", "after"]


class Breakpoints:
    """The window's breakpoints, by node name."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.before: set[str] = set()
        self.after: set[str] = set()
        # (node, when) -> its marker, a child of the node's item (gone with the item)
        self._marks: dict[tuple[str, When], QGraphicsSimpleTextItem] = {}
        view = window.graph_view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_menu_requested)

    def toggle(self, node: str, when: When) -> bool:
        """Set or clear a breakpoint; returns whether it is now set."""
        chosen = self.before if when == "before" else self.after
        if node in chosen:
            chosen.discard(node)
        else:
            chosen.add(node)
        self.redraw()
        return node in chosen

    def options(self) -> dict[str, list[str] | None]:
        """The keyword arguments a run takes: None leaves the compiled breakpoints."""
        nodes = self.window.graph.nodes
        before = sorted(n for n in self.before if n in nodes)
        after = sorted(n for n in self.after if n in nodes)
        return {"interrupt_before": before or None, "interrupt_after": after or None}

    def redraw(self) -> None:
        """Markers for the breakpoints on the nodes the view shows now."""
        items = self.window.graph_view.nodes
        for key, mark in list(self._marks.items()):
            node, when = key
            chosen = self.before if when == "before" else self.after
            try:
                shown = items.get(node) is mark.parentItem()
            except RuntimeError:  # its node item is gone (another graph): so is the mark
                shown = False
            if node not in chosen or not shown:
                if shown and mark.scene() is not None:
                    mark.scene().removeItem(mark)
                del self._marks[key]
        for when, chosen in (("before", self.before), ("after", self.after)):
            for node in chosen:
                item = items.get(node)
                if item is None or (node, when) in self._marks:
                    continue
                mark = QGraphicsSimpleTextItem("⏸", item)
                mark.setBrush(QColor("#dc2626"))
                rect = item.boundingRect()
                x = rect.left() - 14 if when == "before" else rect.right() + 2
                mark.setPos(x, rect.top())
                mark.setToolTip(f"pause {when} {node}")
                self._marks[(node, when)] = mark  # type: ignore[index]

    def marked(self, node: str, when: When) -> bool:
        """Whether the node shows a marker for this breakpoint (for tests)."""
        return (node, when) in self._marks

    def menu_for(self, node: str) -> QMenu:
        """The context menu of a node: two checkable actions, each naming the node (a
        right-click between two close boxes must say which one it sets)."""
        menu = QMenu(self.window.graph_view)
        menu.setObjectName("breakpointMenu")
        for when, chosen in (("before", self.before), ("after", self.after)):
            action = menu.addAction(f"Pause {when} '{shown_path(node)}'")
            action.setObjectName(f"pause{when.title()}Action")
            action.setCheckable(True)
            action.setChecked(node in chosen)
            action.triggered.connect(lambda _=False, w=when: self.toggle(node, w))  # type: ignore[misc]
        return menu

    def _on_menu_requested(self, pos: QPoint) -> None:
        view = self.window.graph_view
        item: QGraphicsItem | None = view.itemAt(pos)
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if item is None or item.name in (START, END):
            return
        self.menu_for(item.name).exec(view.viewport().mapToGlobal(pos))
