"""``KeyboardWedge``: catches handheld USB scanners wherever the keyboard focus is.

Installed as an application-wide event filter. Keys arriving in a fast run
are held back for a moment (``max_interval_s``): if Enter ends the run it was
a scan and the keys are swallowed, so no text field fills with a payload;
otherwise the held keys are replayed to where they were going, so a person
typing sees every key, only a few tens of milliseconds later.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

from terminal.scanner.wedge import WedgeDecoder

_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
# pressed by scanners for capitals; they neither type nor interrupt a run
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_CapsLock, Qt.Key.Key_AltGr, Qt.Key.Key_Alt, Qt.Key.Key_Control}


@dataclasses.dataclass(frozen=True)
class _HeldKey:
    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    autorepeat: bool


class KeyboardWedge(QObject):
    """Signals: ``card_scanned(CardScan)`` and ``not_a_card(Rejection)``, in the GUI thread."""

    card_scanned = Signal(object)
    not_a_card = Signal(object)

    def __init__(self, max_interval_s: float = 0.05, min_length: int = 8,
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.decoder = WedgeDecoder(max_interval_s, min_length)
        self._clock = clock
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._installed_on: QObject | None = None
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        # a little longer than the gap, so the last key of a scan is not released before Enter
        self._release_timer.setInterval(int(max_interval_s * 1000) + 15)
        self._release_timer.timeout.connect(self.release_held)

    def install(self, app: QObject | None = None) -> None:
        target = app or QCoreApplication.instance()
        if target is not None and self._installed_on is None:
            target.installEventFilter(self)
            self._installed_on = target

    def uninstall(self) -> None:
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None
        self.release_held()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        return self._key_press(watched, event)

    def _key_press(self, watched: QObject, event: QKeyEvent) -> bool:
        now = self._clock()
        key = event.key()
        if key in _ENTER_KEYS:
            return self._enter(now)
        if key in _MODIFIER_KEYS and not event.text():
            return False
        if not event.text():  # arrows, function keys: a person at work
            self.release_held()
            self.decoder.reset()
            return False
        if not self.decoder.is_burst_continuing(now):
            self.release_held()
        self.decoder.key(event.text(), now)
        self._held.append(_HeldKey(watched, key, event.modifiers(), event.text(), event.isAutoRepeat()))
        self._release_timer.start()
        return True

    def _enter(self, now: float) -> bool:
        outcome = self.decoder.enter(now)
        if not outcome.is_scan:
            self.release_held()
            return False
        self._held.clear()
        self._release_timer.stop()
        if outcome.card:
            self.card_scanned.emit(outcome.card)
        else:
            self.not_a_card.emit(outcome.rejection)
        return True

    def release_held(self) -> None:
        """Deliver held keys as ordinary typing."""
        self._release_timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for k in held:
                if shiboken6.isValid(k.receiver):
                    event = QKeyEvent(QEvent.Type.KeyPress, k.key, k.modifiers, k.text, k.autorepeat)
                    QCoreApplication.sendEvent(k.receiver, event)
        finally:
            self._replaying = False
