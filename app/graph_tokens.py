"""Tokens: the dots that travel along an edge when a run takes it. GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QVariantAnimation
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsView

from graphstage.app.graph_edges import EdgeItem

ANIMATION_MS = 550
"""How long a token takes to travel along an edge, in milliseconds; a batch's transitions
older than this by its newest event are marked without a token (a replay's jump)."""
MAX_TOKENS = 6
"""Tokens animated at once; a fast run beyond that just marks the edges it takes."""


class Tokens(QObject):
    """The tokens on their way in one graph view, each with its animation."""

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.view = view
        # running animations, each with its token (removed when it stops early)
        self._running: dict[QVariantAnimation, QGraphicsEllipseItem] = {}

    def send(self, edge: EdgeItem, colour: str) -> None:
        """Send a token along ``edge`` (unless ``MAX_TOKENS`` are on their way)."""
        if len(self._running) >= MAX_TOKENS:
            return
        # a child of its edge, stacked over the line and under the label: a token passing
        # the label (or stopped mid-edge in a replay's picture) never hides its text
        token = QGraphicsEllipseItem(-6, -6, 12, 12, edge)
        token.setBrush(QColor(colour))
        token.setPen(QPen(QColor("white"), 2))
        token.setZValue(edge.label.zValue() - 1)
        path = edge.path()
        token.setPos(path.pointAtPercent(0))
        animation = QVariantAnimation(self)
        animation.setDuration(ANIMATION_MS)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        animation.valueChanged.connect(lambda t: token.setPos(path.pointAtPercent(float(t))))

        def finished() -> None:
            self._running.pop(animation, None)
            if token.scene() is not None:
                token.scene().removeItem(token)

        animation.finished.connect(finished)
        self._running[animation] = token
        animation.start()

    @property
    def tokens(self) -> list[QGraphicsEllipseItem]:
        """The tokens on their way now (each a child of its edge)."""
        return list(self._running.values())

    def stop_all(self) -> None:
        """Stop every token on its way and take it off the graph (a reset, a new graph)."""
        for animation, token in list(self._running.items()):
            animation.stop()  # stop() does not emit finished: the token is removed here
            if token.scene() is not None:
                token.scene().removeItem(token)
        self._running.clear()
