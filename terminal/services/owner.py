"""Owner use cases: void, adjust, card status, program edits, points expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import VOIDABLE_KINDS, Entry, EntryKind
from terminal.domain.policy import check_cashier_undo
from terminal.domain.staff import Permission, Role, allows
from terminal.domain.text import check_label, check_text
from terminal.services import audit, campaigns, reward_changes
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import load_card
from terminal.store import ledger
from terminal.store.models import (
    LedgerRow,
    ProgramRow,
    RewardRow,
    StaffRow,
    TierRow,
)

# Program fields an owner may edit, with the smallest value each accepts
# (None: the field may also be cleared).
PROGRAM_FIELDS: dict[str, tuple[int, bool]] = {
    "stamps_target": (1, False), "points_per_unit": (0, False), "min_amount_minor": (0, False),
    "max_points_per_event": (1, True), "points_expiry_days": (1, True),
    "cooldown_minutes": (0, True), "daily_stamp_limit": (1, True),
}


@dataclass(frozen=True)
class UndoOffer:
    """The entry Undo last would void; ``cashier_until`` is set while ``staff_name`` may undo it with
    their own PIN (None: an owner must confirm)."""

    entry: Entry
    staff_name: str | None
    cashier_until: datetime | None


def _check_reason(reason: str | None, kept_in: str = "the ledger") -> str:
    """``kept_in``: where the reason is written, as the refusal tells the owner."""
    cleaned = check_text(reason, "The reason")
    if len(cleaned) < 3:
        raise LoyaltyError(ErrorCode.REASON_REQUIRED, f"Say why (at least a few words); it goes in {kept_in}.")
    return cleaned[:300]


def _check_int(name: str, value: Any, minimum: int, nullable: bool) -> int | None:
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"{name.replace('_', ' ')} must be a whole number of at least {minimum}.")
    return value


class OwnerService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def void(self, grant: Grant, entry_id: str, reason: str) -> Entry:
        reason = _check_reason(reason)
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.VOID)
            return self._void(session, staff, _voidable(session, entry_id), reason)

    def undo(self, grant: Grant, entry_id: str, reason: str = "Undone at the counter") -> Entry:
        """Void from the counter: an owner always; a cashier only their own entry, within
        ``cashier_undo_seconds`` of it (checked here, in the transaction, whatever the window showed)."""
        reason = _check_reason(reason)
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, None)
            original = _voidable(session, entry_id)
            if not allows(Role(staff.role), Permission.VOID):
                check_cashier_undo(original.staff_id, original.at, staff.staff_id, self.ctx.clock.now(),
                                   self.cashier_undo_window)
            return self._void(session, staff, original, reason)

    @property
    def cashier_undo_window(self) -> timedelta:
        return timedelta(seconds=self.ctx.settings.cashier_undo_seconds)

    def undo_offer(self, code_text: str) -> UndoOffer | None:
        """The entry Undo last would void, and until when its cashier may undo it alone."""
        entry = self.last_entry(code_text)
        if entry is None:
            return None
        until = entry.at + self.cashier_undo_window
        name = None
        if entry.staff_id is not None:
            with self.ctx.db.read() as session:
                row = session.get(StaffRow, entry.staff_id)
                name = row.name if row is not None and row.active else None
        alone = name is not None and entry.kind is not EntryKind.ADJUST and self.ctx.clock.now() <= until
        return UndoOffer(entry, name, until if alone else None)

    def _void(self, session: Session, staff: Any, original: Entry, reason: str) -> Entry:
        now = self.auth.checked_now(session)  # refused while the clock is behind, before anything is written
        for bonus in campaigns.bonuses_of(session, original):  # a stamp or purchase takes its bonuses along
            self._void(session, staff, bonus, reason)
        bal = ledger.balance(session, original.card)
        if bal.stamps - original.stamps < 0 or bal.points - original.points < 0:
            raise LoyaltyError(
                ErrorCode.INSUFFICIENT_BALANCE,
                "Voiding this would make the balance negative (it was already spent). Adjust instead.",
            )
        if original.reward_id and original.kind in (EntryKind.REDEEM, EntryKind.STAMP_REDEEM):
            session.execute(update(RewardRow).where(RewardRow.reward_id == original.reward_id,
                                                    RewardRow.stock.is_not(None))
                            .values(stock=RewardRow.stock + 1))
        return ledger.append(
            session, terminal_id=self.ctx.store.terminal_id, card=original.card, kind=EntryKind.VOID,
            at=now, stamps=-original.stamps, points=-original.points,
            reward_id=original.reward_id, staff_id=staff.staff_id, reason=reason,
            reverses=original.entry_id, reverses_kind=original.kind,
        )

    def last_entry(self, code_text: str) -> Entry | None:
        """The newest voidable, not yet voided entry of a card (for Undo last)."""
        code = normalize_code(code_text)
        with self.ctx.db.read() as session:
            rows = session.execute(
                select(LedgerRow.entry_id).where(LedgerRow.card == code,
                                                 LedgerRow.kind.in_([k.value for k in VOIDABLE_KINDS
                                                                     if k is not EntryKind.BONUS]))
                .order_by(LedgerRow.at.desc(), LedgerRow.id.desc()).limit(20)
            ).scalars()
            for entry_id in rows:
                if not ledger.is_voided(session, entry_id):
                    return ledger.get_entry(session, entry_id)
        return None

    def adjust(self, grant: Grant, code_text: str, points: int, reason: str, stamps: int = 0) -> Entry:
        code = normalize_code(code_text)
        reason = _check_reason(reason)
        for name, value in (("points", points), ("stamps", stamps)):
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 10_000_000:
                raise LoyaltyError(ErrorCode.INVALID_INPUT, f"The {name} change must be a whole number.")
        if not points and not stamps:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, "An adjustment must change points or stamps.")
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.ADJUST)
            load_card(session, code)
            bal = ledger.balance(session, code)
            if bal.points + points < 0 or bal.stamps + stamps < 0:
                raise LoyaltyError(ErrorCode.INSUFFICIENT_BALANCE,
                                   f"The card has {bal.points} points and {bal.stamps} stamps; "
                                   "an adjustment cannot make a balance negative.")
            return ledger.append(session, terminal_id=self.ctx.store.terminal_id, card=code,
                                 kind=EntryKind.ADJUST, at=self.auth.checked_now(session), points=points,
                                 stamps=stamps, staff_id=staff.staff_id, reason=reason)

    def edit_program(self, grant: Grant, program_id: str, **changes: Any) -> None:
        unknown = set(changes) - set(PROGRAM_FIELDS) - {"name", "points_expiry_mode"}
        if unknown:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, f"Unknown program settings: {', '.join(sorted(unknown))}.")
        for name, value in changes.items():
            if name == "points_expiry_mode":
                from terminal.services.expiry import check_mode

                changes[name] = check_mode(value)
            elif name != "name":
                _check_int(name, value, *PROGRAM_FIELDS[name])
            else:
                changes[name] = check_label(value, "The program name", "A program needs a name.")
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            row = _program_row(session, program_id)
            old = {name: getattr(row, name) for name in changes}
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = self.ctx.clock.now()
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.PROGRAM_CHANGED,
                         staff.staff_id, program_id, old=old, new=changes)

    def save_reward(self, grant: Grant, program_id: str, name: str, cost_stamps: int = 0,
                    cost_points: int = 0, stock: int | None = None, valid_from: datetime | None = None,
                    valid_until: datetime | None = None, reward_id: str | None = None) -> str:
        """Add a reward, or change one when ``reward_id`` is given."""
        change = reward_changes.check(reward_changes.RewardChange(name, cost_stamps, cost_points, stock, valid_from,
                                                                  valid_until, reward_id))
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            _program_row(session, program_id)
            return reward_changes.write(session, self.ctx, staff.staff_id, program_id, change)

    def retire_reward(self, grant: Grant, reward_id: str) -> None:
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            reward_changes.retire(session, self.ctx, staff.staff_id, reward_id)

    def set_tiers(self, grant: Grant, program_id: str, tiers: list[tuple[str, int, int]]) -> None:
        """Replace a program's tiers: (name, lifetime points threshold, multiplier percent)."""
        tiers = [(check_label(name, "The tier name", "Every tier needs a name."), threshold, multiplier)
                 for name, threshold, multiplier in tiers]
        for _name, threshold, multiplier in tiers:
            _check_int("tier threshold", threshold, 0, False)
            _check_int("tier multiplier (percent)", multiplier, 100, False)
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EDIT_PROGRAM)
            _program_row(session, program_id)
            session.execute(delete(TierRow).where(TierRow.program_id == program_id))
            session.add_all(TierRow(program_id=program_id, name=n, min_lifetime_points=t,
                                    multiplier_percent=m) for n, t, m in tiers)
            audit.record(session, self.ctx.store.terminal_id, self.ctx.clock.now(), AuditKind.PROGRAM_CHANGED,
                         staff.staff_id, program_id, tiers=tiers)

    def expire_points(self) -> list[Entry]:
        """Write the expire entries due now (any till may: see terminal/services/expiry.py)."""
        from terminal.services.expiry import ExpiryService

        return ExpiryService(self.ctx).run()


def _voidable(session: Session, entry_id: str) -> Entry:
    original = ledger.get_entry(session, entry_id) if isinstance(entry_id, str) else None
    if original is None:
        raise LoyaltyError(ErrorCode.ENTRY_NOT_FOUND, "No such ledger entry.")
    if original.kind not in VOIDABLE_KINDS:
        raise LoyaltyError(ErrorCode.NOT_VOIDABLE, f"A {original.kind} entry cannot be voided.")
    if ledger.is_voided(session, entry_id):
        raise LoyaltyError(ErrorCode.NOT_VOIDABLE, "This entry was already voided.")
    return original


def _program_row(session: Session, program_id: str) -> ProgramRow:
    row = session.get(ProgramRow, program_id)
    if row is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, "That loyalty program does not exist.")
    return row
