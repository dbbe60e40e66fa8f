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


@dataclass(frozen=True)
class StampBlock:
    """Why a stamp is not possible now, and from when it is: ``reason`` is "cooldown" or "daily_limit"."""

    reason: str
    allowed_at: datetime
    last_stamp: datetime | None
    stamps_today: int


def stamp_block(limits: StampLimits, now: datetime, last_stamp: datetime | None,
                stamps_today: int) -> StampBlock | None:
    """What stops a stamp now (the cooldown first, then the daily limit), or None when it is allowed."""
    if last_stamp is not None and now - last_stamp < limits.cooldown:
        return StampBlock("cooldown", last_stamp + limits.cooldown, last_stamp, stamps_today)
    if stamps_today >= limits.daily_limit:
        _, resets = local_day_bounds(now, limits.tz)
        return StampBlock("daily_limit", resets, last_stamp, stamps_today)
    return None


def check_stamp_allowed(
    limits: StampLimits, now: datetime, last_stamp: datetime | None, stamps_today: int,
) -> None:
    """Refuse a stamp inside the cooldown or over the daily limit, saying when it is possible."""
    block = stamp_block(limits, now, last_stamp, stamps_today)
    if block is None:
        return
    if block.reason == "cooldown" and last_stamp is not None:
        ago = max(0, int((now - last_stamp).total_seconds() // 60))
        local = block.allowed_at.astimezone(limits.tz)
        raise LoyaltyError(
            ErrorCode.COOLDOWN_ACTIVE,
            f"Stamped {_minutes(ago)} ago — next stamp from {local:%H:%M}.",
            allowed_at=block.allowed_at, minutes_ago=ago,
        )
    resets = block.allowed_at.astimezone(limits.tz)
    raise LoyaltyError(
        ErrorCode.DAILY_LIMIT_REACHED,
        f"This card has had {stamps_today} stamps today, the daily limit. "
        f"Stamps are possible again from {resets:%H:%M} ({resets:%a %d %b}).",
        allowed_at=block.allowed_at, stamps_today=stamps_today,
    )


def check_cashier_undo(entry_staff_id: str | None, entry_at: datetime, staff_id: str, now: datetime,
                       window: timedelta) -> None:
    """A cashier may undo only their own action, and only within ``window`` of it; else an owner must."""
    if entry_staff_id != staff_id:
        raise LoyaltyError(ErrorCode.NOT_PERMITTED,
                           "Only the cashier who made this entry can undo it; otherwise an owner confirms.",
                           undo="not_own")
    if now - entry_at > window or now < entry_at:
        raise LoyaltyError(ErrorCode.NOT_PERMITTED,
                           f"A cashier can undo their own action for {_minutes(int(window.total_seconds() // 60))} "
                           "after it; now an owner confirms.",
                           undo="too_late", window_seconds=int(window.total_seconds()))


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
