"""Points as money at the counter: the discount a card's points give on a bill, and paying with them.

The payment is a ``redeem`` entry without a reward: ``points`` is minus the points given,
``amount`` the discount in minor units, ``reason`` ``points_as_money``.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.money import check_amount, format_money
from terminal.domain.points_money import Discount, discount_for
from terminal.domain.programs import Program
from terminal.domain.staff import Permission
from terminal.services import offline_risk
from terminal.services.auth import Grant
from terminal.services.counter import ActionResult, CounterService
from terminal.store import ledger

REASON = "points_as_money"


@dataclass(frozen=True)
class PointsOffer:
    """What the window shows before the cashier confirms."""

    discount: Discount
    balance: int
    bill_minor: int


def _rule(program: Program):  # noqa: ANN202 - PointsMoney, narrowed
    if program.points_money is None or not program.kind.has_points:
        raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND,
                           f"{program.name} does not take points as money. An owner can turn it on "
                           "in the program settings.")
    return program.points_money


class PointsPaymentService:
    def __init__(self, counter: CounterService) -> None:
        self.counter = counter
        self.ctx = counter.ctx

    def offer(self, code_text: str, bill_minor: int) -> PointsOffer:
        check_amount(bill_minor, self.ctx.store.currency, self.ctx.settings.max_amount_minor)
        view = self.counter.card(code_text)
        discount = discount_for(_rule(view.program), bill_minor, view.balance.points)
        return PointsOffer(discount, view.balance.points, bill_minor)

    def pay(self, grant: Grant, code_text: str, bill_minor: int, expected_points: int | None = None) -> ActionResult:
        """Redeem the points for the bill's discount in one transaction.

        ``expected_points``: what the window showed; if the balance changed meanwhile (another till),
        the payment is refused rather than giving a different discount than the one announced.
        """
        code = normalize_code(code_text)
        currency = self.ctx.store.currency
        check_amount(bill_minor, currency, self.ctx.settings.max_amount_minor)
        with self.counter.refusals_audited(grant, "points_as_money", code), self.ctx.db.write() as session:
            staff = self.counter.auth.require(session, grant, Permission.REDEEM)
            card, program, _ = self.counter._usable_card(session, code)  # the counter's own checks
            now = self.counter.auth.checked_now(session)
            bal = ledger.balance(session, code)
            discount = discount_for(_rule(program), bill_minor, bal.points)
            if discount.points <= 0 or discount.discount_minor <= 0:
                raise LoyaltyError(ErrorCode.INSUFFICIENT_BALANCE,
                                   f"The card's {bal.points} points are not enough for a discount on "
                                   f"{format_money(bill_minor, currency)}.",
                                   unit="points", need=program.points_money.points if program.points_money else 0,
                                   have=bal.points)
            if expected_points is not None and discount.points != expected_points:
                raise LoyaltyError(ErrorCode.INVALID_INPUT,
                                   "The card's balance changed since the discount was shown. Show it again.")
            offline_risk.check_redeem(session, self.ctx, code)
            entry = ledger.append(session, terminal_id=self.ctx.store.terminal_id, card=code,
                                  kind=EntryKind.REDEEM, at=now, points=-discount.points,
                                  amount=discount.discount_minor, staff_id=staff.staff_id, reason=REASON)
            return ActionResult(entry, self.counter._view(session, card, program))
