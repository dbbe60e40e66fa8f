"""The owner's report over a period (day, week, month or custom) and its comparison with the one before.

Figures leave out entries that were voided (and the voids themselves), so a
mistake put right does not count. Definitions, one place:

- points earned: ``earn`` and campaign ``bonus`` entries; spent: ``redeem``;
  expired: counted ``expire`` entries (a duplicate of another till's counts zero);
- earn/burn ratio: earned ÷ spent; breakage: expired ÷ earned;
- redemptions: ``redeem`` and ``stamp_redeem`` entries; redemption rate:
  cards that redeemed ÷ active members;
- active members: cards with any entry but an expiry in the period; new cards: enrollments;
- tier mix: the active members' tiers by their lifetime points now;
- per campaign: ``bonus`` entries whose reason is ``campaign:<campaign id>``.

A month holds at most some tens of thousands of rows: they are read once and
counted here, which keeps each figure's meaning in one plain place.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.periods import MAX_DAYS, PeriodRatios, calendar_period, previous_period
from terminal.domain.programs import tier_for
from terminal.services.catalog import list_programs
from terminal.services.context import ServiceContext
from terminal.services.daily_report import DailyReportService, Suspicion, day_bounds_utc
from terminal.store.expiry_keys import not_counted_ids
from terminal.store.models import CardBalance, CardRow, LedgerRow, StaffRow

_L = LedgerRow.__table__
BONUS_KIND = "bonus"  # campaign bonuses (issue 11, item 4): reason "campaign:<campaign_id>"
CAMPAIGN_PREFIX = "campaign:"


class PeriodKind(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    CUSTOM = "custom"


def period_bounds(kind: PeriodKind, day: date, end: date | None = None) -> tuple[date, date]:
    """First and last store-local day (both included) of the period of ``kind`` holding ``day``."""
    if kind is PeriodKind.CUSTOM:
        return check_range(day, end or day)
    return calendar_period(kind.value, day)


def check_range(first: date, last: date) -> tuple[date, date]:
    if last < first:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "The end of the period is before its start. "
                           "Pick an end on or after the start.")
    if (last - first).days + 1 > MAX_DAYS:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"A report covers at most {MAX_DAYS} days. Pick a shorter period.")
    return first, last


@dataclass(frozen=True)
class StaffFigures:
    staff_id: str
    name: str
    stamps: int = 0
    points_earned: int = 0
    redemptions: int = 0
    new_cards: int = 0


@dataclass(frozen=True)
class CampaignFigures:
    campaign_id: str
    bonuses: int
    points: int
    cards: int
    name: str = ""  # as the owner named it (the id when the campaign is gone)


@dataclass(frozen=True)
class DayFigures:
    day: date
    stamps: int
    points_earned: int
    points_spent: int
    redemptions: int
    active_members: int


@dataclass(frozen=True)
class Figures(PeriodRatios):
    stamps: int = 0
    points_earned: int = 0
    points_spent: int = 0
    points_expired: int = 0
    redemptions: int = 0
    redeeming_cards: int = 0
    active_members: int = 0
    new_cards: int = 0


@dataclass(frozen=True)
class PeriodReport:
    first: date
    last: date
    figures: Figures
    previous: Figures
    days: tuple[DayFigures, ...]
    previous_days: tuple[DayFigures, ...]
    tier_mix: tuple[tuple[str, int], ...]  # (tier name, active members); "" for no tier
    staff: tuple[StaffFigures, ...]
    campaigns: tuple[CampaignFigures, ...]
    worth_a_look: tuple[tuple[date, Suspicion], ...]


class PeriodReportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def today(self) -> date:
        return self.ctx.clock.now().astimezone(self.ctx.store.tz).date()

    def report(self, first: date, last: date) -> PeriodReport:
        """Figures of the store-local days ``first`` .. ``last``, and of the period before. Run it in a worker."""
        first, last = check_range(first, last)
        before = previous_period(first, last)
        rows, names, lifetime, tiers, campaign_names = self._read(before[0], last)
        start, _ = day_bounds_utc(first, self.ctx.store.tz)
        now_rows = [r for r in rows if r.at >= start]
        old_rows = [r for r in rows if r.at < start]
        daily = DailyReportService(self.ctx)
        looks = tuple((d, s) for d in _days(first, last) for s in daily.report(d).suspicions)
        active = {r.card for r in now_rows if r.kind != EntryKind.EXPIRE.value}
        mix: Counter = Counter()
        for card in active:
            program_tiers = tiers.get(card, ())
            tier = tier_for(program_tiers, lifetime.get(card, 0)) if program_tiers else None
            mix[tier.name if tier else ""] += 1
        return PeriodReport(
            first, last, _figures(now_rows), _figures(old_rows),
            self._per_day(now_rows, first, last), self._per_day(old_rows, *before),
            tuple(sorted(mix.items(), key=lambda kv: (-kv[1], kv[0]))),
            _per_staff(now_rows, names), _per_campaign(now_rows, campaign_names), looks)

    def _read(self, first: date, last: date):  # noqa: ANN202
        tz = self.ctx.store.tz
        start, _ = day_bounds_utc(first, tz)
        _, end = day_bounds_utc(last, tz)
        with self.ctx.db.read() as session:
            names = dict(session.execute(select(StaffRow.staff_id, StaffRow.name)).all())
            voided = set(session.execute(select(_L.c.reverses).where(_L.c.reverses.is_not(None))).scalars())
            uncounted = not_counted_ids(session.connection())
            rows = [r for r in session.execute(
                select(_L.c.entry_id, _L.c.card, _L.c.kind, _L.c.stamps, _L.c.points, _L.c.staff_id,
                       _L.c.reason, _L.c.at).where(_L.c.at >= start, _L.c.at < end).order_by(_L.c.at, _L.c.id))
                    if r.entry_id not in voided and r.entry_id not in uncounted and r.kind != EntryKind.VOID.value]
            lifetime = dict(session.execute(select(CardBalance.code, CardBalance.lifetime_points)).all())
            program_of = dict(session.execute(select(CardRow.code, CardRow.program_id)).all())
            programs = list_programs(session, True)
        program_tiers = {p.program_id: p.tiers for p in programs}
        campaign_names = {c.campaign_id: c.name for p in programs for c in p.campaigns}
        tiers = {code: program_tiers.get(pid, ()) for code, pid in program_of.items()}
        return rows, names, lifetime, tiers, campaign_names

    def _per_day(self, rows: list, first: date, last: date) -> tuple[DayFigures, ...]:
        tz = self.ctx.store.tz
        by_day: dict[date, list] = defaultdict(list)
        for r in rows:
            by_day[r.at.astimezone(tz).date()].append(r)
        result = []
        for d in _days(first, last):
            f = _figures(by_day.get(d, []))
            result.append(DayFigures(d, f.stamps, f.points_earned, f.points_spent, f.redemptions,
                                     f.active_members))
        return tuple(result)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _figures(rows: list) -> Figures:
    c: Counter = Counter()
    active, redeeming = set(), set()
    for r in rows:
        kind = r.kind
        if kind != EntryKind.EXPIRE.value:
            active.add(r.card)
        if kind == EntryKind.STAMP.value:
            c["stamps"] += r.stamps
        elif kind in (EntryKind.EARN.value, BONUS_KIND):
            c["points_earned"] += r.points
        elif kind == EntryKind.EXPIRE.value:
            c["points_expired"] -= r.points
        elif kind == EntryKind.ENROLL.value:
            c["new_cards"] += 1
        if kind == EntryKind.REDEEM.value:
            c["points_spent"] -= r.points
        if kind in (EntryKind.REDEEM.value, EntryKind.STAMP_REDEEM.value):
            c["redemptions"] += 1
            redeeming.add(r.card)
    return Figures(**c, redeeming_cards=len(redeeming), active_members=len(active))


def _per_staff(rows: list, names: dict[str, str]) -> tuple[StaffFigures, ...]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r.staff_id is None:  # expiry, written by the till itself
            continue
        c = counts[r.staff_id]
        if r.kind == EntryKind.STAMP.value:
            c["stamps"] += r.stamps
        elif r.kind in (EntryKind.EARN.value, BONUS_KIND):
            c["points_earned"] += r.points
        elif r.kind in (EntryKind.REDEEM.value, EntryKind.STAMP_REDEEM.value):
            c["redemptions"] += 1
        elif r.kind == EntryKind.ENROLL.value:
            c["new_cards"] += 1
    return tuple(sorted((StaffFigures(sid, names.get(sid, sid), **c) for sid, c in counts.items()),
                        key=lambda s: s.name.lower()))


def _per_campaign(rows: list, campaign_names: dict[str, str]) -> tuple[CampaignFigures, ...]:
    bonuses: dict[str, list] = defaultdict(list)
    for r in rows:
        if r.kind == BONUS_KIND and (r.reason or "").startswith(CAMPAIGN_PREFIX):
            bonuses[r.reason.removeprefix(CAMPAIGN_PREFIX)].append(r)
    return tuple(CampaignFigures(cid, len(got), sum(r.points for r in got), len({r.card for r in got}),
                                 campaign_names.get(cid, cid))
                 for cid, got in sorted(bonuses.items()))


FIGURE_NAMES = {
    "stamps": "Stamps", "points_earned": "Points earned", "points_spent": "Points spent",
    "points_expired": "Points expired", "earn_burn_ratio": "Earn/burn ratio", "redemptions": "Redemptions",
    "redemption_rate": "Redemption rate", "breakage": "Breakage", "active_members": "Active members",
    "new_cards": "New cards",
}
SECTION_NAMES = {"figures": "Figures", "tiers": "Tier mix", "staff": "Staff", "campaigns": "Campaigns",
                 "no_tier": "No tier", "this": "This period", "previous": "Previous period",
                 "section": "Section", "item": "Item"}


def _value(figures: Figures, name: str) -> float | int | None:
    value = getattr(figures, name)
    return round(value, 4) if isinstance(value, float) else value


def report_table(report: PeriodReport, figure_names: dict[str, str] = FIGURE_NAMES,
                 section_names: dict[str, str] = SECTION_NAMES) -> tuple[list[str], list[list]]:
    """The report as one table for a spreadsheet: section, item, this period, previous period."""
    n = section_names
    headers = [n["section"], n["item"], f"{n['this']} {report.first}..{report.last}", n["previous"]]
    rows: list[list] = [[n["figures"], figure_names[f], _value(report.figures, f), _value(report.previous, f)]
                        for f in FIGURE_NAMES]
    rows += [[n["tiers"], tier or n["no_tier"], count, None] for tier, count in report.tier_mix]
    for s in report.staff:
        rows += [[n["staff"], f"{s.name}: {figure_names[f]}", getattr(s, f), None]
                 for f in ("stamps", "points_earned", "redemptions", "new_cards")]
    for c in report.campaigns:
        rows.append([n["campaigns"], c.name or c.campaign_id, c.points, None])
    return headers, rows
