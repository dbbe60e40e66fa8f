"""``KeyboardWedge``: catches handheld USB scanners on the counter without ever stealing typing.

Installed as an application-wide event filter, it decides by focus first and
timing second:

- A key aimed at a text field (line edit, text edit, spin box, editable combo,
  anything that takes input-method text) goes straight to it, at any speed.
  Typing is never held back there, so nothing can be replayed into the wrong
  field later. A scanner burst into the counter's card field fills that
  field, and its Enter looks the card up like a typed code.
- Keys aimed at the counter window with no text field focused (a button, the
  camera view) are held back while they come in a fast run (``max_interval_s``,
  a scanner types a key every few milliseconds, a fast person every 30-60 ms).
  If Enter ends the run, it was a scan: the keys are swallowed and the card is
  looked up. Otherwise the held keys are typing and go to the card field
  (``typing_target``), so a cashier can type a code without clicking first.
- Dialogs, popups and other windows (the owner area, file dialogs) are left
  alone: the wedge only listens on its home window.
- A line edit marked as a card field (``mark_card_field``), in any window,
  still gets every key; when a scanner burst into it ends with Enter, its
  text becomes the card's code (``7K3QP-9ZX2M``) before Enter reaches it, so
  the page acts on a code rather than on the QR payload.

Held keys are settled before any click or focus change is handled, and
always go where they were bound when they were held.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.scanner.wedge import WedgeDecoder

CARD_FIELD = "cardField"  # a QLineEdit property: this field takes a card code

_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_LINE_ENDS = {"\r", "\n"}  # some scanners end with a line feed, which X11 does not report as Enter


# pressed by scanners for capitals; they neither type nor interrupt a run
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_CapsLock, Qt.Key.Key_AltGr, Qt.Key.Key_Alt, Qt.Key.Key_Control,
                  Qt.Key.Key_Meta}
# with these held a key is a shortcut, never part of a payload
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)
# anything here hands the keyboard to someone else: settle held keys first
_SETTLING_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin,
                    QEvent.Type.TabletPress, QEvent.Type.WindowDeactivate}


def _is_enter(event: QKeyEvent) -> bool:
    return event.key() in _ENTER_KEYS or event.text() in _LINE_ENDS


def takes_typing(widget: QObject | None) -> bool:
    """True for a widget that edits text: keys aimed at it are typing, whatever their speed."""
    if not isinstance(widget, QWidget):
        return False
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def mark_card_field(field: QLineEdit) -> None:
    """A scanner burst into ``field`` leaves the card's code there, not the payload it typed."""
    field.setProperty(CARD_FIELD, True)


def _is_card_field(widget: QObject) -> bool:
    return isinstance(widget, QLineEdit) and bool(widget.property(CARD_FIELD)) and not widget.isReadOnly()


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

    def __init__(self, max_interval_s: float = 0.025, min_length: int = 8,
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.decoder = WedgeDecoder(max_interval_s, min_length)
        self._field_decoder = WedgeDecoder(max_interval_s, min_length)  # bursts typed into a card field
        self._field: QObject | None = None
        self._clock = clock
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._installed_on: QObject | None = None
        self._home: QWidget | None = None
        self._typing_target: QWidget | None = None
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

    def watch(self, home: QWidget, typing_target: QWidget | None = None) -> None:
        """Listen only on ``home`` (the counter window); typing held there goes to ``typing_target``."""
        self.release_held()
        self._home = home
        self._typing_target = typing_target

    # -- deciding -------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self._replaying:
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key_press(watched, event)
        if self._held and (kind in _SETTLING_EVENTS or (kind == QEvent.Type.FocusIn and not self._bound_to(watched))):
            self.release_held(move_focus=False)  # the click or the new focus decides where typing goes next
        return False

    def _bound_to(self, widget: QObject) -> bool:
        return any(k.receiver is widget for k in self._held)

    def _listens_to(self, watched: QObject) -> bool:
        if not isinstance(watched, QWidget) or takes_typing(watched):
            return False
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None:
            return False
        home = self._home
        if home is None:
            return True
        return shiboken6.isValid(home) and watched.window() is home

    def _key_press(self, watched: QObject, event: QKeyEvent) -> bool:
        if not isinstance(watched, QWidget):
            # the window's copy of a key from the window system: its focus widget gets the key next
            return False
        key = event.key()
        if key in _MODIFIER_KEYS and not event.text():
            return False
        if not self._listens_to(watched):
            self._settle()
            self._watch_card_field(watched, event)
            return False
        now = self._clock()
        if _is_enter(event):
            return self._enter(now)
        text = event.text()
        continuing = self.decoder.is_burst_continuing(now)
        starts_run = text.isprintable() and not text.isspace()
        if not text or event.modifiers() & _COMMAND_MODIFIERS or not (continuing or starts_run):
            # arrows, shortcuts, Space or Tab on a button: a person at work
            self._settle()
            return False
        if not continuing:
            self.release_held()
        self.decoder.key(text, now)
        self._held.append(_HeldKey(watched, key, event.modifiers(), text, event.isAutoRepeat()))
        self._release_timer.start()
        return True

    def _watch_card_field(self, watched: QObject, event: QKeyEvent) -> None:
        """The key goes to the field as typed; a whole scan ending in Enter becomes the card's code."""
        if not _is_card_field(watched):
            return
        now = self._clock()
        if watched is not self._field:
            self._field = watched
            self._field_decoder.reset()
        if _is_enter(event):
            outcome = self._field_decoder.enter(now)
            if outcome.card is not None and isinstance(watched, QLineEdit):
                watched.setText(format_code(outcome.card.code))
        elif event.text() and not event.modifiers() & _COMMAND_MODIFIERS:
            self._field_decoder.key(event.text(), now)
        else:
            self._field_decoder.reset()

    def _settle(self) -> None:
        self.release_held()
        self.decoder.reset()

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

    # -- giving typing back -----------------------------------------------------------
    def release_held(self, move_focus: bool = True) -> None:
        """Deliver held keys as ordinary typing, in order, to the card field (or where they were aimed).

        With ``move_focus`` the card field also takes the focus, so the person's next keys follow.
        """
        self._release_timer.stop()
        held, self._held = self._held, []
        if not held:
            return
        target = self._typing_target
        if target is not None and not (shiboken6.isValid(target) and target.isEnabled()):
            target = None
        self._replaying = True
        try:
            if target is not None and move_focus:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
            for k in held:
                receiver = target if target is not None else k.receiver
                if shiboken6.isValid(receiver):
                    event = QKeyEvent(QEvent.Type.KeyPress, k.key, k.modifiers, k.text, k.autorepeat)
                    QCoreApplication.sendEvent(receiver, event)
        finally:
            self._replaying = False
