"""Points as money: a program may let points pay part of a bill.

``points`` points are worth ``value_minor`` minor units, and they may pay at most
``max_percent`` % of a bill. Everything is integer arithmetic in minor units. Rounding is
in the customer's disfavour, never by a whole point: the discount is rounded down to a
minor unit, and the points charged are the fewest that are worth at least the discount,
so the customer gives up less than one point's worth.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.errors import ErrorCode, LoyaltyError


@dataclass(frozen=True)
class PointsMoney:
    points: int        # this many points ...
    value_minor: int   # ... are worth this many minor units
    max_percent: int   # of a bill, at most

    def check(self) -> PointsMoney:
        if self.points < 1 or self.value_minor < 1:
            raise LoyaltyError(ErrorCode.INVALID_INPUT,
                               "Points as money needs a number of points and what they are worth, both above 0.")
        if not 1 <= self.max_percent <= 100:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, "Points may pay between 1 and 100 % of a bill.")
        return self


@dataclass(frozen=True)
class Discount:
    discount_minor: int  # what the cashier takes off the bill
    points: int          # what the card gives for it
    cap_minor: int       # the most points may pay of this bill


def discount_for(rule: PointsMoney, bill_minor: int, balance_points: int) -> Discount:
    """The discount a card's points give on a bill, and the points it costs."""
    if bill_minor <= 0:
        raise LoyaltyError(ErrorCode.INVALID_AMOUNT, "Type the bill amount, more than zero.")
    cap = bill_minor * rule.max_percent // 100
    affordable = max(balance_points, 0) * rule.value_minor // rule.points
    discount = min(cap, affordable)
    points = -(-discount * rule.points // rule.value_minor)  # ceiling: at least the discount's worth
    return Discount(discount, points, cap)
