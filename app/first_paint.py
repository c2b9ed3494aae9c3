"""Waiting for a window's first paint, so a big graph's build does not share its
event-loop turn. GUI thread only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

FIRST_PAINT_WAIT_MS = 200
"""A build paused while its window is shown goes on after the window's first paint, or
after this many milliseconds if no paint comes (a window never exposed)."""


class FirstPaint(QObject):
    """Calls ``then`` in the event-loop turn after ``window``'s next paint (or after
    ``FIRST_PAINT_WAIT_MS``), once. Qt handles a window's expose, and so the whole
    window's first paint, in the same event-loop turn as the timers due: a build slice run
    there made one block of the GUI thread of both."""

    def __init__(self, window: QObject, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._then = window, then
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._done)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._done)  # after this turn's paint
        return False

    def _done(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._window.removeEventFilter(self)
            self.deleteLater()
            then()
