"""Pairing this terminal with a hub: hub address + one-time pairing code.

Used from the setup wizard (a fresh terminal joins an existing store) and
from the settings (a terminal with its own store pairs it with the hub).
The work runs through the OperationRunner; ``paired(object)`` carries the
:class:`~terminal.services.sync_link.PairingResult`.

Failures come back as sentences saying what to do, in the window's
language: the service marks each with a ``reason`` (and the hub's refusal
code), and the dialog words it here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import LoyaltyError
from terminal.services.sync_link import PairingResult, join_store, pair_existing
from terminal.ui.operations import OperationRunner

# the fields hold a URL and a code: this many average characters wide, less on a narrow screen
FIELD_CHARS = 34
DIALOG_CHARS = 72


class PairingDialog(QDialog):
    paired = Signal(object)  # PairingResult

    def __init__(self, services, runner: OperationRunner, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("PairingDialog")
        self._services = services
        self._runner = runner
        self._joining = not services.initialised
        self._placed = False
        self.url_edit = QLineEdit(self)
        self.code_edit = QLineEdit(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("PairingMessage")
        self.url_label, self.code_label = QLabel(self), QLabel(self)
        self.url_label.setBuddy(self.url_edit)
        self.code_label.setBuddy(self.code_edit)
        chars = self.fontMetrics().averageCharWidth()
        for edit in (self.url_edit, self.code_edit):
            edit.setMinimumWidth(chars * 16)
            edit.setMinimumHeight(edit.sizeHint().height())  # a long message grows the dialog, never squashes these
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        form = QFormLayout()
        # labels go above their fields when the dialog is too narrow for both on one row
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.url_label, self.url_edit)
        form.addRow(self.code_label, self.code_edit)
        self.buttons = QDialogButtonBox(self)
        self.pair_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._pair)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._fit_width()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._fit_height()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connect to a hub"))
        self.url_label.setText(self.tr("Hub address"))
        self.code_label.setText(self.tr("Pairing code"))
        self.url_edit.setPlaceholderText(self.tr("https://hub.example.com:8700"))
        self.code_edit.setPlaceholderText(self.tr("K7QM2-XR9TB"))
        self.pair_button.setText(self.tr("Pair"))
        self.intro.setText(
            self.tr("This terminal joins a store already on the hub: its programs, staff and cards "
                    "are copied here. Staff sign in with the PINs they use on the other tills.")
            if self._joining else
            self.tr("This store's data will be copied to the hub, and other tills of the store can "
                    "then join it. Ask the owner for a pairing code ('loyalty-hub terminals add')."))

    # -- size and place ------------------------------------------------------------------
    def _available(self):  # noqa: ANN202
        anchor = self.parentWidget().window() if self.parentWidget() is not None else self
        screen = anchor.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def _fit_width(self) -> None:
        """Wide enough for an address and a wrapped intro, never wider than the screen."""
        chars = self.fontMetrics().averageCharWidth()
        width = min(chars * DIALOG_CHARS, self._available().width() - 2 * chars)
        self.resize(max(width, self.minimumSizeHint().width()), self.sizeHint().height())
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for the wrapped texts at the current width (Qt's minimum ignores wrapping)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else self.sizeHint().height()
        needed = min(max(needed, self.sizeHint().height()), self._available().height())
        self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            self.centre()

    def centre(self) -> None:
        """Over the middle of the parent window (or of the screen), kept inside the screen."""
        area = self._available()
        parent = self.parentWidget()
        middle = parent.window().frameGeometry().center() if parent is not None else area.center()
        frame = self.frameGeometry()
        frame.moveCenter(middle)
        x = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
        y = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
        self.move(QPoint(x, y))  # a window's pos() is its frame's top left

    # -- pairing -----------------------------------------------------------------------
    def _pair(self) -> None:
        url, code = self.url_edit.text(), self.code_edit.text()
        action = join_store if self._joining else pair_existing
        self._set_busy(True)
        self._say(self.tr("Contacting the hub…"))
        self._runner.run(lambda: action(self._services, url, code), on_success=self._done,
                         on_failure=self._failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url_edit, self.code_edit, self.pair_button):
            widget.setEnabled(not busy)

    def _done(self, result: PairingResult) -> None:
        self._set_busy(False)
        if result.sync_error:
            self._say(self.tr("Paired with %1. The first sync did not finish; it will retry "
                              "in the background.").replace("%1", result.store_name))
        else:
            self._say(self.tr("Paired with %1.").replace("%1", result.store_name))
        self.paired.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self._say(self.explain(error))

    def explain(self, error: Exception) -> str:
        """The failure as a translated sentence; the service's English sentence when it is not a known one."""
        if not isinstance(error, LoyaltyError):
            return self.tr("Pairing failed unexpectedly. Try again; if it goes on, check the terminal's log.")
        details = error.details
        reason, url = details.get("reason"), details.get("url", "")
        sentences = {
            "bad_address": self.tr("The hub address starts with https:// (or http:// on a trusted network), "
                                   "for example https://hub.example.com:8700."),
            "bad_code": self.tr("Type the pairing code shown by 'loyalty-hub terminals add', like K7QM2-XR9TB."),
            "unreachable": self.tr("The hub at %1 did not answer. Check the address and that it is running."),
            "timeout": self.tr("The hub at %1 did not answer in time. Check the network and that the hub is "
                               "running, then try again."),
            "tls": self.tr("The hub at %1 could not be reached securely: its certificate was not accepted. "
                           "Check the address (https or http) and the hub's certificate."),
            "dropped": self.tr("The connection to the hub at %1 broke off. Check the network, then try again."),
            "failing": self.tr("The hub at %1 is busy or has a problem. Try again in a minute; if it goes on, "
                               "check the hub's log."),
            "unreadable": self.tr("%1 answered, but not like a loyalty hub. Check the address."),
            "not_a_hub": self.tr("%1 answers but is not a loyalty hub. Check the address."),
        }
        if reason == "refused":
            refusals = {
                "pairing_code_invalid": self.tr("The hub does not know this pairing code. Check it, or ask the "
                                                "owner for a new one ('loyalty-hub terminals add')."),
                "pairing_code_used": self.tr("This pairing code was already used. Ask the owner for a new one "
                                             "('loyalty-hub terminals add')."),
                "pairing_code_expired": self.tr("This pairing code has expired. Ask the owner for a new one "
                                                "('loyalty-hub terminals add')."),
                "store_not_set_up": self.tr("No till of this store has sent its set-up to the hub yet. Pair the "
                                            "till that is already set up first, then join this one."),
                "store_key_conflict": self.tr("Another till already paired its own store with this hub store. "
                                              "Join it from an empty data folder instead, or ask for a code "
                                              "for a new hub store."),
                "terminal_id_taken": self.tr("Another merchant's till already uses this terminal's id on that "
                                             "hub; this terminal's data cannot be paired there."),
            }
            return refusals.get(str(details.get("hub_code")), self.tr(
                "The hub refused the pairing. Check the pairing code, or ask the owner for a new one."))
        if reason in sentences:
            return sentences[reason].replace("%1", url)
        return error.message
