"""The owner's program use cases: add one after setup, retire one, save a program's settings at once.

A retired program stays in the database with its cards and their history; the counter refuses
new stamps, points and rewards on its cards (``catalog.require_program_active``) and enrollment
refuses new cards. At least one program stays active, so the till can always enroll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.points_money import PointsMoney
from terminal.domain.program_settings import checked_rules as _checked_rules
from terminal.domain.program_settings import checked_tiers as _checked_tiers
from terminal.domain.programs import Program, ProgramKind
from terminal.domain.staff import Permission
from terminal.domain.text import check_label
from terminal.services import audit, reward_changes
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import list_programs, load_program
from terminal.services.expiry import ExpiryMode, check_mode
from terminal.services.reward_changes import RewardChange
from terminal.services.setup import BLANK, add_program
from terminal.store.models import CardRow, ProgramRow, TierRow


@dataclass(frozen=True)
class ProgramSummary:
    program: Program
    cards: int


def _program_row(session: Session, program_id: str) -> ProgramRow:
    row = session.get(ProgramRow, program_id) if isinstance(program_id, str) else None
    if row is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, "That loyalty program does not exist.")
    return row


def find_program(session: Session, text: str) -> ProgramRow:
    """A program by its id, the start of its id (6+ characters) or its exact name (case-insensitive)."""
    text = (text or "").strip()
    rows = list(session.execute(select(ProgramRow)).scalars())
    exact = [r for r in rows if r.program_id == text]
    found = exact or [r for r in rows if r.name.casefold() == text.casefold()] or \
        [r for r in rows if len(text) >= 6 and r.program_id.startswith(text)]
    if len(found) != 1:
        names = ", ".join(f"{r.name} ({r.program_id[:8]})" for r in rows)
        what = "No program" if not found else "More than one program"
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, f"{what} matches {text!r}. Programs: {names}.")
    return found[0]


class ProgramService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def summaries(self, include_retired: bool = True) -> list[ProgramSummary]:
        with self.ctx.db.read() as session:
            counts = dict(session.execute(select(CardRow.program_id, func.count()).group_by(CardRow.program_id)).all())
            return [ProgramSummary(p, counts.get(p.program_id, 0))
                    for p in list_programs(session, include_retired=include_retired)]

    def add(self, grant: Grant, template: str, name: str | None = None, kind: ProgramKind | str | None = None) -> str:
        """A new program from a template (``coffee``, ``points``, ``hybrid``) or ``blank`` of ``kind``."""
        kind_value = ProgramKind(kind) if kind else None
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            now = self.ctx.clock.now()
            program_id = add_program(session, self.ctx, template, now, name=name, kind=kind_value)
            session.flush()
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.PROGRAM_CHANGED, staff.staff_id,
                         program_id, added=template if template != BLANK else f"blank {kind_value}")
            return program_id

    def retire(self, grant: Grant, program_id: str) -> None:
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            row = _program_row(session, program_id)
            if not row.active:
                raise LoyaltyError(ErrorCode.PROGRAM_RETIRED, f"{row.name} is already retired.")
            others = session.execute(select(func.count()).select_from(ProgramRow)
                                     .where(ProgramRow.active, ProgramRow.program_id != program_id)).scalar_one()
            if not others:
                raise LoyaltyError(ErrorCode.INVALID_INPUT,
                                   f"{row.name} is the only active program. Add another one before retiring it.")
            row.active = False
            row.updated_at = self.ctx.clock.now()
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.PROGRAM_CHANGED,
                         staff.staff_id, program_id, retired=True)

    def save(self, grant: Grant, program_id: str, *, name: str | None = None, rules: dict[str, Any] | None = None,
             tiers: list[tuple[str, int, int]] | None = None, points_money: PointsMoney | None = None,
             points_money_set: bool = False, expiry_mode: str | None = None,
             rewards: Sequence[RewardChange] = ()) -> None:
        """Save what the program page shows in one transaction: name, rules, tiers, points as money,
        the points-expiry mode and the rewards' changes. All of it is written, or (on any refusal)
        none of it.

        ``points_money`` None with ``points_money_set`` turns points as money off.
        """
        rules = _checked_rules(rules or {})
        name = check_label(name, "The program name", "A program needs a name.") if name is not None else None
        tiers = _checked_tiers(tiers) if tiers is not None else None
        if points_money is not None:
            points_money.check()
        mode = check_mode(expiry_mode) if expiry_mode is not None else None
        reward_list = [reward_changes.check(change) for change in rewards]
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            row = _program_row(session, program_id)
            changed: dict[str, Any] = {}
            for field, value in rules.items():
                if getattr(row, field) != value:
                    changed[field] = value
                    setattr(row, field, value)
            if name is not None and name != row.name:
                changed["name"] = row.name = name
            if points_money_set or points_money is not None:
                _set_points_money(row, points_money, changed)
            if tiers is not None:
                _set_tiers(session, program_id, tiers, changed)
            if mode is not None and mode != (row.points_expiry_mode or ExpiryMode.AGE.value):
                changed["points_expiry_mode"] = row.points_expiry_mode = mode
            if changed:
                row.updated_at = self.ctx.clock.now()
                audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.PROGRAM_CHANGED,
                             staff.staff_id, program_id, new=changed)
            for change in reward_list:
                reward_changes.write(session, self.ctx, staff.staff_id, program_id, change)

    def program(self, program_id: str) -> Program:
        with self.ctx.db.read() as session:
            return load_program(session, program_id)


def _set_points_money(row: ProgramRow, pm: PointsMoney | None, changed: dict[str, Any]) -> None:
    values = (pm.points, pm.value_minor, pm.max_percent) if pm else (None, None, None)
    if (row.money_points, row.money_value_minor, row.money_max_percent) != values:
        row.money_points, row.money_value_minor, row.money_max_percent = values
        changed["points_money"] = list(values)


def _set_tiers(session: Session, program_id: str, tiers: list[tuple[str, int, int]], changed: dict[str, Any]) -> None:
    current = sorted((t.name, t.min_lifetime_points, t.multiplier_percent) for t in
                     session.execute(select(TierRow).where(TierRow.program_id == program_id)).scalars())
    if current != sorted(tiers):
        session.execute(TierRow.__table__.delete().where(TierRow.program_id == program_id))
        session.add_all(TierRow(program_id=program_id, name=n, min_lifetime_points=t, multiplier_percent=m)
                        for n, t, m in tiers)
        changed["tiers"] = tiers
