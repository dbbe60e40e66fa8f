"""Report periods and the ratios of their figures, one rule for the till's report and the hub's.

Days are store-local calendar days, both ends included; a week runs Monday to Sunday.
"""

from __future__ import annotations

from datetime import date, timedelta

MAX_DAYS = 366
CALENDAR_PERIODS = ("day", "week", "month")


def calendar_period(kind: str, day: date) -> tuple[date, date]:
    """First and last day of the day, week or month (``kind``) holding ``day``."""
    if kind == "day":
        return day, day
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day.replace(day=1), following - timedelta(days=1)
    raise ValueError(f"not a calendar period: {kind!r}")


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same length just before (for a calendar month, the month before)."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        before = first - timedelta(days=1)
        return before.replace(day=1), before
    length = (last - first).days + 1
    return first - timedelta(days=length), first - timedelta(days=1)


class PeriodRatios:
    """The ratios a period report shows, for a figures class with these counts."""

    points_earned: int
    points_spent: int
    points_expired: int
    redeeming_cards: int
    active_members: int

    @property
    def earn_burn_ratio(self) -> float | None:
        return self.points_earned / self.points_spent if self.points_spent else None

    @property
    def breakage(self) -> float | None:
        return self.points_expired / self.points_earned if self.points_earned else None

    @property
    def redemption_rate(self) -> float | None:
        return self.redeeming_cards / self.active_members if self.active_members else None
