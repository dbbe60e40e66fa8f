"""Opening the owner area (built in ``terminal.ui.owner``) behind an owner PIN, and locking it when left alone."""

from __future__ import annotations

import importlib
import importlib.util
import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# What counts as someone at the till: a key, a click, the wheel, a touch. Background work does not.
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
})


def owner_area_class() -> type | None:
    """``terminal.ui.owner.OwnerArea``, or None while this build has no owner area."""
    if importlib.util.find_spec("terminal.ui.owner") is None:
        return None
    try:
        module = importlib.import_module("terminal.ui.owner")
    except ImportError:
        log.exception("the owner area could not be loaded")
        return None
    return getattr(module, "OwnerArea", None)


class OwnerIdleLock(QObject):
    """``expired()`` once nobody has touched the application for ``seconds`` while it runs.

    An owner who walks away must not leave voids and PIN resets one click away for the next person at the
    till. A modal dialog open at that moment (a PIN pad, a file dialog, a confirmation) postpones the lock
    by another period: closing the area under it would pull the dialog's parent away mid-question.
    """

    expired = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)
        self.set_seconds(seconds)
        self._watching = False

    def set_seconds(self, seconds: int) -> None:
        self.timer.setInterval(seconds * 1000)

    @property
    def active(self) -> bool:
        return self._watching

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self.timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False
        self.timer.stop()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT_EVENTS:
            self.timer.start()
        return False

    def _timed_out(self) -> None:
        if QApplication.activeModalWidget() is not None:
            self.timer.start()
            return
        self.stop()
        self.expired.emit()
