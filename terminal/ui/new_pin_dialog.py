"""Choose a new PIN, typed twice: asked by the hub at sign-in, or a first PIN an owner approved.

``save(pin)`` runs off the GUI thread (Argon2); the dialog closes with
``accept`` once it succeeded and says why when it did not (a weak PIN, the
old PIN again, an approval that expired), with nothing changed.
Touch works through the keypad (it types into the field being filled),
the keyboard through the fields; Enter goes to the second field, then saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from terminal.domain.errors import LoyaltyError
from terminal.ui.context import UiContext
from terminal.ui.keypad import key_button, keypad
from terminal.ui.refusals import describe
from terminal.ui.retranslating import Retranslating
from terminal.ui.theme import repolish


class NewPinDialog(Retranslating, QDialog):
    def __init__(self, ui: UiContext, name: str, first: bool, save: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewPin")
        self.ui = ui
        self.name = name
        self.first = first
        self.save = save
        self.saving = False
        self.title = QLabel()
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("Message")
        self.message.setWordWrap(True)
        self.pin = self._field()
        self.again = self._field()
        self.pin.returnPressed.connect(self.again.setFocus)
        self.again.returnPressed.connect(self.submit)
        self._target = self.pin
        self.ok = key_button("", "action")
        self.ok.clicked.connect(self.submit)
        self.cancel = key_button("", "action")
        self.cancel.setProperty("variant", "secondary")
        self.cancel.clicked.connect(self.reject)
        self._build()
        self.retranslate()
        self.pin.setFocus()

    def _field(self) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("PinField")
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setValidator(QRegularExpressionValidator(r"\d{0,8}", self))
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        field.installEventFilter(self)
        return field

    def _build(self) -> None:
        pad, self.keys = keypad("123456789C0<", self._key)
        spacing = self.fontMetrics().height() // 2
        what = QVBoxLayout()
        what.setSpacing(spacing)
        what.addWidget(self.title)
        what.addWidget(self.message)
        what.addStretch(1)
        what.addWidget(self.pin)
        what.addWidget(self.again)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        keys = QVBoxLayout()
        keys.setSpacing(spacing)
        keys.addLayout(pad)
        keys.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setSpacing(spacing * 3)
        layout.setContentsMargins(spacing * 2, spacing * 2, spacing * 2, spacing * 2)
        layout.addLayout(what, 1)
        layout.addLayout(keys)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New PIN"))
        self.title.setText((self.tr("%1: choose your first PIN.") if self.first
                            else self.tr("%1: choose a new PIN before anything else.")).replace("%1", self.name))
        if not self.message.text():
            self._say(self.tr("Type the new PIN, then type it again."))
        self.pin.setPlaceholderText(self.tr("New PIN"))
        self.again.setPlaceholderText(self.tr("New PIN again"))
        self.ok.setText(self.tr("Save PIN"))
        self.cancel.setText(self.tr("Cancel"))
        self.keys["C"].setText(self.tr("Clear"))
        self.keys["<"].setText("⌫")
        self.keys["<"].setToolTip(self.tr("Delete the last digit"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn and watched in (self.pin, self.again):
            self._target = watched  # the keypad types where the cashier last was
        return super().eventFilter(watched, event)

    def _key(self, key: str) -> None:
        field = self._target
        if key == "C":
            field.clear()
        elif key == "<":
            field.backspace()
        elif len(field.text()) < 8:
            field.insert(key)
            if field is self.pin and len(field.text()) == 8:
                self.again.setFocus()
        field.setFocus()

    def submit(self) -> None:
        if self.saving:
            return
        pin, again = self.pin.text(), self.again.text()
        if not pin or not again:
            self._say(self.tr("Type the new PIN in both fields."), error=True)
            (self.pin if not pin else self.again).setFocus()
            return
        if pin != again:
            self.pin.clear()
            self.again.clear()
            self.pin.setFocus()
            self._say(self.tr("The two PINs differ. Type the same new PIN twice."), error=True)
            return
        self.saving = True
        self.ok.setEnabled(False)
        self._say(self.tr("Saving the PIN…"))
        save = self.save
        self.ui.runner.run(lambda: save(pin), on_success=lambda _: self.accept(), on_failure=self._refused,
                           owner=self)

    def _refused(self, error: LoyaltyError) -> None:
        self.saving = False
        self.ok.setEnabled(True)
        self.pin.clear()
        self.again.clear()
        self.pin.setFocus()
        self._say(describe(error, self.ui.store.tz), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", "error" if error else "info")
        repolish(self.message)
