"""Points as money: the cashier types the bill, the dialog shows the discount to give and the points it costs.

The same keypad and layout as earning points; the PIN and the payment follow in the counter flow.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from terminal.domain.errors import LoyaltyError
from terminal.domain.money import parse_amount
from terminal.services.points_payment import PointsOffer
from terminal.ui.context import UiContext, number
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.refusals import describe
from terminal.ui.theme import repolish


class PointsPaymentDialog(EarnDialog):
    """``bill_chosen(bill_minor, points, discount_minor)`` when the cashier confirms the discount shown."""

    bill_chosen = Signal(int, int, int)

    def __init__(self, ui: UiContext, code: str, parent: QWidget | None = None, subject: str = "") -> None:
        self.offer: PointsOffer | None = None
        super().__init__(ui, code, parent, subject)
        self.setObjectName("PointsPaymentDialog")

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Pay with points"))
        self.title.setText(self.tr("Bill amount (%1)").replace("%1", self.ui.store.currency))

    def _amount_changed(self, text: str) -> None:
        self._asked += 1
        self.offer = None
        self.amount_minor = None
        self.ok.setEnabled(False)
        if not text.strip():
            self._show_preview()
            return
        store = self.ui.store
        try:
            bill = parse_amount(text, store.currency, self.ui.services.ctx.settings.max_amount_minor)
        except LoyaltyError as exc:
            self._show_preview(describe(exc, store.tz))
            return
        self.amount_minor = bill
        asked = self._asked
        payments = self.ui.services.points_payment
        self._show_preview(self.tr("Working out the discount…"))
        def failed(exc: LoyaltyError) -> None:
            if asked == self._asked:
                self._show_preview(describe(exc, store.tz))

        self.ui.runner.run(lambda: payments.offer(self.code, bill),
                           on_success=lambda offer: self._offered(asked, offer), on_failure=failed, owner=self)

    def _offered(self, asked: int, offer: PointsOffer) -> None:
        if asked != self._asked:
            return
        self.offer = offer
        self.ok.setEnabled(offer.discount.points > 0 and offer.discount.discount_minor > 0)
        self._show_preview()

    def _show_preview(self, problem: str | None = None) -> None:
        offer = getattr(self, "offer", None)  # None while the base class builds the dialog
        if problem is not None:
            text, error = problem, True
        elif offer is None or self.amount_minor is None:
            text, error = self.tr("Type the amount of the bill."), False
        elif offer.discount.points <= 0 or offer.discount.discount_minor <= 0:
            text, error = self.tr("The card's %1 points are not enough for a discount.").replace(
                "%1", number(offer.balance)), True
        else:
            text = self.tr("Take %1 off the bill for %2 points (at most %3 of this bill; the card has %4).") \
                .replace("%1", self.ui.money(offer.discount.discount_minor)) \
                .replace("%2", number(offer.discount.points)) \
                .replace("%3", self.ui.money(offer.discount.cap_minor)).replace("%4", number(offer.balance))
            error = False
        self.preview.setText(text)
        self.preview.setProperty("kind", "error" if error else "info")
        repolish(self.preview)

    def confirm(self) -> None:
        if self.ok.isEnabled() and self.amount_minor is not None and self.offer is not None:
            self.bill_chosen.emit(self.amount_minor, self.offer.discount.points, self.offer.discount.discount_minor)
            self.accept()
