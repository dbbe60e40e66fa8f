"""Pairing this terminal with a hub: hub address + one-time pairing code.

Used from the setup wizard (a fresh terminal joins an existing store) and
from the settings (a terminal with its own store pairs it with the hub).
The work runs through the OperationRunner; ``paired(object)`` carries the
:class:`~terminal.services.sync_link.PairingResult`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import LoyaltyError
from terminal.services.sync_link import PairingResult, join_store, pair_existing
from terminal.ui.operations import OperationRunner


class PairingDialog(QDialog):
    paired = Signal(object)  # PairingResult

    def __init__(self, services, runner: OperationRunner, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._joining = not services.initialised
        self.setWindowTitle(self.tr("Connect to a hub"))
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(self.tr("https://hub.example.com:8700"))
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText(self.tr("K7QM2-XR9TB"))
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setText(
            self.tr("This terminal joins a store already on the hub: its programs, staff and cards "
                    "are copied here. Staff sign in with the PINs they use on the other tills.")
            if self._joining else
            self.tr("This store's data will be copied to the hub, and other tills of the store can "
                    "then join it. Ask the owner for a pairing code ('loyalty-hub terminals add')."))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("PairingMessage")
        form = QFormLayout()
        form.addRow(self.tr("Hub address"), self.url_edit)
        form.addRow(self.tr("Pairing code"), self.code_edit)
        self.buttons = QDialogButtonBox(self)
        self.pair_button = self.buttons.addButton(self.tr("Pair"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._pair)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _pair(self) -> None:
        url, code = self.url_edit.text(), self.code_edit.text()
        action = join_store if self._joining else pair_existing
        self._set_busy(True)
        self.message.setText(self.tr("Contacting the hub…"))
        self._runner.run(lambda: action(self._services, url, code), on_success=self._done,
                         on_failure=self._failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url_edit, self.code_edit, self.pair_button):
            widget.setEnabled(not busy)

    def _done(self, result: PairingResult) -> None:
        self._set_busy(False)
        if result.sync_error:
            self.message.setText(self.tr("Paired with %1. The first sync did not finish; it will retry "
                                         "in the background.").replace("%1", result.store_name))
        else:
            self.message.setText(self.tr("Paired with %1.").replace("%1", result.store_name))
        self.paired.emit(result)
        self.accept()

    def _failed(self, error: LoyaltyError) -> None:
        self._set_busy(False)
        self.message.setText(error.message)
