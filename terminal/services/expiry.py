"""Points expiry: the job every till may run (``admin expire``, the window's timer) and what expires soon.

A program with ``points_expiry_days`` = N expires points in one of two modes:

- ``age``: points earned on store-local day E expire at the start of day
  E + N, oldest first (spending uses the oldest points first);
- ``inactivity``: the whole balance expires at the start of day L + N, where
  L is the last day with any entry on the card other than an expiry.

Every till may run it, online or offline, as often as it likes: each entry
carries a period key in its reason (``expiry:age:<earning day>``, one entry
per earning day that is due, or ``expiry:inactive:<last active day>``), a
till writes no second entry for a
key it already holds, and of duplicates written by tills offline at the same
time only the one with the smallest entry id counts (``ledger_chain.expiry``),
at every till and at the hub. The amounts are computed from whole store-local
days, so tills holding the same entries write the same amount. docs/sync.md
("Points expiry") has the reasoning.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger_chain.expiry import KEY_PREFIX, age_cohort, cohorts_left
from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Entry, EntryKind
from terminal.domain.policy import effective_now
from terminal.domain.programs import ProgramKind
from terminal.services.context import ServiceContext
from terminal.store import ledger
from terminal.store.expiry_keys import not_counted_ids
from terminal.store.models import CardRow, LedgerRow, ProgramRow

_L = LedgerRow.__table__


class ExpiryMode(enum.StrEnum):
    AGE = "age"
    INACTIVITY = "inactivity"


@dataclass(frozen=True)
class ExpiringSoon:
    """Points of one card that expire within the window asked for, and the first day some go."""

    points: int = 0
    first_day: date | None = None  # store-local


NOTHING_EXPIRING = ExpiringSoon()


@dataclass(frozen=True)
class _CardLedger:
    balance: int
    cohorts: dict[date, int]  # store-local earning day -> its points not yet spent or expired
    held: frozenset[str]      # period keys already in the ledger for this card (counted or not)
    last_active: date | None  # store-local day of the last entry that is not an expiry


def _midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def age_key(earned_on: date) -> str:
    return f"{KEY_PREFIX}age:{earned_on.isoformat()}"


def inactivity_key(last_active: date) -> str:
    return f"{KEY_PREFIX}inactive:{last_active.isoformat()}"


def due_by_age(card: _CardLedger, today: date, days: int) -> list[tuple[str, int]]:
    """(key, points) of each earning day whose points are due on ``today`` (earned on or before
    ``today - days``) and not expired yet; never more than the balance in all."""
    room = max(0, card.balance)
    due = []
    for day in sorted(card.cohorts):
        if day + timedelta(days=days) > today or room <= 0:
            continue
        # Points of a day left over after its expiry (entries that reached this till later) go
        # under the next key of that day, which tills offline together again agree on.
        done = sum(1 for k in card.held if k.startswith(f"{KEY_PREFIX}age:") and age_cohort(k) == day)
        key = age_key(day) if not done else f"{age_key(day)}#{done + 1}"
        points = min(card.cohorts[day], room)
        room -= points
        due.append((key, points))
    return due


def due_by_inactivity(card: _CardLedger, today: date, days: int) -> list[tuple[str, int]]:
    if card.last_active is None or card.last_active + timedelta(days=days) > today or card.balance <= 0:
        return []
    key = inactivity_key(card.last_active)
    return [] if key in card.held else [(key, card.balance)]


def check_mode(value: object) -> str:
    """A program's expiry mode as stored, or INVALID_INPUT naming the choices."""
    if value not in {m.value for m in ExpiryMode}:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"Points expire by \"age\" or by \"inactivity\", not {value!r}.")
    return str(value)


def _mode(program: ProgramRow) -> ExpiryMode:
    return ExpiryMode(program.points_expiry_mode or ExpiryMode.AGE)


class ExpiryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def today(self, now: datetime | None = None) -> date:
        return (now or self.ctx.clock.now()).astimezone(self.ctx.store.tz).date()

    def run(self) -> list[Entry]:
        """Write the expire entries due now on every card of every expiring program; idempotent.

        A system job (cron, a timer, the window): it needs no PIN, decides nothing
        an owner did not set in the program, and its entries name no staff member.
        """
        # Worked out in a read transaction, so the counter's writes never wait on it; the short
        # write then checks each key again and never takes more than the balance is by then.
        with self.ctx.db.read() as session:
            now = effective_now(self.ctx.clock.now(),
                                ledger.latest_own_time(session, self.ctx.store.terminal_id))
            today = self.today(now)
            due: list[tuple[str, str, int]] = []  # (card, key, points)
            for program in _expiring_programs(session):
                codes = list(session.execute(select(CardRow.code).where(
                    CardRow.program_id == program.program_id)).scalars())
                mode, days = _mode(program), program.points_expiry_days or 0
                rule = due_by_inactivity if mode is ExpiryMode.INACTIVITY else due_by_age
                for code, card in self._read(session, codes).items():
                    due += [(code, key, points) for key, points in rule(card, today, days)]
        if not due:
            return []
        written: list[Entry] = []
        with self.ctx.db.write() as session:
            # a counter entry may have been written since: this till's entries never go back in time
            now = effective_now(now, ledger.latest_own_time(session, self.ctx.store.terminal_id))
            for code, key, points in due:
                held = session.execute(select(_L.c.entry_id).where(
                    _L.c.card == code, _L.c.kind == EntryKind.EXPIRE.value, _L.c.reason == key).limit(1)).first()
                points = min(points, ledger.balance(session, code).points)
                if held is None and points > 0:
                    written.append(ledger.append(session, terminal_id=self.ctx.store.terminal_id, card=code,
                                                 kind=EntryKind.EXPIRE, at=now, points=-points, reason=key))
        return written

    def expiring_soon(self, card_code: str, days: int = 30) -> ExpiringSoon:
        """Points of ``card_code`` that expire in the next ``days`` days if nothing else happens."""
        with self.ctx.db.read() as session:
            return self.expiring_in(session, normalize_code(card_code), days)

    def expiring_in(self, session: Session, code: str, days: int = 30) -> ExpiringSoon:
        """``expiring_soon`` inside the caller's transaction (the counter's card view)."""
        program = session.execute(select(ProgramRow).join(CardRow, CardRow.program_id == ProgramRow.program_id)
                                  .where(CardRow.code == code)).scalar_one_or_none()
        if program is None or not program.points_expiry_days or not ProgramKind(program.kind).has_points:
            return ExpiringSoon()
        card = self._read(session, [code]).get(code)
        if card is None or card.balance <= 0:
            return ExpiringSoon()
        today, life = self.today(), program.points_expiry_days
        due = due_by_inactivity if _mode(program) is ExpiryMode.INACTIVITY else due_by_age
        total = sum(points for _key, points in due(card, today + timedelta(days=days), life))
        if total <= 0:
            return ExpiringSoon()
        first = next(today + timedelta(days=n) for n in range(days + 1)
                     if due(card, today + timedelta(days=n), life))
        return ExpiringSoon(total, first)

    def _read(self, session: Session, codes: list[str]) -> dict[str, _CardLedger]:
        tz = self.ctx.store.tz
        uncounted = not_counted_ids(session.connection(), codes)
        rows: dict[str, list] = defaultdict(list)
        for part in range(0, len(codes), 500):
            chunk = codes[part:part + 500]
            for row in session.execute(select(_L.c.card, _L.c.entry_id, _L.c.kind, _L.c.points, _L.c.at, _L.c.reason)
                                       .where(_L.c.card.in_(chunk)).order_by(_L.c.at, _L.c.id)):
                rows[row.card].append(row)
        result = {}
        for code, entries in rows.items():
            counted = [(r.at.astimezone(tz).date(), r.points, r.reason if r.kind == EntryKind.EXPIRE.value else None)
                       for r in entries if r.entry_id not in uncounted]
            active = [r.at for r in entries if r.kind != EntryKind.EXPIRE.value]
            result[code] = _CardLedger(
                balance=ledger.balance(session, code).points,
                cohorts=cohorts_left(counted),
                held=frozenset(r.reason for r in entries if r.kind == EntryKind.EXPIRE.value and r.reason),
                last_active=max(active).astimezone(tz).date() if active else None,
            )
        return result


def _expiring_programs(session: Session) -> list[ProgramRow]:
    programs = session.execute(select(ProgramRow).where(ProgramRow.points_expiry_days.is_not(None))).scalars()
    return [p for p in programs if ProgramKind(p.kind).has_points and (p.points_expiry_days or 0) > 0]
