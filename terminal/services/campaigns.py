"""Campaigns of a program (add, list, end) and the bonus entries the counter writes from them.

Campaigns live in their program's ``campaigns`` column as a JSON list and travel in the
program's sync record (``settings["campaigns"]``), so every till of the store runs the same
ones. A bonus is a ledger entry of kind ``bonus``, reason ``campaign:<campaign_id>``, written
in the same transaction as the stamp or purchase that earned it and at the same instant (a
void of that stamp or purchase voids its bonuses too: ``bonuses_of``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.domain.campaigns import (
    MAX_CAMPAIGNS_PER_PROGRAM,
    Bonus,
    Campaign,
    CampaignKind,
    Visit,
    active_campaigns,
    campaign_reason,
    purchase_bonuses,
    stamp_bonuses,
)
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Entry, EntryKind
from terminal.domain.programs import Program
from terminal.domain.staff import Permission
from terminal.domain.text import check_label
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import campaigns_from_text, list_programs, load_program
from terminal.services.context import ServiceContext
from terminal.services.daily_report import day_bounds_utc
from terminal.store import ledger
from terminal.store.models import CardRow, LedgerRow, ProgramRow

# campaigns kept in a program's record (running ones and those over for less than 400 days): about
# 400 bytes each, well inside the wire's 64 KiB for a program's settings
_MAX_STORED = 100


def _program_row(session: Session, program_id: str) -> ProgramRow:
    row = session.get(ProgramRow, program_id) if isinstance(program_id, str) else None
    if row is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, "That loyalty program does not exist.")
    return row


def _store(row: ProgramRow, campaigns: list[Campaign], now: datetime) -> None:
    row.campaigns = json.dumps([c.to_settings() for c in campaigns], ensure_ascii=False, sort_keys=True)
    row.updated_at = now


class CampaignService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def list_campaigns(self, program_id: str | None = None) -> list[tuple[Program, Campaign]]:
        with self.ctx.db.read() as session:
            programs = [load_program(session, program_id)] if program_id else list_programs(session, True)
        return [(p, c) for p in programs for c in p.campaigns]

    def active_now(self, program: Program) -> list[Campaign]:
        """The program's campaigns running now, for the counter's line."""
        return active_campaigns(program.campaigns, self.ctx.clock.now(), self.ctx.store.tz)

    def add(self, grant: Grant, program_id: str, campaign: Campaign) -> str:
        """Add ``campaign`` (its id is given here when empty) to the program; returns its id."""
        campaign = replace(campaign, campaign_id=campaign.campaign_id or str(uuid.uuid4()), ended=None)
        # the name travels in the program's record: only text the wire accepts is stored
        campaign = replace(campaign, name=check_label(campaign.name, "The campaign name",
                                                      "A campaign needs a name.")).check()
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            row = _program_row(session, program_id)
            if not row.active:
                raise LoyaltyError(ErrorCode.PROGRAM_RETIRED, f"{row.name} was retired; it takes no campaigns.")
            current = list(campaigns_from_text(row.campaigns))
            now = self.ctx.clock.now()
            running = [c for c in current if not c.is_over(now, self.ctx.store.tz)]
            if len(running) >= MAX_CAMPAIGNS_PER_PROGRAM:
                raise LoyaltyError(ErrorCode.INVALID_INPUT,
                                   f"{row.name} has {len(running)} campaigns; end one before adding another.")
            if campaign.last_day < now.astimezone(self.ctx.store.tz).date():
                raise LoyaltyError(ErrorCode.INVALID_INPUT, "That campaign's last day has passed. Pick later days.")
            # campaigns long over are dropped, so the program's record stays small on the wire
            today = now.astimezone(self.ctx.store.tz).date()
            kept = [c for c in current if not c.is_over(now, self.ctx.store.tz) or (today - c.last_day).days < 400]
            over = sorted((c for c in kept if c.is_over(now, self.ctx.store.tz)), key=lambda c: c.last_day)
            for c in over[:max(0, len(kept) + 1 - _MAX_STORED)]:  # the oldest go first
                kept.remove(c)
            _store(row, [*kept, campaign], now)
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.PROGRAM_CHANGED, staff.staff_id,
                         program_id, campaign_added=campaign.to_settings())
        return campaign.campaign_id

    def find(self, campaign_id: str) -> Campaign:
        """The campaign ``end`` would end (id or a prefix of 6+), refused as ``end`` refuses it; no PIN:
        a script learns of a wrong id or an ended campaign before it is asked for one."""
        with self.ctx.db.read() as session:
            _row, campaigns, n = self._endable(session, campaign_id)
            return campaigns[n]

    def end(self, grant: Grant, campaign_id: str) -> Campaign:
        """End a campaign now (it stays listed, as ended, for reports)."""
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            row, campaigns, n = self._endable(session, campaign_id)
            now, c = self.ctx.clock.now(), campaigns[n]
            campaigns[n] = c.end_at(now)
            _store(row, campaigns, now)
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.PROGRAM_CHANGED,
                         staff.staff_id, row.program_id, campaign_ended=c.campaign_id)
            return campaigns[n]

    def _endable(self, session: Session, campaign_id: str) -> tuple[ProgramRow, list[Campaign], int]:
        for row in session.execute(select(ProgramRow)).scalars():
            campaigns = list(campaigns_from_text(row.campaigns))
            for n, c in enumerate(campaigns):
                if c.campaign_id == campaign_id or (len(campaign_id) >= 6 and c.campaign_id.startswith(campaign_id)):
                    if c.is_over(self.ctx.clock.now(), self.ctx.store.tz):
                        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"{c.name} has already ended.")
                    return row, campaigns, n
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"No campaign {campaign_id!r}. List them to see their ids.")


# ---- the counter's hooks ------------------------------------------------------------

@dataclass(frozen=True)
class RunningCampaign:
    campaign: Campaign
    until: datetime  # when its window closes, in the store's time zone
    now: datetime    # when this was read, in the store's time zone
    currency: str    # the store's, for a spend bonus's amount


def running(program: Program, now: datetime, ctx: ServiceContext) -> tuple[RunningCampaign, ...]:
    """The program's campaigns running at ``now``, each with when its window closes (for the counter)."""
    if not program.campaigns or not program.active:
        return ()
    tz = ctx.store.tz
    found = []
    for c in active_campaigns(program.campaigns, now, tz):
        until = c.active_until(now, tz)
        if until is not None:
            found.append(RunningCampaign(c, until.astimezone(tz), now.astimezone(tz), ctx.store.currency))
    return tuple(found)


