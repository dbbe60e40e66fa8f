"""Anti-fraud rules as pure functions of times and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from terminal.domain.errors import ErrorCode, LoyaltyError


@dataclass(frozen=True)
class StampLimits:
    cooldown: timedelta
    daily_limit: int
    tz: ZoneInfo


def local_day_bounds(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Start and end (UTC-aware) of the store-local day that contains ``now``."""
    local = now.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=1, hours=2)).replace(hour=0)  # DST-safe next midnight
    return start, end


def check_stamp_allowed(
    limits: StampLimits, now: datetime, last_stamp: datetime | None, stamps_today: int,
) -> None:
    """Refuse a stamp inside the cooldown or over the daily limit, saying when it is possible."""
    if last_stamp is not None and now - last_stamp < limits.cooldown:
        allowed = last_stamp + limits.cooldown
        ago = max(0, int((now - last_stamp).total_seconds() // 60))
        local = allowed.astimezone(limits.tz)
        raise LoyaltyError(
            ErrorCode.COOLDOWN_ACTIVE,
            f"Stamped {_minutes(ago)} ago — next stamp from {local:%H:%M}.",
            allowed_at=allowed, minutes_ago=ago,
        )
    if stamps_today >= limits.daily_limit:
        _, resets = local_day_bounds(now, limits.tz)
        raise LoyaltyError(
            ErrorCode.DAILY_LIMIT_REACHED,
            f"This card has had {stamps_today} stamps today, the daily limit. "
            f"Stamps are possible again from {resets:%H:%M} ({resets:%a %d %b}).",
            allowed_at=resets, stamps_today=stamps_today,
        )


def _minutes(n: int) -> str:
    if n < 1:
        return "less than a minute"
    return "1 minute" if n == 1 else f"{n} minutes"


@dataclass(frozen=True)
class LockoutPolicy:
    max_failed_attempts: int
    lockout: timedelta

    def after_failure(self, failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
        """New failure count and lock end (None while under the limit)."""
        failed = failed_attempts + 1
        if failed >= self.max_failed_attempts:
            return failed, now + self.lockout
        return failed, None
