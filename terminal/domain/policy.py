"""Anti-fraud rules as pure functions of times and counts.

What moving a till's clock can and cannot do (issue 12, item 5):

* Back: every action (stamp, earn, redeem, adjust, void, PIN check) is refused with CLOCK_BEHIND once the
  clock is more than ``clock_tolerance_minutes`` earlier than this till's latest ledger entry or audit
  event. Within the tolerance, entries are dated at the latest known time (``effective_now``), so the
  chain never goes back and the tolerance cannot be spent twice; cooldown, daily limit and lockout are
  measured from that time, never an earlier one.
* Forward, while the till is online: the hub's ``Date`` header gives the difference; beyond 2 minutes
  the status bar warns, beyond ``hub_clock_refuse_minutes`` stamps are refused (CLOCK_SKEW). Earn,
  redeem and the rest stay possible (they are bounded by amounts and balances, not by time).
* Forward, with the process running: a lockout this process began also has to end by the monotonic
  clock, which the wall clock does not move; a restart drops that and leaves the wall clock alone.
* Forward, offline (or hub not yet answered since start): not detectable at the till. A clock moved
  forward can then shorten a cooldown or start a new day; the entries it writes carry the future time,
  so the till cannot go back to the true time without CLOCK_BEHIND (it must stay in the future), and the
  hub's check of future times (not the till's part) refuses or flags them when they are pushed.
* The cost: a till that wrote entries far in the future and then has its clock corrected refuses every
  action (CLOCK_BEHIND, naming the latest entry's time) until the real time passes that entry; there
  is no owner override yet. Entries pulled from other tills never cause CLOCK_BEHIND (only this till's
  own are compared); a card's future-dated stamp from another till holds that card's cooldown.
"""

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


def effective_now(now: datetime, *seen: datetime | None) -> datetime:
    """The latest known time: the clock, or a later time already written or seen, never an earlier one.

    Rules that wait for time to pass (cooldown, daily limit, lockout) measure from this, so moving the
    clock back cannot shorten them; a clock moved forward is caught by ``check_clock_skew`` while online.
    """
    return max([now, *(t for t in seen if t is not None)])


def check_clock_behind(now: datetime, latest: datetime | None, tolerance: timedelta) -> None:
    """Refuse when the clock is earlier than this till's latest entry by more than ``tolerance``."""
    if latest is not None and latest - now > tolerance:
        behind = int((latest - now).total_seconds() // 60)
        raise LoyaltyError(
            ErrorCode.CLOCK_BEHIND,
            f"This computer's clock is behind its last entry ({_minutes(behind)} earlier). "
            "Check the computer's clock.",
            latest=latest, minutes_behind=behind,
        )


def check_clock_skew(skew: timedelta | None, limit: timedelta) -> None:
    """Refuse when the till's clock differs from the hub's by more than ``limit`` (``skew`` is till
    minus hub; None when the hub's time is not known)."""
    if skew is not None and abs(skew) > limit:
        minutes = int(abs(skew).total_seconds() // 60)
        side = "ahead of" if skew > timedelta(0) else "behind"
        raise LoyaltyError(
            ErrorCode.CLOCK_SKEW,
            f"This computer's clock is {_minutes(minutes)} {side} the hub's. Check the computer's clock.",
            skew_seconds=int(skew.total_seconds()), minutes=minutes,
        )


MAX_LOCKOUT = timedelta(days=1)


@dataclass(frozen=True)
class LockoutPolicy:
    """Wrong PINs keep counting across lockouts: every ``max_failed_attempts`` failures lock for a
    period that doubles each time (capped at a day, or the base period if longer); at ``disable_after``
    failures the PIN is disabled until an owner resets it. Only a right PIN or an owner resets the count.
    """

    max_failed_attempts: int
    lockout: timedelta
    disable_after: int = 100

    def lock_period(self, lockouts: int) -> timedelta:
        """Length of the ``lockouts``-th lockout (1 is the first)."""
        cap = max(self.lockout, MAX_LOCKOUT)
        period = self.lockout
        for _ in range(lockouts - 1):
            if period >= cap:  # doubling step by step never overflows a timedelta
                break
            period *= 2
        return min(period, cap)

    def is_disabled(self, failed_attempts: int) -> bool:
        return failed_attempts >= self.disable_after

    def attempts_left(self, failed_attempts: int) -> int:
        """Wrong PINs left before the next lockout (or the disabling)."""
        to_lock = self.max_failed_attempts - failed_attempts % self.max_failed_attempts
        return max(0, min(to_lock, self.disable_after - failed_attempts))

    def after_failure(self, failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
        """New failure count and lock end (None while under the limit, and once disabled)."""
        failed = failed_attempts + 1
        if self.is_disabled(failed):
            return failed, None
        if failed % self.max_failed_attempts == 0:
            return failed, now + self.lock_period(failed // self.max_failed_attempts)
        return failed, None
