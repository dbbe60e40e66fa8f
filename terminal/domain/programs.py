"""Loyalty programs, rewards, tiers and the earning rule — pure values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.money import format_money

if TYPE_CHECKING:
    from terminal.domain.campaigns import Campaign
    from terminal.domain.points_money import PointsMoney


class ProgramKind(enum.StrEnum):
    STAMPS = "stamps"
    POINTS = "points"
    HYBRID = "hybrid"

    @property
    def has_stamps(self) -> bool:
        return self is not ProgramKind.POINTS

    @property
    def has_points(self) -> bool:
        return self is not ProgramKind.STAMPS


class CardStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Tier:
    name: str
    min_lifetime_points: int
    multiplier_percent: int = 100  # 150 = earn 1.5x; integers keep rounding exact


@dataclass(frozen=True)
class EarningRule:
    """``points_per_unit`` points for every ``per_minor`` minor units spent.

    ``per_minor`` None means one whole currency unit (100 cents, 1 rupiah), the rule
    before rates could be stated per any amount: "1 point per Rp 1,000" is
    ``EarningRule(1, per_minor=1000)`` in IDR, "10 points per 1 EUR" ``EarningRule(10)``.
    """

    points_per_unit: int          # points for every ``per_minor`` minor units
    min_amount_minor: int = 0     # purchases below this earn nothing
    max_points_per_event: int | None = None
    per_minor: int | None = None  # None: one whole currency unit

    def spend_step(self, minor_digits: int) -> int:
        """The amount (minor units) that earns ``points_per_unit`` points."""
        if self.per_minor is not None:
            return self.per_minor
        whole: int = 10**minor_digits  # int ** int is typed Any (a negative exponent gives a float)
        return whole


@dataclass(frozen=True)
class Reward:
    reward_id: str
    name: str
    cost_stamps: int = 0
    cost_points: int = 0
    stock: int | None = None          # None: unlimited
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    active: bool = True

    def unavailability(self, now: datetime) -> str | None:
        """Why the reward cannot be had at ``now``: inactive, not_yet or expired; None when it can."""
        if not self.active:
            return "inactive"
        if self.valid_from and now < self.valid_from:
            return "not_yet"
        if self.valid_until and now >= self.valid_until:
            return "expired"
        return None

    def unavailable_reason(self, now: datetime) -> str | None:
        why = self.unavailability(now)
        if why == "inactive":
            return f"{self.name} is no longer offered."
        if why == "not_yet":
            return f"{self.name} is available from {self.valid_from:%Y-%m-%d}."
        if why == "expired":
            return f"{self.name} was available until {self.valid_until:%Y-%m-%d}."
        return None


@dataclass(frozen=True)
class Program:
    program_id: str
    name: str
    kind: ProgramKind
    stamps_target: int = 10
    earning: EarningRule = EarningRule(points_per_unit=10)
    tiers: tuple[Tier, ...] = field(default_factory=tuple)
    points_expiry_days: int | None = None
    cooldown_minutes: int | None = None   # None: the store-wide setting applies
    daily_stamp_limit: int | None = None  # None: the store-wide setting applies
    active: bool = True                   # False: retired, its cards keep their history but take nothing new
    points_money: PointsMoney | None = None  # points can pay part of a bill
    campaigns: tuple[Campaign, ...] = ()


def tier_for(tiers: tuple[Tier, ...], lifetime_points: int) -> Tier | None:
    reached = [t for t in tiers if lifetime_points >= t.min_lifetime_points]
    return max(reached, key=lambda t: t.min_lifetime_points, default=None)


def points_for_purchase(
    rule: EarningRule, amount_minor: int, minor_digits: int, currency: str,
    multiplier_percent: int = 100,
) -> int:
    """Points a purchase earns: floor(amount x rate x tier), capped per event.

    Rounded down once, on the whole product: 1,999 IDR at 1 point per 1,000 earns 1 point.
    """
    check_minimum(rule, amount_minor, currency)
    return scaled_points(rule, amount_minor, minor_digits, multiplier_percent)


def check_minimum(rule: EarningRule, amount_minor: int, currency: str) -> None:
    if amount_minor < rule.min_amount_minor:
        raise LoyaltyError(
            ErrorCode.AMOUNT_BELOW_MINIMUM,
            f"Purchases under {format_money(rule.min_amount_minor, currency)} earn no points.",
            minimum=rule.min_amount_minor,
        )


def scaled_points(rule: EarningRule, amount_minor: int, minor_digits: int, *percents: int) -> int:
    """floor(amount / step x points x each percent / 100), capped per event: integer arithmetic only."""
    numerator = amount_minor * rule.points_per_unit
    divisor = rule.spend_step(minor_digits)
    for percent in percents:
        numerator *= percent
        divisor *= 100
    points = numerator // divisor
    if rule.max_points_per_event is not None:
        points = min(points, rule.max_points_per_event)
    return points


TIMES = "\u00d7"  # the multiplication sign owners read in "x1.25" (written with it, not the letter)


def format_multiplier(percent: int) -> str:
    """125 -> TIMES + "1.25", 100 -> TIMES + "1", 150 -> TIMES + "1.5": how owners read a multiplier."""
    whole, rest = divmod(percent, 100)
    return f"{TIMES}{whole}" if not rest else f"{TIMES}{whole}.{rest:02d}".rstrip("0")


def parse_multiplier(text: str) -> int:
    """"1.25" with or without the sign (or the letter x), "1,25" too -> 125 (percent); refuses the rest."""
    cleaned = (text or "").strip().lower().lstrip(TIMES + "x*").strip().replace(",", ".")
    whole, _, fraction = cleaned.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) > 2:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"{text.strip()!r} is not a multiplier. Type it like {TIMES}1.25 (at most two decimals).")
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)


def format_rate(rule: EarningRule, currency: str, minor_digits: int) -> str:
    """"10 points per 1.00 EUR", "1 point per 1,000 IDR": the rate said with its amount."""
    unit = "point" if rule.points_per_unit == 1 else "points"
    return f"{rule.points_per_unit} {unit} per {format_money(rule.spend_step(minor_digits), currency)}"


def points_to_expire(earned_before_cutoff: int, consumed_total: int, balance: int) -> int:
    """Points that expire now, spending oldest points first.

    ``earned_before_cutoff`` is all points ever earned before the expiry
    cut-off; ``consumed_total`` is everything spent, removed or already
    expired. What of the old points was not consumed expires, never more than
    the balance.
    """
    return max(0, min(earned_before_cutoff - consumed_total, balance))
