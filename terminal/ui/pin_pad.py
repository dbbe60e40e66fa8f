"""The PIN pad: pick a staff member, enter the PIN; the check runs off the GUI thread.

A locked-out member sees until when, and an owner can unlock them from here.
``granted(Grant)`` is emitted on success and the dialog closes. A member the
hub asked for a new PIN chooses it (twice) first; a member added at the hub
with no PIN yet gets a first PIN only after an owner's PIN approves it.

Keyboard alone works as well as touch: the names take focus, arrow keys or
the first letters of a name pick it, digits go to the PIN wherever the focus
is, Enter confirms and Esc cancels.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.auth import Grant
from terminal.services.staff import StaffInfo
from terminal.ui.context import UiContext
from terminal.ui.keypad import key_button, keypad
from terminal.ui.new_pin_dialog import NewPinDialog
from terminal.ui.refusals import describe
from terminal.ui.retranslating import Retranslating
from terminal.ui.theme import repolish

OwnerGrantRequest = Callable[[Callable[[Grant], None]], None]
STAFF_PER_ROW = 3  # beside the keypad, within 1024 pixels
NAME_CHARS = 20  # the widest name button (padding included), in average characters
TYPE_AHEAD_S = 1.0  # letters typed within this of each other spell one name prefix
_NEXT: dict[int, int] = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: STAFF_PER_ROW,
                         Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -STAFF_PER_ROW}


class PinPadDialog(Retranslating, QDialog):
    granted = Signal(object)

    def __init__(self, ui: UiContext, purpose: str, *, owners_only: bool = False, preselect: str | None = None,
                 request_owner_grant: OwnerGrantRequest | None = None, subject: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinPad")
        self.ui = ui
        self.purpose = purpose
        self.owners_only = owners_only
        self.preselect = preselect
        self.request_owner_grant = request_owner_grant
        self.staff: list[StaffInfo] = []
        self.checking = False
        self._notice = ""  # said once the staff list reloads
        self.title = QLabel(purpose)
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        # a long title ("Undo the points purchase of 14:26 on …?") wraps in a column wide enough to read
        self.title.ensurePolished()  # the theme's title font, not the default one
        self.title.setMinimumWidth(self.title.fontMetrics().averageCharWidth() * 26)
        self.subject = QLabel(subject)  # the card and its holder, when the action is for a card
        self.subject.setObjectName("Message")
        self.subject.setWordWrap(True)
        self.subject.setVisible(bool(subject))
        self._typed = ""
        self._typed_at = 0.0
        self.staff_buttons = QButtonGroup(self)
        self.staff_buttons.setExclusive(True)
        self.staff_buttons.idClicked.connect(self._staff_chosen)
        self.staff_grid = QGridLayout()
        self.message = QLabel()
        self.message.setObjectName("Message")
        self.message.setWordWrap(True)
        self.pin = QLineEdit()
        self.pin.setObjectName("PinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(r"\d{0,8}", self))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.returnPressed.connect(self.submit)
        self.pin.installEventFilter(self)
        self.ok = key_button("", "action")
        self.ok.clicked.connect(self.submit)
        self.cancel = key_button("", "action")
        self.cancel.setProperty("variant", "secondary")
        self.cancel.clicked.connect(self.reject)
        self.unlock = key_button("", "staff")
        self.unlock.clicked.connect(self._unlock_selected)
        self.unlock.hide()
        self.first_pin = key_button("", "staff")
        self.first_pin.clicked.connect(self._first_pin_selected)
        self.first_pin.hide()
        self._build()
        self.retranslate()
        self._load_staff()

    # -- layout ---------------------------------------------------------------
    def _build(self) -> None:
        pad, self.keys = keypad("123456789C0<", self._key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        # who and what on the left, the keys on the right: short enough for a 600-pixel screen
        spacing = self.fontMetrics().height() // 2
        who = QVBoxLayout()
        who.setSpacing(spacing)
        who.addWidget(self.title)
        who.addWidget(self.subject)
        who.addLayout(self.staff_grid)
        who.addWidget(self.message)
        who.addWidget(self.unlock)
        who.addWidget(self.first_pin)
        who.addStretch(1)
        who.addWidget(self.pin)
        keys = QVBoxLayout()
        keys.setSpacing(spacing)
        keys.addLayout(pad)
        keys.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setSpacing(spacing * 3)
        layout.setContentsMargins(spacing * 2, spacing * 2, spacing * 2, spacing * 2)
        layout.addLayout(who, 1)
        layout.addLayout(keys)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Owner PIN") if self.owners_only else self.tr("Staff PIN"))
        self.ok.setText(self.tr("Confirm"))
        self.cancel.setText(self.tr("Cancel"))
        self.unlock.setText(self.tr("Unlock (owner)"))
        self.first_pin.setText(self.tr("Set a PIN (owner approves)"))
        for n, info in enumerate(self.staff):
            if (button := self.staff_buttons.button(n)) is not None:
                button.setText(self._label(info))
        self.keys["C"].setText(self.tr("Clear"))
        self.keys["<"].setText("⌫")
        self.keys["<"].setToolTip(self.tr("Delete the last digit"))
        self.pin.setPlaceholderText(self.tr("PIN"))

    # -- staff ----------------------------------------------------------------
    def _fit_height(self) -> None:
        """Tall enough for the wrapped title at the width the pad now has (a size hint ignores wrapping)."""
        layout = self.layout()
        screen = self.screen()
        if layout is None or screen is None or not layout.hasHeightForWidth():
            return
        layout.activate()
        needed = min(layout.totalHeightForWidth(self.width()), screen.availableGeometry().height())
        if self.height() < needed:
            self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_height)  # once the window has its real width

    def _load_staff(self) -> None:
        self.ok.setEnabled(False)
        self.ui.runner.run(self.ui.services.staff.list, on_success=self._show_staff,
                           on_failure=self._show_error, owner=self)

    def _show_staff(self, staff: list[StaffInfo]) -> None:
        self.staff = [s for s in staff if s.role is Role.OWNER or not self.owners_only]
        for button in self.staff_buttons.buttons():
            self.staff_buttons.removeButton(button)
            button.deleteLater()
        for n, info in enumerate(self.staff):
            button = key_button(self._label(info), "staff")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the keyboard picks a name too
            button.setToolTip(info.name)

            button.installEventFilter(self)
            button.setCheckable(True)
            self.staff_buttons.addButton(button, n)
            self.staff_grid.addWidget(button, n // STAFF_PER_ROW, n % STAFF_PER_ROW)
            # room for a usual name; a very long one is cut (the tooltip has it) rather than widen the pad
            button.ensurePolished()
            cap = button.fontMetrics().averageCharWidth() * NAME_CHARS
            button.setMinimumWidth(min(button.sizeHint().width(), cap))
        if self.isVisible():  # the names came after the dialog opened: make room for them
            self.resize(self.size().expandedTo(self.sizeHint()))
            self._fit_height()
        if not self.staff:
            self._say(self.tr("There is no owner to confirm this.") if self.owners_only
                      else self.tr("There is no staff member yet."), error=True)
            return
        chosen = next((n for n, s in enumerate(self.staff) if s.staff_id == self.preselect), None)
        if chosen is None and len(self.staff) == 1:
            chosen = 0
        if chosen is not None:
            self.staff_buttons.button(chosen).setChecked(True)
            self._staff_chosen(chosen)
            self.pin.setFocus()
            if self._notice:
                self._say(self._notice)
            self._notice = ""
        else:
            self._say(self.tr("Tap your name (or pick it with the arrow keys or its first letter), "
                              "then enter your PIN."))
            first = self.staff_buttons.button(0)
            first.show()  # added to a dialog already on screen: focus needs it visible now
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _label(self, info: StaffInfo) -> str:
        return info.name + "\n" + self.tr("needs a PIN") if info.no_pin_yet else info.name

    def selected(self) -> StaffInfo | None:
        n = self.staff_buttons.checkedId()
        return self.staff[n] if 0 <= n < len(self.staff) else None

    def select_staff(self, name: str) -> None:
        """Pick a staff member by name (what tapping their button does)."""
        n = next(n for n, s in enumerate(self.staff) if s.name == name)
        self.staff_buttons.button(n).setChecked(True)
        self._staff_chosen(n)

    def _staff_chosen(self, n: int, keep_pin: bool = False) -> None:
        info = self.staff[n]
        if not keep_pin:
            self.pin.clear()  # a PIN typed for one name is never sent for another
        self.pin.setFocus()
        locked_until = info.locked_until
        locked = locked_until is not None and self.ui.now() < locked_until
        self.unlock.setVisible(locked and self.request_owner_grant is not None)
        self.first_pin.setVisible(info.no_pin_yet)
        self.ok.setEnabled(not locked and not info.no_pin_yet and not self.checking)
        if info.no_pin_yet:
            self._say(self.tr("%1 has no PIN yet. An owner approves with their PIN, then %1 chooses one.")
                      .replace("%1", info.name))
        elif locked and locked_until is not None:
            self._say(self.tr("%1 is locked out until %2. An owner can unlock.")
                      .replace("%1", info.name).replace("%2", self.ui.local_time(locked_until)), error=True)
        else:
            self._say(self.tr("%1: enter your PIN.").replace("%1", info.name))

    def _choose(self, n: int) -> None:
        keep = self.selected() is None  # digits typed before any name was picked belong to it
        self.staff_buttons.button(n).setChecked(True)
        self._staff_chosen(n, keep_pin=keep)

    # -- keyboard ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and self.staff and not self.checking:
            return self._staff_key(watched, event)
        return super().eventFilter(watched, event)

    def _staff_key(self, watched: QObject, event: QKeyEvent) -> bool:
        key, text = event.key(), event.text()
        on_name = watched is not self.pin
        if key in _NEXT:
            self._arrow(_NEXT[key])
            return True
        if text.isalpha():
            self._type_ahead(text.lower())
            return True
        if not on_name:
            return False
        if text.isdigit():
            self._key(text)
            return True
        if key == Qt.Key.Key_Backspace:
            self._key("<")
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            n = self.staff_buttons.id(watched) if isinstance(watched, QAbstractButton) else -1
            if n < 0:
                return False
            if self.staff_buttons.checkedId() != n:
                self._choose(n)
            elif key != Qt.Key.Key_Space:
                self.submit()
            return True
        return False

    def _arrow(self, step: int) -> None:
        current = self.staff_buttons.checkedId()
        if current < 0:  # nothing picked yet: the arrow picks the name with the focus
            current = next((n for n, b in enumerate(self.staff_buttons.buttons()) if b.hasFocus()), 0)
            step = 0
        elif abs(step) >= len(self.staff):  # one row only: up and down move by one
            step = step // abs(step)
        self._choose((current + step) % len(self.staff))

    def _type_ahead(self, letter: str) -> None:
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < TYPE_AHEAD_S else "") + letter
        self._typed_at = now
        names = [s.name.lower() for s in self.staff]
        matches = [n for n, name in enumerate(names) if name.startswith(self._typed)]
        if not matches and len(self._typed) > 1:  # a new first letter: start over with it
            self._typed = letter
            matches = [n for n, name in enumerate(names) if name.startswith(letter)]
        if not matches:
            return
        current = self.staff_buttons.checkedId()
        # the same letter again steps through the names that start with it
        later = [n for n in matches if n > current] if len(self._typed) == 1 else []
        self._choose((later or matches)[0])

    # -- PIN ------------------------------------------------------------------
    def _key(self, key: str) -> None:
        if key == "C":
            self.pin.clear()
        elif key == "<":
            self.pin.backspace()
        elif len(self.pin.text()) < 8:
            self.pin.insert(key)
        self.pin.setFocus()

    def submit(self) -> None:
        info = self.selected()
        if self.checking or info is None or not self.ok.isEnabled():
            if info is None and self.staff:
                self._say(self.tr("Pick your name first: tap it, or use the arrow keys or its first letter."),
                          error=True)
            return
        pin = self.pin.text()
        if not pin:
            self._say(self.tr("Enter the PIN."), error=True)
            return
        self.checking = True
        self.ok.setEnabled(False)
        self._say(self.tr("Checking the PIN…"))
        verify = self.ui.services.auth.verify_pin
        self.ui.runner.run(lambda: verify(info.staff_id, pin), on_success=self._accepted,
                           on_failure=self._refused, owner=self)

    def _accepted(self, grant: Grant) -> None:
        self.checking = False
        if self.owners_only and grant.role is not Role.OWNER:
            self._say(self.tr("Only an owner can confirm this."), error=True)
            return
        if grant.pin_reset_required:
            self._choose_new_pin(grant)
            return
        self.granted.emit(grant)
        self.accept()

    def _choose_new_pin(self, grant: Grant) -> None:
        """Asked at the hub: the member chooses a new PIN before anything else, then goes on signed in."""
        change = self.ui.services.staff.change_own_pin
        dialog = NewPinDialog(self.ui, grant.name, False, lambda pin: change(grant, pin), parent=self)

        def closed(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.granted.emit(dataclasses.replace(grant, pin_reset_required=False))
                self.accept()
                return
            self.pin.clear()
            self.ok.setEnabled(True)
            self._say(self.tr("%1 must choose a new PIN before anything else.").replace("%1", grant.name),
                      error=True)

        self._open_child(dialog, closed)

    def _first_pin_selected(self) -> None:
        info = self.selected()
        if info is None or not info.no_pin_yet:
            return
        staff = self.ui.services.staff

        def approved(grant: Grant) -> None:
            dialog = NewPinDialog(self.ui, info.name, True,
                                  lambda pin: staff.set_first_pin(grant, info.staff_id, pin), parent=self)

            def closed(result: int) -> None:
                if result == QDialog.DialogCode.Accepted:
                    self._notice = self.tr("PIN saved. %1: enter your new PIN.").replace("%1", info.name)
                    self._load_staff()

            self._open_child(dialog, closed)

        self.preselect = info.staff_id
        purpose = self.tr("An owner approves %1's first PIN.").replace("%1", info.name)
        if self.request_owner_grant is not None:
            self.request_owner_grant(approved)
            return
        pad = PinPadDialog(self.ui, purpose, owners_only=True, parent=self)
        pad.granted.connect(approved)
        self._open_child(pad, lambda _: None)

    def _open_child(self, dialog: QDialog, closed: Callable[[int], None]) -> None:
        dialog.setModal(True)
        dialog.finished.connect(closed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _refused(self, error: LoyaltyError) -> None:
        self.checking = False
        self.pin.clear()
        self.ok.setEnabled(True)
        self._show_error(error)
        if error.code is ErrorCode.STAFF_LOCKED and (info := self.selected()) is not None:
            until = error.details.get("locked_until")
            self.staff[self.staff_buttons.checkedId()] = dataclasses.replace(info, locked_until=until)
            self._staff_chosen(self.staff_buttons.checkedId())

    def _show_error(self, error: LoyaltyError) -> None:
        self._say(describe(error, self.ui.store.tz), error=True)

    def _unlock_selected(self) -> None:
        info = self.selected()
        if info is None or self.request_owner_grant is None:
            return
        staff = self.ui.services.staff

        def unlock(grant: Grant) -> None:
            self.ui.runner.run(lambda: staff.unlock(grant, info.staff_id), on_success=lambda _: self._load_staff(),
                               on_failure=self._show_error, owner=self)

        self.preselect = info.staff_id
        self.request_owner_grant(unlock)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", "error" if error else "info")
        repolish(self.message)