def _birthday(card: Any) -> date | None:
    """The holder's birthday when the card has one: YYYY-MM-DD, or MM-DD when the year was not given
    (then a leap year stands in, so 29 February stays a day; only the month and day count)."""
    value = getattr(card, "birthday", None)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        text = value[:10] if len(value) >= 10 else f"2000-{value}"
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _visit(session: Session, ctx: ServiceContext, code: str, program: Program, now: datetime) -> Visit:
    once = [c for c in program.campaigns if c.kind.once]
    if not once:
        return Visit(now, ctx.store.tz)
    # the action's own entry is already written: a first visit has exactly one stamp or earn
    actions = session.execute(select(func.count()).select_from(LedgerRow).where(
        LedgerRow.card == code, LedgerRow.kind.in_([EntryKind.STAMP.value, EntryKind.EARN.value]))).scalar_one()
    year_start = day_bounds_utc(date(now.astimezone(ctx.store.tz).year, 1, 1), ctx.store.tz)[0]
    given = set()
    for c in once:
        query = select(func.count()).select_from(LedgerRow).where(
            LedgerRow.card == code, LedgerRow.kind == EntryKind.BONUS.value,
            LedgerRow.reason == campaign_reason(c.campaign_id))
        if c.kind is CampaignKind.BIRTHDAY:
            query = query.where(LedgerRow.at >= year_start)
        if session.execute(query).scalar_one():
            given.add(c.campaign_id)
    return Visit(now, ctx.store.tz, first_visit=actions == 1, birthday=_birthday(session.get(CardRow, code)),
                 given=frozenset(given))


def _write(session: Session, ctx: ServiceContext, code: str, bonuses: list[Bonus], now: datetime,
           staff_id: str) -> list[Entry]:
    return [ledger.append(session, terminal_id=ctx.store.terminal_id, card=code, kind=EntryKind.BONUS, at=now,
                          stamps=b.stamps, points=b.points, staff_id=staff_id, reason=b.reason)
            for b in bonuses if b.points or b.stamps]


def add_purchase_bonuses(session: Session, ctx: ServiceContext, code: str, program: Program, amount_minor: int,
                         tier_percent: int, earned_points: int, now: datetime, staff_id: str) -> list[Entry]:
    """Write the bonus entries a purchase earns now (after its earn entry, in its transaction)."""
    if not program.campaigns:
        return []
    visit = _visit(session, ctx, code, program, now)
    bonuses = purchase_bonuses(program.campaigns, visit, program.earning, amount_minor, ctx.store.minor_digits,
                               tier_percent, earned_points, has_stamps=program.kind.has_stamps)
    return _write(session, ctx, code, bonuses, now, staff_id)


def preview_purchase_bonus(ctx: ServiceContext, program: Program, amount_minor: int, tier_percent: int,
                           earned_points: int, now: datetime) -> int:
    """The campaign points a purchase would add now (for the keypad's preview; once-only bonuses left out)."""
    if not program.campaigns:
        return 0
    bonuses = purchase_bonuses(program.campaigns, Visit(now, ctx.store.tz), program.earning, amount_minor,
                               ctx.store.minor_digits, tier_percent, earned_points)
    return sum(b.points for b in bonuses)


def add_stamp_bonuses(session: Session, ctx: ServiceContext, code: str, program: Program, now: datetime,
                      staff_id: str) -> list[Entry]:
    """Write the bonus entries a stamp earns now (after the stamp entry, in its transaction)."""
    if not program.campaigns:
        return []
    visit = _visit(session, ctx, code, program, now)
    return _write(session, ctx, code, stamp_bonuses(program.campaigns, visit, program.kind.has_points),
                  now, staff_id)


def bonuses_of(session: Session, original: Entry) -> list[Entry]:
    """The campaign bonuses written with a stamp or purchase, not voided.

    They follow it directly in its till's chain (same transaction): the entries after it of the same
    till while they are bonus entries of the same card. (Its time is no link: a till whose clock is
    behind writes several actions at the same instant.)
    """
    if original.kind not in (EntryKind.STAMP, EntryKind.EARN):
        return []
    rows = session.execute(select(LedgerRow.entry_id, LedgerRow.kind, LedgerRow.card).where(
        LedgerRow.terminal_id == original.terminal_id, LedgerRow.seq > original.seq)
        .order_by(LedgerRow.seq).limit(MAX_CAMPAIGNS_PER_PROGRAM + 1)).all()
    found = []
    for entry_id, kind, card in rows:
        if kind != EntryKind.BONUS.value or card != original.card:
            break
        entry = ledger.get_entry(session, entry_id)
        if entry is not None and not ledger.is_voided(session, entry_id):
            found.append(entry)
    return found
