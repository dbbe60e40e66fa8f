"""Managing staff: add, rename, change or reset PINs, deactivate, unlock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.unset_pin import is_unset_pin_hash
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.pins import check_pin
from terminal.domain.staff import Permission, Role
from terminal.domain.text import check_text
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.store import staff_locks
from terminal.store.models import StaffRow


@dataclass(frozen=True)
class StaffInfo:
    staff_id: str
    name: str
    role: Role
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    pin_reset_required: bool = False  # asked at the hub: a new PIN at the next sign-in
    no_pin_yet: bool = False  # added at the hub: the first PIN needs an owner's approval here


def _info(row: StaffRow) -> StaffInfo:
    return StaffInfo(row.staff_id, row.name, Role(row.role), row.active, row.failed_attempts, row.locked_until,
                     bool(row.pin_reset_required), is_unset_pin_hash(row.pin_hash))


def check_name(name: str) -> str:
    cleaned = check_text(name, "The staff name")
    if not cleaned or len(cleaned) > 80:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "A staff name has 1 to 80 characters.")
    return cleaned


def insert_staff(session: Session, name: str, role: Role, pin_hash: str, now: datetime) -> StaffRow:
    """Add a staff row; the PIN was checked and hashed before the transaction."""
    name = check_name(name)
    taken = session.execute(select(StaffRow).where(func.lower(StaffRow.name) == name.lower(),
                                                   StaffRow.active)).first()
    if taken:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"There is already a staff member called {name}.")
    row = StaffRow(staff_id=str(uuid.uuid4()), name=name, role=str(Role(role)), active=True,
                   pin_hash=pin_hash, failed_attempts=0, locked_until=None, updated_at=now)
    session.add(row)
    return row


class StaffService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def list(self, include_inactive: bool = False) -> list[StaffInfo]:
        """Names for the PIN pad (no PIN needed to see who works here)."""
        with self.ctx.db.read() as session:
            query = select(StaffRow).order_by(StaffRow.name)
            if not include_inactive:
                query = query.where(StaffRow.active)
            return [_info(r) for r in session.execute(query).scalars()]

    def add(self, grant: Grant, name: str, role: Role, pin: str) -> StaffInfo:
        check_name(name)
        check_pin(pin)
        pin_hash = self.ctx.pins.hash(pin)  # before the transaction: Argon2 must not hold the write lock
        with self.ctx.db.write() as session:
            actor = self.auth.require(session, grant, Permission.MANAGE_STAFF)
            now = self.ctx.clock.now()
            row = insert_staff(session, name, role, pin_hash, now)
            session.flush()
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.STAFF_ADDED,
                         actor.staff_id, row.staff_id, name=row.name, role=row.role)
            return _info(row)

    def rename(self, grant: Grant, staff_id: str, name: str) -> StaffInfo:
        name = check_name(name)
        with self.ctx.db.write() as session:
            actor = self.auth.require(session, grant, Permission.MANAGE_STAFF)
            row = self._target(session, staff_id)
            old, row.name = row.name, name
            row.updated_at = self.ctx.clock.now()
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.STAFF_RENAMED,
                         actor.staff_id, staff_id, old=old, new=name)
            return _info(row)

    def change_own_pin(self, grant: Grant, new_pin: str) -> None:
        """A staff member changes their own PIN (the grant proves the old one). It is also how they
        answer the hub's request for a new PIN: then the new one must differ from the old."""
        check_pin(new_pin)
        with self.ctx.db.read() as session:
            row = self._target(session, grant.staff_id)
            asked, old_hash = row.pin_reset_required, row.pin_hash
        if asked and self.ctx.pins.verify(old_hash, new_pin):
            raise LoyaltyError(ErrorCode.PIN_REJECTED, "Choose a PIN different from your old one.")
        self._set_pin(grant, grant.staff_id, new_pin, None, AuditKind.PIN_CHANGED)

    def set_first_pin(self, approver: Grant, staff_id: str, pin: str) -> None:
        """The first PIN of a member added at the hub (whose PIN nobody knows), typed by them and
        approved by an owner's grant: otherwise anyone at the counter could take the account."""
        check_pin(pin)
        new_hash = self.ctx.pins.hash(pin)
        with self.ctx.db.write() as session:
            actor = self.auth.require(session, approver, Permission.MANAGE_STAFF)
            row = self._target(session, staff_id)
            if not is_unset_pin_hash(row.pin_hash):
                raise LoyaltyError(ErrorCode.INVALID_INPUT, f"{row.name} already has a PIN. "
                                   "They sign in with it; an owner can reset it on the Staff page.")
            row.pin_hash, row.pin_reset_required, row.failed_attempts, row.locked_until = new_hash, False, 0, None
            row.updated_at = self.ctx.clock.now()
            epoch = staff_locks.start_epoch(session.connection(), self.ctx.store.terminal_id, staff_id)
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.PIN_RESET,
                         actor.staff_id, staff_id, epoch=epoch, first_pin=True)

    def reset_pin(self, grant: Grant, staff_id: str, new_pin: str) -> None:
        """An owner sets a new PIN for someone, and clears their lockout."""
        self._set_pin(grant, staff_id, new_pin, Permission.MANAGE_STAFF, AuditKind.PIN_RESET)

    def _set_pin(self, grant: Grant, staff_id: str, pin: str, permission: Permission | None,
                 kind: AuditKind) -> None:
        check_pin(pin)
        new_hash = self.ctx.pins.hash(pin)
        own = staff_id == grant.staff_id
        with self.ctx.db.write() as session:
            # Changing one's own PIN needs no special right, only a fresh grant; it is the one thing a
            # member asked for a new PIN may do, and it answers that request.
            actor = self.auth.require(session, grant, permission or Permission.STAMP, pin_reset_pending=own)
            row = self._target(session, staff_id)
            row.pin_hash, row.failed_attempts, row.locked_until = new_hash, 0, None
            if own:
                row.pin_reset_required = False
            row.updated_at = self.ctx.clock.now()
            epoch = staff_locks.start_epoch(session.connection(), self.ctx.store.terminal_id, staff_id)
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, kind, actor.staff_id, staff_id,
                         epoch=epoch)

    def deactivate(self, grant: Grant, staff_id: str) -> None:
        with self.ctx.db.write() as session:
            actor = self.auth.require(session, grant, Permission.MANAGE_STAFF)
            row = self._target(session, staff_id)
            if row.role == Role.OWNER and _active_owners(session) <= 1:
                raise LoyaltyError(ErrorCode.LAST_OWNER,
                                   "This is the only owner. Add another owner before deactivating this one.")
            row.active = False
            row.updated_at = self.ctx.clock.now()
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.STAFF_DEACTIVATED,
                         actor.staff_id, staff_id)

    def unlock(self, grant: Grant, staff_id: str) -> None:
        with self.ctx.db.write() as session:
            actor = self.auth.require(session, grant, Permission.UNLOCK)
            row = self._target(session, staff_id)
            row.failed_attempts, row.locked_until = 0, None
            row.updated_at = self.ctx.clock.now()
            # A new lock epoch: the unlock travels to the other tills, and the hub takes it because
            # this audit event names it.
            epoch = staff_locks.start_epoch(session.connection(), self.ctx.store.terminal_id, staff_id)
            audit.record(session, self.ctx.store.terminal_id, row.updated_at, AuditKind.STAFF_UNLOCKED,
                         actor.staff_id, staff_id, epoch=epoch)

    @staticmethod
    def _target(session: Session, staff_id: str) -> StaffRow:
        row = session.get(StaffRow, staff_id)
        if row is None or not row.active:
            raise LoyaltyError(ErrorCode.STAFF_NOT_FOUND, "No such active staff member.")
        return row


def _active_owners(session: Session) -> int:
    return session.execute(select(func.count()).select_from(StaffRow)
                           .where(StaffRow.active, StaffRow.role == Role.OWNER.value)).scalar_one()
