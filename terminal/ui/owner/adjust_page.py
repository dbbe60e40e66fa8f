"""Adjust a card's points or stamps by hand, with a reason that goes into the ledger.

The counter's card is filled in; before anything is written the owner sees what the change makes of the
card ("Ana Lima: 6 → 8 stamps") and confirms; afterwards the card's new balance is said next to the button.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.domain.codes import format_code
from terminal.services.counter import CardView
from terminal.ui.owner.confirm import ConfirmBox, balance_change, balance_now, goes_below_zero
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, parse_signed_whole

MIN_REASON_LENGTH = 3  # the ledger service asks for the same


class AdjustPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.confirmation: ConfirmBox | None = None
        self._filled_in = ""  # the counter's card as last filled in, replaced when the counter has another
        self.card_field = QLineEdit(placeholderText=self.tr("Card code, e.g. 7K3QP-9ZX2M"))
        self.unit = QComboBox()
        self.unit.addItem(self.tr("Points"), "points")
        self.unit.addItem(self.tr("Stamps"), "stamps")
        self.amount_field = QLineEdit(placeholderText=self.tr("+25 or -10"))
        self.reason_field = QLineEdit(placeholderText=self.tr("Why (required), e.g. missed stamp on Monday"))
        self.apply_button = QPushButton(self.tr("Adjust…"))
        self.apply_button.clicked.connect(self.apply)
        self.feedback = FeedbackLabel()
        form = QFormLayout()
        form.addRow(self.tr("Card"), self.card_field)
        form.addRow(self.tr("Change"), self.unit)
        form.addRow(self.tr("Amount (+ adds, - removes)"), self.amount_field)
        form.addRow(self.tr("Reason"), self.reason_field)
        action = QHBoxLayout()  # the answer sits beside the button that asked
        action.addWidget(self.apply_button)
        action.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(action)
        layout.addStretch(1)

    def refresh(self) -> None:
        code = self.ctx.counter_card()
        current = self.card_field.text().strip()
        if code and (not current or current == self._filled_in):
            self._filled_in = format_code(code)
            self.card_field.setText(self._filled_in)

    def apply(self) -> None:
        code, reason = self.card_field.text().strip(), self.reason_field.text().strip()
        amount = parse_signed_whole(self.amount_field.text())
        if not code:
            self.feedback.show_error(self.tr("Type or scan the card code."))
        elif amount is None or amount == 0:
            self.feedback.show_error(self.tr(
                "The amount must be a whole number other than zero, like 25 or -10."))
        elif len(reason) < MIN_REASON_LENGTH:
            self.feedback.show_error(self.tr("Say why you adjust this card; the reason goes in the ledger."))
        else:
            points, stamps = (amount, 0) if self.unit.currentData() == "points" else (0, amount)
            self.feedback.clear_message()
            self.ctx.run(lambda: self.ctx.services.counter.card(code),
                         lambda view: self._confirm(view, points, stamps, reason), self.feedback.show_error, self)

    def _confirm(self, view: CardView, points: int, stamps: int, reason: str) -> None:
        if goes_below_zero(view, stamps, points):  # refused here, before a question and a PIN asked in vain
            self.feedback.show_error(self.tr("%1: a balance cannot go below zero. Nothing was changed.")
                                     .replace("%1", balance_change(view, stamps, points)))
            return
        text = self.tr("Adjust this card?\n\n%1\n\nReason: %2").replace(
            "%1", balance_change(view, stamps, points)).replace("%2", reason)
        self.confirmation = ConfirmBox(self, self.tr("Adjust a card"), text, self.tr("Adjust"),
                                       lambda: self._write(view.code, points, stamps, reason))
        self.confirmation.finished.connect(self._confirmation_closed)
        self.confirmation.open()

    def _confirmation_closed(self) -> None:
        self.confirmation = None

    def _write(self, code: str, points: int, stamps: int, reason: str) -> None:
        services = self.ctx.services

        def adjust_and_read(grant) -> CardView:  # noqa: ANN001
            services.owner.adjust(grant, code, points, reason, stamps=stamps)
            return services.counter.card(code)

        self.ctx.run_granted(adjust_and_read, self._done, self.feedback.show_error, self)

    def _done(self, view: CardView) -> None:
        self.feedback.show_ok(self.tr("Adjusted. %1").replace("%1", balance_now(view)))
        self.amount_field.clear()
        self.reason_field.clear()
