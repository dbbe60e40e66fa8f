"""The PIN pad: pick a staff member, enter the PIN; the check runs off the GUI thread.

A locked-out member sees until when, and an owner can unlock them from here.
``granted(Grant)`` is emitted on success and the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QButtonGroup, QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.auth import Grant
from terminal.services.staff import StaffInfo
from terminal.ui.context import UiContext
from terminal.ui.keypad import key_button, keypad
from terminal.ui.refusals import describe
from terminal.ui.theme import repolish

OwnerGrantRequest = Callable[[Callable[[Grant], None]], None]
STAFF_PER_ROW = 4


class PinPadDialog(QDialog):
    granted = Signal(object)

    def __init__(self, ui: UiContext, purpose: str, *, owners_only: bool = False, preselect: str | None = None,
                 request_owner_grant: OwnerGrantRequest | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinPad")
        self.ui = ui
        self.purpose = purpose
        self.owners_only = owners_only
        self.preselect = preselect
        self.request_owner_grant = request_owner_grant
        self.staff: list[StaffInfo] = []
        self.checking = False
        self.title = QLabel(purpose)
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
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
        self.ok = key_button("", "action")
        self.ok.clicked.connect(self.submit)
        self.cancel = key_button("", "action")
        self.cancel.setProperty("variant", "secondary")
        self.cancel.clicked.connect(self.reject)
        self.unlock = key_button("", "staff")
        self.unlock.clicked.connect(self._unlock_selected)
        self.unlock.hide()
        self._build()
        self.retranslate()
        self._load_staff()

    # -- layout ---------------------------------------------------------------
    def _build(self) -> None:
        pad, self.keys = keypad("123456789C0<", self._key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.title)
        layout.addLayout(self.staff_grid)
        layout.addWidget(self.message)
        layout.addWidget(self.unlock)
        layout.addWidget(self.pin)
        layout.addLayout(pad)
        layout.addLayout(buttons)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Owner PIN") if self.owners_only else self.tr("Staff PIN"))
        self.ok.setText(self.tr("Confirm"))
        self.cancel.setText(self.tr("Cancel"))
        self.unlock.setText(self.tr("Owner: unlock this staff member"))
        self.keys["C"].setText(self.tr("Clear"))
        self.keys["<"].setText("⌫")
        self.keys["<"].setToolTip(self.tr("Delete the last digit"))
        self.pin.setPlaceholderText(self.tr("PIN"))

    # -- staff ----------------------------------------------------------------
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
            button = key_button(info.name, "staff")
            button.setCheckable(True)
            self.staff_buttons.addButton(button, n)
            self.staff_grid.addWidget(button, n // STAFF_PER_ROW, n % STAFF_PER_ROW)
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
        else:
            self._say(self.tr("Tap your name, then enter your PIN."))
        self.pin.setFocus()

    def selected(self) -> StaffInfo | None:
        n = self.staff_buttons.checkedId()
        return self.staff[n] if 0 <= n < len(self.staff) else None

    def select_staff(self, name: str) -> None:
        """Pick a staff member by name (what tapping their button does)."""
        n = next(n for n, s in enumerate(self.staff) if s.name == name)
        self.staff_buttons.button(n).setChecked(True)
        self._staff_chosen(n)

    def _staff_chosen(self, n: int) -> None:
        info = self.staff[n]
        self.pin.clear()
        self.pin.setFocus()
        locked = info.locked_until is not None and self.ui.now() < info.locked_until
        self.unlock.setVisible(locked and self.request_owner_grant is not None)
        self.ok.setEnabled(not locked and not self.checking)
        if locked:
            self._say(self.tr("%1 is locked out until %2. An owner can unlock.")
                      .replace("%1", info.name).replace("%2", self.ui.local_time(info.locked_until)), error=True)
        else:
            self._say(self.tr("%1: enter your PIN.").replace("%1", info.name))

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
                self._say(self.tr("Tap your name first."), error=True)
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
        self.granted.emit(grant)
        self.accept()

    def _refused(self, error: LoyaltyError) -> None:
        self.checking = False
        self.pin.clear()
        self.ok.setEnabled(True)
        self._show_error(error)
        if error.code is ErrorCode.STAFF_LOCKED and (info := self.selected()) is not None:
            until = error.details.get("locked_until")
            self.staff[self.staff_buttons.checkedId()] = StaffInfo(
                info.staff_id, info.name, info.role, info.active, info.failed_attempts, until)
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
