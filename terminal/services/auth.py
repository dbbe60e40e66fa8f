"""PIN checks, lockout, and the grants that authorise every use case.

A grant is proof that a staff member confirmed with their PIN moments ago.
It is signed with a key that lives only in this process, so a grant cannot
be made up by other code, and it expires after ``grant_seconds``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Permission, Role, allows
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.context import ServiceContext
from terminal.store.models import StaffRow


@dataclass(frozen=True)
class Grant:
    staff_id: str
    name: str
    role: Role
    issued_at: datetime
    signature: str


def _locked_message(name: str, until: datetime, ctx: ServiceContext) -> str:
    local = until.astimezone(ctx.store.tz)
    return f"{name} is locked out after too many wrong PINs until {local:%H:%M}. An owner can unlock."


class Authenticator:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._key = secrets.token_bytes(32)

    def _sign(self, staff_id: str, role: Role, issued_at: datetime) -> str:
        message = f"{staff_id}|{role}|{issued_at.isoformat()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify_pin(self, staff_id: str, pin: str) -> Grant:
        """Check a PIN (slow: run off the GUI thread). Failures count toward lockout."""
        ctx = self.ctx
        with ctx.db.read() as session:
            staff = _load_staff(session, staff_id)
            now = ctx.clock.now()
            _refuse_locked(staff, now, ctx)
            pin_hash = staff.pin_hash
        # Argon2 runs outside any transaction so it never holds the write lock.
        matches = ctx.pins.verify(pin_hash, pin if isinstance(pin, str) else "")
        with ctx.db.write() as session:
            staff = _load_staff(session, staff_id)
            now = ctx.clock.now()
            _refuse_locked(staff, now, ctx)
            if staff.pin_hash != pin_hash:  # changed while we were hashing
                matches = ctx.pins.verify(staff.pin_hash, pin if isinstance(pin, str) else "")
            if not matches:
                self._record_failure(session, staff, now)
            else:
                self._record_success(session, staff, now, pin)
                return Grant(staff.staff_id, staff.name, Role(staff.role), now,
                             self._sign(staff.staff_id, Role(staff.role), now))
        raise self._failure_error(staff_id)

    def _record_success(self, session: Session, staff: StaffRow, now: datetime, pin: str) -> None:
        staff.failed_attempts = 0
        staff.locked_until = None
        if self.ctx.pins.needs_rehash(staff.pin_hash):
            staff.pin_hash = self.ctx.pins.hash(pin)
            staff.updated_at = now
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.PIN_REHASHED,
                         staff.staff_id, staff.staff_id)

    def _record_failure(self, session: Session, staff: StaffRow, now: datetime) -> None:
        if staff.locked_until is not None:  # an expired lockout starts a fresh count
            staff.failed_attempts, staff.locked_until = 0, None
        failed, until = self.ctx.lockout.after_failure(staff.failed_attempts, now)
        staff.failed_attempts = failed
        tid = self.ctx.store.terminal_id
        audit.record(session, tid, now, AuditKind.PIN_FAILED, None, staff.staff_id, attempts=failed)
        if until is not None:
            staff.locked_until = until
            audit.record(session, tid, now, AuditKind.STAFF_LOCKED, None, staff.staff_id, until=until)

    def _failure_error(self, staff_id: str) -> LoyaltyError:
        with self.ctx.db.read() as session:
            staff = _load_staff(session, staff_id)
        if staff.locked_until is not None and self.ctx.clock.now() < staff.locked_until:
            return LoyaltyError(ErrorCode.STAFF_LOCKED, _locked_message(staff.name, staff.locked_until, self.ctx),
                                locked_until=staff.locked_until, name=staff.name)
        left = self.ctx.settings.pin_max_failed_attempts - staff.failed_attempts
        return LoyaltyError(
            ErrorCode.PIN_INVALID,
            f"Wrong PIN for {staff.name}. {left} {'try' if left == 1 else 'tries'} left before lockout.",
            attempts_left=left, name=staff.name,
        )

    def require(self, session: Session, grant: Grant, permission: Permission | None) -> Row:
        """Check inside a use case's transaction that ``grant`` may do ``permission``.

        With ``permission`` None only the grant itself is checked (genuine, fresh, staff not locked):
        the use case decides from the returned staff row.
        """
        if not isinstance(grant, Grant) or not hmac.compare_digest(
            grant.signature, self._sign(grant.staff_id, grant.role, grant.issued_at)
        ):
            raise LoyaltyError(ErrorCode.NOT_PERMITTED, "Confirm this action with a staff PIN.")
        now = self.ctx.clock.now()
        if now - grant.issued_at > timedelta(seconds=self.ctx.settings.grant_seconds) or now < grant.issued_at:
            raise LoyaltyError(ErrorCode.GRANT_EXPIRED, "The PIN confirmation has expired. Enter the PIN again.")
        staff = _staff_facts(session, grant.staff_id)
        _refuse_locked(staff, now, self.ctx)
        role = Role(staff.role)
        if permission is not None and not allows(role, permission):
            raise LoyaltyError(
                ErrorCode.NOT_PERMITTED,
                f"{staff.name} is a {role}; only an owner may {permission.value.replace('_', ' ')}.",
                permission=permission.value,
            )
        return staff


def _load_staff(session: Session, staff_id: str) -> StaffRow:
    staff = session.get(StaffRow, staff_id) if isinstance(staff_id, str) else None
    if staff is None:
        raise LoyaltyError(ErrorCode.STAFF_NOT_FOUND, "No such staff member. Pick a name from the list.")
    if not staff.active:
        raise LoyaltyError(ErrorCode.STAFF_INACTIVE, f"{staff.name} is no longer active. Ask an owner.")
    return staff


_S = StaffRow.__table__
_STAFF = select(_S.c.staff_id, _S.c.name, _S.c.role, _S.c.active, _S.c.locked_until).where(
    _S.c.staff_id == bindparam("sid"))


def _staff_facts(session: Session, staff_id: str) -> Row:
    """The staff row's facts via a prebuilt Core query: ``require`` runs on every action."""
    session.flush()
    staff = session.connection().execute(_STAFF, {"sid": staff_id}).first() if isinstance(staff_id, str) else None
    if staff is None:
        raise LoyaltyError(ErrorCode.STAFF_NOT_FOUND, "No such staff member. Pick a name from the list.")
    if not staff.active:
        raise LoyaltyError(ErrorCode.STAFF_INACTIVE, f"{staff.name} is no longer active. Ask an owner.")
    return staff


def _refuse_locked(staff: StaffRow | Row, now: datetime, ctx: ServiceContext) -> None:
    if staff.locked_until is not None and now < staff.locked_until:
        raise LoyaltyError(ErrorCode.STAFF_LOCKED, _locked_message(staff.name, staff.locked_until, ctx),
                           locked_until=staff.locked_until, name=staff.name)
