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
        self._window = window
        self._then: Callable[[], None] | None = then  # None once called
        # a timer of its own, not QTimer.singleShot with this object as the context: that
        # and deleting this object from its own callback crashed PySide now and then
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._done)
        self._timer.start(FIRST_PAINT_WAIT_MS)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint and self._then:
            self._window.removeEventFilter(self)
            self._timer.start(0)  # the turn after this paint's
        return False

    def _done(self) -> None:
        """Once: stop watching and call ``then`` (this object then idles, a child of the
        window, until the window goes)."""
        then, self._then = self._then, None
        self._timer.stop()
        self._window.removeEventFilter(self)
        if then is not None:
            then()
