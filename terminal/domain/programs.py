"""Loyalty programs, rewards, tiers and the earning rule — pure values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.money import format_money


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
    points_per_unit: int          # points per whole currency unit (e.g. per euro)
    min_amount_minor: int = 0     # purchases below this earn nothing
    max_points_per_event: int | None = None


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


def tier_for(tiers: tuple[Tier, ...], lifetime_points: int) -> Tier | None:
    reached = [t for t in tiers if lifetime_points >= t.min_lifetime_points]
    return max(reached, key=lambda t: t.min_lifetime_points, default=None)


def points_for_purchase(
    rule: EarningRule, amount_minor: int, minor_digits: int, currency: str,
    multiplier_percent: int = 100,
) -> int:
    """Points a purchase earns: floor(amount x rate x tier), capped per event."""
    if amount_minor < rule.min_amount_minor:
        raise LoyaltyError(
            ErrorCode.AMOUNT_BELOW_MINIMUM,
            f"Purchases under {format_money(rule.min_amount_minor, currency)} earn no points.",
            minimum=rule.min_amount_minor,
        )
    divisor: int = 10**minor_digits * 100  # int ** int is typed Any (a negative exponent gives a float)
    points = amount_minor * rule.points_per_unit * multiplier_percent // divisor
    if rule.max_points_per_event is not None:
        points = min(points, rule.max_points_per_event)
    return points


def points_to_expire(earned_before_cutoff: int, consumed_total: int, balance: int) -> int:
    """Points that expire now, spending oldest points first.

    ``earned_before_cutoff`` is all points ever earned before the expiry
    cut-off; ``consumed_total`` is everything spent, removed or already
    expired. What of the old points was not consumed expires, never more than
    the balance.
    """
    return max(0, min(earned_before_cutoff - consumed_total, balance))
