"""Campaigns: bonus events of a program, and the bonuses an action earns from them.

A campaign runs from its first to its last day (inclusive), optionally only on some
weekdays and between two times of day. Days, weekdays and hours are the store's wall
clock: an instant is converted to the store's time zone (zoneinfo, so daylight saving
changes are followed) and the local date and time are compared. A window from 09:00 to
17:00 includes 09:00 and ends before 17:00; on the night clocks go back, the repeated hour
counts both times, and a time skipped when clocks go forward never happens.

How bonuses combine (shown to the owner in the campaign editor):

- A points multiplier applies to the purchase's base points, then the tier multiplier
  applies on top: total = floor(amount x rate x campaign x tier), rounded down once. The
  earn entry keeps base x tier; the campaign's entry holds the difference. When several
  multiplier campaigns run at once only the highest applies (they do not stack). The
  program's per-purchase cap applies to the total.
- Fixed bonus points, spend bonuses, first-visit and birthday bonuses are added as they
  are, never multiplied by a tier or another campaign.
- An extra-stamp campaign adds its stamps to every stamp given while it runs.
- A first-visit bonus comes with a card's first stamp or purchase; a birthday bonus with
  the first stamp or purchase on the holder's birthday (29 February counts on 28 February
  in other years), once a year. Both need the card's history, which the caller passes in.

Each bonus is a ledger entry of its own, of kind ``bonus`` with the reason
``campaign:<campaign_id>``, so reports can tell campaign points apart. Campaign points do
not count toward tiers: tiers measure what customers earn by buying.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.programs import TIMES, EarningRule, format_multiplier, scaled_points

REASON_PREFIX = "campaign:"
MAX_CAMPAIGNS_PER_PROGRAM = 50
_MAX_BONUS = 1_000_000


class CampaignKind(enum.StrEnum):
    MULTIPLIER = "multiplier"      # points x multiplier_percent / 100
    FIXED_BONUS = "fixed_bonus"    # + points on every purchase
    SPEND_BONUS = "spend_bonus"    # + points on a purchase of at least min_spend_minor
    EXTRA_STAMP = "extra_stamp"    # + stamps on every stamp
    FIRST_VISIT = "first_visit"    # + points and/or stamps with a card's first action
    BIRTHDAY = "birthday"          # + points and/or stamps on the holder's birthday

    @property
    def on_purchase(self) -> bool:
        return self in (CampaignKind.MULTIPLIER, CampaignKind.FIXED_BONUS, CampaignKind.SPEND_BONUS)

    @property
    def once(self) -> bool:
        """Given at most once (ever for a first visit, once a year for a birthday)."""
        return self in (CampaignKind.FIRST_VISIT, CampaignKind.BIRTHDAY)


def campaign_reason(campaign_id: str) -> str:
    """The ledger reason of a campaign's bonus entries (reports read it back)."""
    return f"{REASON_PREFIX}{campaign_id}"


def campaign_of_reason(reason: str | None) -> str | None:
    if reason and reason.startswith(REASON_PREFIX):
        return reason[len(REASON_PREFIX):]
    return None


