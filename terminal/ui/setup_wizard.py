"""First run: the store, its owner and PIN, and a program from a template.

The store is created by ``services.init_store`` in the background when the
owner presses Finish; a refusal is shown on the last page and nothing is
written.
"""

from __future__ import annotations

import time
import zoneinfo
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from terminal.domain.errors import LoyaltyError
from terminal.domain.money import minor_digits
from terminal.domain.pins import check_pin
from terminal.services.facade import Services
from terminal.services.setup import TEMPLATES, check_currency, check_timezone, proposed_rate
from terminal.ui.context import money, number
from terminal.ui.operations import OperationRunner
from terminal.ui.pairing_dialog import PairingDialog
from terminal.ui.placement import available_geometry, centre_on_parent, frame_margins, preferred_window_size
from terminal.ui.refusals import describe
from terminal.ui.retranslating import Retranslating
from terminal.ui.theme import repolish

CURRENCIES = ("EUR", "IDR", "USD", "GBP", "SGD", "MYR", "AUD", "CHF", "JPY")


def guess_timezone() -> str:
    try:
        link = Path("/etc/localtime").resolve()
        name = str(link).split("zoneinfo/", 1)[1]
        zoneinfo.ZoneInfo(name)
        return name
    except (IndexError, OSError, zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "Europe/Berlin" if time.timezone in (-3600, -7200) else "UTC"


def _message_label() -> QLabel:
    label = QLabel()
    label.setObjectName("Message")
    label.setWordWrap(True)
    label.setProperty("kind", "error")
    return label


class StorePage(Retranslating, QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(zoneinfo.available_timezones()))
        self.timezone.setCurrentText(guess_timezone())
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.message = _message_label()
        self.form = QFormLayout(self)
        self.labels = [QLabel() for _ in range(3)]
        for label, widget in zip(self.labels, (self.name, self.timezone, self.currency), strict=True):
            self.form.addRow(label, widget)
        self.form.addRow(self.message)
        self.name.textChanged.connect(self.completeChanged)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your store"))
        self.setSubTitle(self.tr("The name is printed on cards. Times are shown in the store's time zone."))
        for row, text in enumerate((self.tr("Store name"), self.tr("Time zone"), self.tr("Currency"))):
            self.labels[row].setText(text)

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return bool(self.name.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        try:
            check_timezone(self.timezone.currentText().strip())
            check_currency(self.currency.currentText())
        except LoyaltyError as exc:
            self.message.setText(describe(exc))
            return False
        self.message.clear()
        return True


class OwnerPage(Retranslating, QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.pin = QLineEdit()
        self.pin_again = QLineEdit()
        for field in (self.pin, self.pin_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setValidator(QRegularExpressionValidator(r"\d{0,8}", field))
        self.message = _message_label()
        self.form = QFormLayout(self)
        self.labels = [QLabel() for _ in range(3)]
        for label, widget in zip(self.labels, (self.name, self.pin, self.pin_again), strict=True):
            self.form.addRow(label, widget)
        self.form.addRow(self.message)
        for field in (self.name, self.pin, self.pin_again):
            field.textChanged.connect(self.completeChanged)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("The owner"))
        self.setSubTitle(self.tr("The owner manages staff, programs and reports. The PIN has 4 to 8 digits."))
        for row, text in enumerate((self.tr("Owner name"), self.tr("PIN"), self.tr("PIN again"))):
            self.labels[row].setText(text)

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return bool(self.name.text().strip() and self.pin.text() and self.pin_again.text())

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        if self.pin.text() != self.pin_again.text():
            self.message.setText(self.tr("The two PINs differ. Type the same PIN twice."))
            return False
        try:
            check_pin(self.pin.text())
        except LoyaltyError as exc:
            self.message.setText(describe(exc))
            return False
        self.message.clear()
        return True


class ProgramPage(Retranslating, QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.radios: dict[str, QRadioButton] = {}
        for n, key in enumerate(TEMPLATES):
            radio = QRadioButton()
            self.radios[key] = radio
            self.choices.addButton(radio, n)
            layout.addWidget(radio)
        self.radios["coffee"].setChecked(True)
        self.message = _message_label()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your loyalty program"))
        self.setSubTitle(self.tr("Start from a template; the owner can change everything later."))
        self.radios["coffee"].setText(self.tr("Coffee stamp card: 10 stamps for a free coffee"))
        self.radios["points"].setText(self._points_text())
        self.radios["hybrid"].setText(self.tr("Stamps and points: 8 stamps for a free drink, points for lunch"))

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.retranslate()  # the store page's currency is known now: the rate is proposed for it

    def _currency(self) -> str:
        wizard = self.wizard()
        store_page = getattr(wizard, "store_page", None)
        try:
            return check_currency(store_page.currency.currentText()) if store_page is not None else "EUR"
        except LoyaltyError:
            return "EUR"

    def _points_text(self) -> str:
        """The points template with the rate proposed for the store's currency (not 10 points per rupiah)."""
        currency = self._currency()
        points, per_minor = proposed_rate(currency)
        step = money(per_minor if per_minor is not None else 10 ** minor_digits(currency), currency)
        text = (self.tr("Points: 1 point for every %2 spent") if points == 1
                else self.tr("Points: %1 points for every %2 spent"))
        return text.replace("%1", number(points)).replace("%2", step)

    def template(self) -> str:
        return next(key for key, radio in self.radios.items() if radio.isChecked())


class SetupWizard(Retranslating, QWizard):
    """Emits ``store_created()`` once the store exists."""

    store_created = Signal()

    def __init__(self, services: Services, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SetupWizard")
        self.services = services
        self.runner = runner
        self.creating = False
        self.store_page, self.owner_page, self.program_page = StorePage(), OwnerPage(), ProgramPage()
        for page in (self.store_page, self.owner_page, self.program_page):
            self.addPage(page)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        # about 48 x 30 lines of its font, never more than the screen has room for
        room = available_geometry(parent).size() - frame_margins(self)
        self.resize(preferred_window_size(self, QSize(48, 30)).boundedTo(room))
        centre_on_parent(self)
        # a second till of a store already on a hub joins it instead of creating a store
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.customButtonClicked.connect(lambda which: which == QWizard.WizardButton.CustomButton1
                                         and self.open_join())
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up the loyalty terminal"))
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("Join a store on a hub…"))

    def open_join(self) -> PairingDialog:
        dialog = PairingDialog(self.services, self.runner, self)
        dialog.paired.connect(self._joined)
        dialog.finished.connect(dialog.deleteLater)
        centre_on_parent(dialog)
        dialog.open()
        return dialog

    def _joined(self, _result: object) -> None:
        self.store_created.emit()
        super().accept()

    def values(self) -> dict[str, str]:
        return {
            "name": self.store_page.name.text(), "timezone": self.store_page.timezone.currentText().strip(),
            "currency": self.store_page.currency.currentText(), "owner_name": self.owner_page.name.text(),
            "owner_pin": self.owner_page.pin.text(), "template": self.program_page.template(),
        }

    def accept(self) -> None:
        if self.creating:
            return
        self.creating = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.program_page.message.setProperty("kind", "info")
        repolish(self.program_page.message)
        self.program_page.message.setText(self.tr("Creating the store…"))
        values, services = self.values(), self.services
        self.runner.run(lambda: services.init_store(**values), on_success=self._created,
                        on_failure=self._refused, owner=self)

    def _created(self, _store_id: str) -> None:
        self.creating = False
        self.store_created.emit()
        super().accept()

    def _refused(self, error: LoyaltyError) -> None:
        self.creating = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.program_page.message.setProperty("kind", "error")
        repolish(self.program_page.message)
        self.program_page.message.setText(describe(error))
