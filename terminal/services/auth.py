"""PIN checks, lockout, and the grants that authorise every use case.

A grant is proof that a staff member confirmed with their PIN moments ago.
It is signed with a key that lives only in this process, so a grant cannot
be made up by other code, and it expires after ``grant_seconds``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.policy import check_clock_behind, effective_now
from terminal.domain.staff import Permission, Role, allows
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.context import ServiceContext
from terminal.store import ledger, staff_locks
from terminal.store.models import StaffRow


@dataclass(frozen=True)
class Grant:
    staff_id: str
    name: str
    role: Role
    issued_at: datetime
    signature: str
    # A new PIN is asked before anything else (pin_reset.py): ``require`` refuses this member's
    # grants until then, whatever this flag says; it only tells the PIN pad to ask.
    pin_reset_required: bool = False


def _locked_message(name: str, until: datetime, ctx: ServiceContext) -> str:
    local = until.astimezone(ctx.store.tz)
    return f"{name} is locked out after too many wrong PINs until {local:%H:%M}. An owner can unlock."


def _disabled_error(name: str, failed: int) -> LoyaltyError:
    return LoyaltyError(
        ErrorCode.PIN_DISABLED,
        f"{name}'s PIN is disabled after {failed} wrong PINs. An owner must reset or unlock it "
        "(Staff page, or: loyalty-terminal staff unlock NAME).",
        name=name, failed_attempts=failed,
    )


class Authenticator:
    def __init__(self, ctx: ServiceContext, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ctx = ctx
        self._key = secrets.token_bytes(32)
        # Lockouts seen by this process also end by the monotonic clock, which moving the wall clock
        # forward does not move: staff_id -> monotonic time the lockout ends.
        self.monotonic = monotonic
        self._held: dict[str, float] = {}

    def checked_now(self, session: Session) -> datetime:
        """The time an action uses: refused when the clock is behind this till's last entry by more
        than the tolerance, else the latest known time (never earlier than that entry)."""
        now = self.ctx.clock.now()
        latest = ledger.latest_own_time(session, self.ctx.store.terminal_id)
        check_clock_behind(now, latest, timedelta(minutes=self.ctx.settings.clock_tolerance_minutes))
        return effective_now(now, latest)

    def _sign(self, staff_id: str, role: Role, issued_at: datetime) -> str:
        message = f"{staff_id}|{role}|{issued_at.isoformat()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify_pin(self, staff_id: str, pin: str) -> Grant:
        """Check a PIN (slow: run off the GUI thread). Failures count toward lockout."""
        ctx = self.ctx
        with ctx.db.read() as session:
            staff = _load_staff(session, staff_id)
            now = self.checked_now(session)
            self._refuse_locked(session, staff, now)
            pin_hash = staff.pin_hash
        # Argon2 runs outside any transaction so it never holds the write lock.
        matches = ctx.pins.verify(pin_hash, pin if isinstance(pin, str) else "")
        with ctx.db.write() as session:
            staff = _load_staff(session, staff_id)
            now = self.checked_now(session)
            self._refuse_locked(session, staff, now)
            if staff.pin_hash != pin_hash:  # changed while we were hashing
                matches = ctx.pins.verify(staff.pin_hash, pin if isinstance(pin, str) else "")
            if not matches:
                self._record_failure(session, staff, now)
            else:
                self._record_success(session, staff, now, pin)
                issued = ctx.clock.now()  # the grant's lifetime runs on the clock ``require`` reads
                return Grant(staff.staff_id, staff.name, Role(staff.role), issued,
                             self._sign(staff.staff_id, Role(staff.role), issued), staff.pin_reset_required)
        raise self._failure_error(staff_id)

    def _record_success(self, session: Session, staff: StaffRow, now: datetime, pin: str) -> None:
        if staff.failed_attempts or staff.locked_until is not None:
            # Clearing the store's count is a new lock epoch, audited: the other tills and the hub
            # accept a count going down only that way.
            epoch = staff_locks.start_epoch(session.connection(), self.ctx.store.terminal_id, staff.staff_id)
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.PIN_FAILURES_CLEARED,
                         staff.staff_id, staff.staff_id, failed=staff.failed_attempts, epoch=epoch)
        staff.failed_attempts = 0
        staff.locked_until = None
        self._held.pop(staff.staff_id, None)
        if self.ctx.pins.needs_rehash(staff.pin_hash):
            staff.pin_hash = self.ctx.pins.hash(pin)
            staff.updated_at = now
            audit.record(session, self.ctx.store.terminal_id, now, AuditKind.PIN_REHASHED,
                         staff.staff_id, staff.staff_id)

    def _record_failure(self, session: Session, staff: StaffRow, now: datetime) -> None:
        # The count goes on across lockouts (each one longer): only a right PIN or an owner resets it.
        # It is the store's count (every till's failures, as far as synced), not this till's alone.
        conn = session.connection()
        failed, until = self.ctx.lockout.after_failure(staff_locks.state(conn, staff.staff_id).failures, now)
        if until is None and self.ctx.lockout.is_disabled(failed) and not self._disabled(session, staff, failed):
            until = now + self.ctx.lockout.lock_period(failed)  # the last owner: the longest lockout
        staff.failed_attempts = failed
        tid = self.ctx.store.terminal_id
        staff_locks.record_failure(conn, tid, staff.staff_id, until)
        audit.record(session, tid, now, AuditKind.PIN_FAILED, None, staff.staff_id, attempts=failed)
        if until is not None:
            staff.locked_until = until
            self._held[staff.staff_id] = self.monotonic() + (until - now).total_seconds()
            audit.record(session, tid, now, AuditKind.STAFF_LOCKED, None, staff.staff_id, until=until)
        elif self._disabled(session, staff, failed) and not self.ctx.lockout.is_disabled(failed - 1):
            audit.record(session, tid, now, AuditKind.STAFF_LOCKED, None, staff.staff_id, disabled=True)

    def _failure_error(self, staff_id: str) -> LoyaltyError:
        with self.ctx.db.read() as session:
            staff = _load_staff(session, staff_id)
            now = effective_now(self.ctx.clock.now(), ledger.latest_own_time(session, self.ctx.store.terminal_id))
            try:
                self._refuse_locked(session, staff, now)
            except LoyaltyError as exc:
                return exc
        left = self.ctx.lockout.attempts_left(staff.failed_attempts)
        return LoyaltyError(
            ErrorCode.PIN_INVALID,
            f"Wrong PIN for {staff.name}. {left} {'try' if left == 1 else 'tries'} left before lockout.",
            attempts_left=left, name=staff.name,
        )

    def _disabled(self, session: Session, staff: StaffRow | Row, failed: int | None = None) -> bool:
        """Whether the PIN is disabled by its failures. The last active owner's never is (nobody could
        reset it): they stay in day-long lockouts, five guesses a day."""
        if not self.ctx.lockout.is_disabled(staff.failed_attempts if failed is None else failed):
            return False
        return staff.role != Role.OWNER.value or _active_owners(session) > 1

    def _refuse_locked(self, session: Session, staff: StaffRow | Row, now: datetime) -> None:
        """Refuse a disabled PIN, and a lockout that has not ended by both the latest known time and
        (when this process saw it begin) the monotonic clock."""
        if self._disabled(session, staff):
            raise _disabled_error(staff.name, staff.failed_attempts)
        until = staff.locked_until
        if until is None:
            self._held.pop(staff.staff_id, None)  # unlocked by an owner
            return
        held = self._held.get(staff.staff_id)
        if now < until or (held is not None and self.monotonic() < held):
            raise LoyaltyError(ErrorCode.STAFF_LOCKED, _locked_message(staff.name, until, self.ctx),
                               locked_until=until, name=staff.name)

    def require(self, session: Session, grant: Grant, permission: Permission | None,
                pin_reset_pending: bool = False) -> Row:
        """Check inside a use case's transaction that ``grant`` may do ``permission``.

        With ``permission`` None only the grant itself is checked (genuine, fresh, staff not locked):
        the use case decides from the returned staff row. A member asked for a new PIN may do
        nothing else until they chose it (only ``pin_reset_pending`` use cases accept them).
        """
        if not isinstance(grant, Grant) or not hmac.compare_digest(
            grant.signature, self._sign(grant.staff_id, grant.role, grant.issued_at)
        ):
            raise LoyaltyError(ErrorCode.NOT_PERMITTED, "Confirm this action with a staff PIN.")
        self.checked_now(session)  # a clock behind the till's last entry is named before anything else
        now = self.ctx.clock.now()
        if now - grant.issued_at > timedelta(seconds=self.ctx.settings.grant_seconds) or now < grant.issued_at:
            raise LoyaltyError(ErrorCode.GRANT_EXPIRED, "The PIN confirmation has expired. Enter the PIN again.")
        staff = _staff_facts(session, grant.staff_id)
        self._refuse_locked(session, staff, now)
        if staff.pin_reset_required and not pin_reset_pending:
            raise LoyaltyError(ErrorCode.PIN_RESET_REQUIRED,
                               f"{staff.name} must choose a new PIN first. Sign in again to choose it.",
                               name=staff.name)
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
_STAFF = select(_S.c.staff_id, _S.c.name, _S.c.role, _S.c.active, _S.c.locked_until, _S.c.failed_attempts,
               _S.c.pin_reset_required).where(_S.c.staff_id == bindparam("sid"))


def _staff_facts(session: Session, staff_id: str) -> Row:
    """The staff row's facts via a prebuilt Core query: ``require`` runs on every action."""
    session.flush()
    staff = session.connection().execute(_STAFF, {"sid": staff_id}).first() if isinstance(staff_id, str) else None
    if staff is None:
        raise LoyaltyError(ErrorCode.STAFF_NOT_FOUND, "No such staff member. Pick a name from the list.")
    if not staff.active:
        raise LoyaltyError(ErrorCode.STAFF_INACTIVE, f"{staff.name} is no longer active. Ask an owner.")
    return staff


def _active_owners(session: Session) -> int:
    return session.execute(select(func.count()).select_from(StaffRow)
                           .where(StaffRow.active, StaffRow.role == Role.OWNER.value)).scalar_one()
