"""The owner's report of one store-local day: who did what, and what looks wrong.

Counts come from the ledger (entries are attributed to the staff member who
confirmed them) and from the audit log (refused actions and wrong PINs never
reach the ledger). A day holds at most a few thousand rows, so they are read
once and counted here, which keeps each figure's meaning in one plain place.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from terminal.domain.ledger import EntryKind
from terminal.services.audit import AuditKind
from terminal.services.context import ServiceContext
from terminal.store.models import AuditRow, LedgerRow, StaffRow

_L = LedgerRow.__table__
_A = AuditRow.__table__
_S = StaffRow.__table__


class SuspicionKind(enum.StrEnum):
    REPEAT_STAMPS = "repeat_stamps"          # one staff member stamping one card again and again
    MANY_REFUSALS = "many_refusals"          # the rules kept saying no to one staff member
    MANY_VOIDS = "many_voids"                # one staff member undoing many entries
    MANY_PIN_FAILURES = "many_pin_failures"  # someone guessing a staff member's PIN


@dataclass(frozen=True)
class SuspicionThresholds:
    """How many of a thing in one day make it worth the owner's look."""

    repeat_stamps: int = 3
    refusals: int = 5
    voids: int = 3
    pin_failures: int = 3


@dataclass(frozen=True)
class StaffDay:
    staff_id: str
    name: str
    stamps: int = 0
    earns: int = 0
    points_earned: int = 0
    redemptions: int = 0
    voids: int = 0
    adjustments: int = 0
    enrollments: int = 0
    refusals: int = 0
    pin_failures: int = 0


@dataclass(frozen=True)
class Suspicion:
    kind: SuspicionKind
    staff_id: str
    staff_name: str
    count: int
    card: str | None = None


@dataclass(frozen=True)
class DailyReport:
    day: date
    start: datetime  # UTC, inclusive
    end: datetime    # UTC, exclusive
    staff: tuple[StaffDay, ...]
    suspicions: tuple[Suspicion, ...]
    totals: StaffDay = field(default_factory=lambda: StaffDay("", ""))


def day_bounds_utc(day: date, tz) -> tuple[datetime, datetime]:  # noqa: ANN001
    """The UTC start and end of a store-local calendar day (DST days are 23 or 25 hours)."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


_COUNTED_KINDS = {
    EntryKind.STAMP: "stamps", EntryKind.EARN: "earns", EntryKind.REDEEM: "redemptions",
    EntryKind.STAMP_REDEEM: "redemptions", EntryKind.VOID: "voids", EntryKind.ADJUST: "adjustments",
    EntryKind.ENROLL: "enrollments",
}


class DailyReportService:
    def __init__(self, ctx: ServiceContext, thresholds: SuspicionThresholds | None = None) -> None:
        self.ctx = ctx
        self.thresholds = thresholds or SuspicionThresholds()

    def today(self) -> date:
        return self.ctx.clock.now().astimezone(self.ctx.store.tz).date()

    def report(self, day: date | None = None) -> DailyReport:
        """The figures of ``day`` (store-local; today when omitted). Slow-ish: run it in a worker."""
        day = day or self.today()
        start, end = day_bounds_utc(day, self.ctx.store.tz)
        with self.ctx.db.read() as session:
            names = dict(session.execute(select(_S.c.staff_id, _S.c.name)).all())
            entries = session.execute(
                select(_L.c.staff_id, _L.c.kind, _L.c.card, _L.c.points)
                .where(_L.c.at >= start, _L.c.at < end)).all()
            events = session.execute(
                select(_A.c.kind, _A.c.staff_id, _A.c.subject)
                .where(_A.c.at >= start, _A.c.at < end,
                       _A.c.kind.in_([AuditKind.ACTION_REFUSED.value, AuditKind.PIN_FAILED.value]))).all()
        counts: dict[str, Counter] = defaultdict(Counter)
        stamps_per_card: Counter = Counter()
        for staff_id, kind, card, points in entries:
            if staff_id is None:  # e.g. points expiry, written by the terminal itself
                continue
            column = _COUNTED_KINDS.get(kind)  # a kind this module does not count (e.g. bonus) is skipped
            if column:
                counts[staff_id][column] += 1
            if kind == EntryKind.EARN:
                counts[staff_id]["points_earned"] += points
            if kind == EntryKind.STAMP:
                stamps_per_card[(staff_id, card)] += 1
        for kind, staff_id, subject in events:
            if kind == AuditKind.ACTION_REFUSED and staff_id:
                counts[staff_id]["refusals"] += 1
            elif kind == AuditKind.PIN_FAILED and subject:
                counts[subject]["pin_failures"] += 1
        rows = tuple(sorted((StaffDay(sid, names.get(sid, sid), **c) for sid, c in counts.items()),
                            key=lambda r: r.name.lower()))
        return DailyReport(day, start, end, rows, self._suspicions(rows, stamps_per_card, names),
                           _totals(rows))

    def _suspicions(self, rows: tuple[StaffDay, ...], stamps_per_card: Counter,
                    names: dict[str, str]) -> tuple[Suspicion, ...]:
        t = self.thresholds
        found = [Suspicion(SuspicionKind.REPEAT_STAMPS, sid, names.get(sid, sid), n, card)
                 for (sid, card), n in stamps_per_card.items() if n >= t.repeat_stamps]
        for row in rows:
            for kind, count, limit in ((SuspicionKind.MANY_REFUSALS, row.refusals, t.refusals),
                                       (SuspicionKind.MANY_VOIDS, row.voids, t.voids),
                                       (SuspicionKind.MANY_PIN_FAILURES, row.pin_failures, t.pin_failures)):
                if count >= limit:
                    found.append(Suspicion(kind, row.staff_id, row.name, count))
        return tuple(sorted(found, key=lambda s: (-s.count, s.staff_name.lower(), s.kind, s.card or "")))


def _totals(rows: tuple[StaffDay, ...]) -> StaffDay:
    numbers = [f for f in StaffDay.__dataclass_fields__ if f not in ("staff_id", "name")]
    return StaffDay("", "", **{f: sum(getattr(r, f) for r in rows) for f in numbers})