def readable_reason(reason: str | None, names: Mapping[str, str]) -> str | None:
    """A bonus entry's reason as its campaign's name (the id when the campaign is gone); others as they are."""
    campaign_id = campaign_of_reason(reason)
    return reason if campaign_id is None else names.get(campaign_id, campaign_id)


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    kind: CampaignKind
    first_day: date
    last_day: date
    weekdays: tuple[int, ...] = ()          # 0 Monday .. 6 Sunday; empty: every day
    starts_at: time | None = None           # local time of day; None: all day
    ends_at: time | None = None
    multiplier_percent: int = 100           # MULTIPLIER: 200 = double points
    points: int = 0                         # FIXED_BONUS, SPEND_BONUS, FIRST_VISIT, BIRTHDAY
    stamps: int = 0                         # EXTRA_STAMP, FIRST_VISIT, BIRTHDAY
    min_spend_minor: int = 0                # SPEND_BONUS
    ended: datetime | None = None           # ended early by the owner (UTC)

    # -- checks --------------------------------------------------------------------
    def check(self) -> Campaign:
        """The campaign itself, or a LoyaltyError saying what to change."""
        if not self.name.strip():
            raise _invalid("A campaign needs a name.")
        self._check_when()
        self._check_amounts()
        return self

    def _check_when(self) -> None:
        if self.last_day < self.first_day:
            raise _invalid("A campaign's last day cannot be before its first day.")
        if any(not 0 <= d <= 6 for d in self.weekdays) or len(set(self.weekdays)) != len(self.weekdays):
            raise _invalid("Weekdays are numbers 0 (Monday) to 6 (Sunday), each once.")
        if (self.starts_at is None) != (self.ends_at is None):
            raise _invalid("Give both the start and the end time, or neither (all day).")
        if self.starts_at is not None and self.ends_at is not None and self.ends_at <= self.starts_at:
            raise _invalid("The end time must be after the start time on the same day "
                           "(for a night, make two campaigns).")

    def _check_amounts(self) -> None:
        for value, label in ((self.points, "Bonus points"), (self.stamps, "Bonus stamps"),
                             (self.min_spend_minor, "The minimum spend")):
            if not 0 <= value <= _MAX_BONUS:
                raise _invalid(f"{label} must be between 0 and {_MAX_BONUS:,}.")
        kind = self.kind
        missing = {
            CampaignKind.MULTIPLIER: (not 101 <= self.multiplier_percent <= 1000,
                                      f"A points multiplier is between {TIMES}1.01 and {TIMES}10."),
            CampaignKind.FIXED_BONUS: (self.points < 1, "Give the bonus points, at least 1."),
            CampaignKind.SPEND_BONUS: (self.points < 1 or self.min_spend_minor < 1,
                                       "Give the bonus points and the amount a purchase must reach."),
            CampaignKind.EXTRA_STAMP: (self.stamps < 1, "Give the extra stamps, at least 1."),
        }.get(kind, (kind.once and self.points < 1 and self.stamps < 1, "Give the bonus points or stamps."))
        if missing[0]:
            raise _invalid(missing[1])

    # -- when ----------------------------------------------------------------------
    def runs_on(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day and (not self.weekdays or day.weekday() in self.weekdays)

    def is_active(self, now: datetime, tz: tzinfo) -> bool:
        if self.ended is not None and now >= self.ended:
            return False
        local = now.astimezone(tz)
        if not self.runs_on(local.date()):
            return False
        if self.starts_at is None or self.ends_at is None:
            return True
        wall = local.time().replace(tzinfo=None, fold=0)
        return self.starts_at <= wall < self.ends_at

    def active_until(self, now: datetime, tz: tzinfo) -> datetime | None:
        """When the window running at ``now`` closes (aware, in ``tz``); None when not running."""
        if not self.is_active(now, tz):
            return None
        day = now.astimezone(tz).date()
        if self.ends_at is not None:
            until = datetime.combine(day, self.ends_at, tzinfo=tz)
        else:
            end = day + timedelta(days=1)
            while end <= self.last_day and self.runs_on(end):
                end += timedelta(days=1)
            until = datetime.combine(end, time(0), tzinfo=tz)
        if self.ended is not None:
            until = min(until, self.ended.astimezone(tz))
        return until

    def is_over(self, now: datetime, tz: tzinfo) -> bool:
        """Whether it can never run again."""
        return (self.ended is not None and now >= self.ended) or now.astimezone(tz).date() > self.last_day

    # -- storage ---------------------------------------------------------------------
    def to_settings(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id, "name": self.name, "kind": self.kind.value,
            "first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat(),
            "weekdays": list(self.weekdays),
            "starts_at": self.starts_at.strftime("%H:%M") if self.starts_at else None,
            "ends_at": self.ends_at.strftime("%H:%M") if self.ends_at else None,
            "multiplier_percent": self.multiplier_percent, "points": self.points, "stamps": self.stamps,
            "min_spend_minor": self.min_spend_minor,
            "ended": self.ended.isoformat() if self.ended else None,
        }

    @staticmethod
    def from_settings(data: Mapping[str, Any]) -> Campaign:
        """A campaign as stored or received; a LoyaltyError when the record is not one."""
        try:
            ended = data.get("ended")
            return Campaign(
                campaign_id=str(data["campaign_id"]), name=str(data["name"]), kind=CampaignKind(data["kind"]),
                first_day=date.fromisoformat(data["first_day"]), last_day=date.fromisoformat(data["last_day"]),
                weekdays=tuple(int(d) for d in data.get("weekdays") or ()),
                starts_at=time.fromisoformat(data["starts_at"]) if data.get("starts_at") else None,
                ends_at=time.fromisoformat(data["ends_at"]) if data.get("ends_at") else None,
                multiplier_percent=int(data.get("multiplier_percent", 100)), points=int(data.get("points", 0)),
                stamps=int(data.get("stamps", 0)), min_spend_minor=int(data.get("min_spend_minor", 0)),
                ended=datetime.fromisoformat(ended) if ended else None,
            ).check()
        except (KeyError, TypeError, ValueError) as exc:
            raise _invalid(f"A stored campaign could not be read ({exc}).") from None

    def end_at(self, now: datetime) -> Campaign:
        return replace(self, ended=now)


def _invalid(message: str) -> LoyaltyError:
    return LoyaltyError(ErrorCode.INVALID_INPUT, message)


def active_campaigns(campaigns: Iterable[Campaign], now: datetime, tz: tzinfo) -> list[Campaign]:
    return [c for c in campaigns if c.is_active(now, tz)]


# ---- bonuses -----------------------------------------------------------------------

@dataclass(frozen=True)
class Bonus:
    campaign: Campaign
    points: int = 0
    stamps: int = 0

    @property
    def reason(self) -> str:
        return campaign_reason(self.campaign.campaign_id)


@dataclass(frozen=True)
class Visit:
    """What campaigns need to know of a card at a stamp or a purchase."""

    now: datetime
    tz: tzinfo
    first_visit: bool = False               # no stamp or purchase on the card before
    birthday: date | None = None            # the holder's, when known
    given: frozenset[str] = frozenset()     # campaign ids whose once-only bonus the card already had
                                            # (ever for a first visit; this year for a birthday)

    def is_birthday(self) -> bool:
        if self.birthday is None:
            return False
        today = self.now.astimezone(self.tz).date()
        month, day = self.birthday.month, self.birthday.day
        if (month, day) == (2, 29) and not _leap(today.year):
            day = 28
        return (today.month, today.day) == (month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _once_bonuses(active: list[Campaign], visit: Visit, has_points: bool, has_stamps: bool) -> list[Bonus]:
    found = []
    for c in active:
        if not c.kind.once or c.campaign_id in visit.given:
            continue
        due = (c.kind is CampaignKind.FIRST_VISIT and visit.first_visit) or \
              (c.kind is CampaignKind.BIRTHDAY and visit.is_birthday())
        points, stamps = (c.points if has_points else 0), (c.stamps if has_stamps else 0)
        if due and (points or stamps):
            found.append(Bonus(c, points, stamps))
    return found


def purchase_bonuses(campaigns: Iterable[Campaign], visit: Visit, rule: EarningRule, amount_minor: int,
                     minor_digits: int, tier_percent: int, earned_points: int,
                     has_stamps: bool = False) -> list[Bonus]:
    """The bonuses a purchase earns now, besides ``earned_points`` (base x tier) of the earn entry."""
    active = active_campaigns(campaigns, visit.now, visit.tz)
    bonuses: list[Bonus] = []
    multipliers = [c for c in active if c.kind is CampaignKind.MULTIPLIER]
    if multipliers:
        best = max(multipliers, key=lambda c: (c.multiplier_percent, c.campaign_id))
        total = scaled_points(rule, amount_minor, minor_digits, best.multiplier_percent, tier_percent)
        if total > earned_points:
            bonuses.append(Bonus(best, points=total - earned_points))
    for c in active:
        if c.kind is CampaignKind.FIXED_BONUS or (c.kind is CampaignKind.SPEND_BONUS
                                                  and amount_minor >= c.min_spend_minor):
            bonuses.append(Bonus(c, points=c.points))
    bonuses.extend(_once_bonuses(active, visit, True, has_stamps))
    return bonuses


def stamp_bonuses(campaigns: Iterable[Campaign], visit: Visit, has_points: bool = False) -> list[Bonus]:
    """The bonuses a stamp earns now, besides the stamp itself."""
    active = active_campaigns(campaigns, visit.now, visit.tz)
    bonuses = [Bonus(c, stamps=c.stamps) for c in active if c.kind is CampaignKind.EXTRA_STAMP]
    bonuses.extend(_once_bonuses(active, visit, has_points, True))
    return bonuses


def describe(campaign: Campaign, currency_amount: str = "") -> str:
    """A short English line for the command line: "Double points", "+50 points per purchase"."""
    kind, c = campaign.kind, campaign
    if kind is CampaignKind.MULTIPLIER:
        return "Double points" if c.multiplier_percent == 200 else f"Points {format_multiplier(c.multiplier_percent)}"
    if kind is CampaignKind.FIXED_BONUS:
        return f"+{c.points} points per purchase"
    if kind is CampaignKind.SPEND_BONUS:
        return f"+{c.points} points from {currency_amount or c.min_spend_minor}"
    if kind is CampaignKind.EXTRA_STAMP:
        return f"+{c.stamps} extra stamp" + ("s" if c.stamps != 1 else "")
    gift = " and ".join(part for part in (f"{c.points} points" if c.points else "",
                                          f"{c.stamps} stamps" if c.stamps else "") if part)
    return f"First visit: +{gift}" if kind is CampaignKind.FIRST_VISIT else f"Birthday: +{gift}"
