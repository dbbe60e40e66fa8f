"""Adjust a card's points or stamps by hand, with a reason that goes into the ledger."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.domain.codes import format_code
from terminal.domain.ledger import Entry
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, parse_signed_whole

MIN_REASON_LENGTH = 3  # the ledger service asks for the same


class AdjustPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.card_field = QLineEdit(placeholderText=self.tr("Card code, e.g. 7K3QP-9ZX2M"))
        self.unit = QComboBox()
        self.unit.addItem(self.tr("Points"), "points")
        self.unit.addItem(self.tr("Stamps"), "stamps")
        self.amount_field = QLineEdit(placeholderText=self.tr("+25 or -10"))
        self.reason_field = QLineEdit(placeholderText=self.tr("Why (required), e.g. missed stamp on Monday"))
        self.apply_button = QPushButton(self.tr("Adjust"))
        self.apply_button.clicked.connect(self.apply)
        self.feedback = FeedbackLabel()
        form = QFormLayout()
        form.addRow(self.tr("Card"), self.card_field)
        form.addRow(self.tr("Change"), self.unit)
        form.addRow(self.tr("Amount (+ adds, - removes)"), self.amount_field)
        form.addRow(self.tr("Reason"), self.reason_field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.feedback)
        layout.addStretch(1)

    def refresh(self) -> None:
        pass  # nothing to load: the page is a form

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
            self.ctx.run_granted(lambda g: self.ctx.services.owner.adjust(g, code, points, reason, stamps=stamps),
                                 self._done, self.feedback.show_error, self)

    def _done(self, entry: Entry) -> None:
        change = entry.points if entry.points else entry.stamps
        what = self.tr("points") if entry.points else self.tr("stamps")
        self.feedback.show_ok(self.tr("Card %1: %2 %3 recorded.")
                              .replace("%1", format_code(entry.card)).replace("%2", f"{change:+d}")
                              .replace("%3", what))
        self.amount_field.clear()
        self.reason_field.clear()
