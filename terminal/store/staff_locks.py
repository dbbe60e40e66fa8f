"""A staff member's wrong-PIN count, shared by the store's tills through the sync.

Each till keeps its own count per staff member in ``staff_locks`` (one row
per till, tagged with a lock epoch); the store's count is the sum of the
rows in the highest epoch, so three guesses on one till and three on
another add up once both have synced. Rows only grow: merging keeps the
larger (epoch, failures) and the later ``locked_until``, so no till can
unlock the others by sending a lower count. Starting a new epoch is the
only way down; it is what an owner's unlock or PIN reset, or a right PIN,
does, and each is audited with the epoch it started (the hub accepts a
new epoch only with that audit event).

``staff.failed_attempts`` and ``staff.locked_until`` stay the cache the
PIN checks read: this module refreshes them whenever the rows change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from terminal.domain.clock import from_iso, to_iso
from terminal.domain.policy import LockoutPolicy
from terminal.store.models import StaffLock, StaffRow, SyncRecord

_SL, _S, _SR = StaffLock.__table__, StaffRow.__table__, SyncRecord.__table__

# Audit kinds that start a new lock epoch; their details carry ``epoch``.
RESET_KINDS = ("staff_unlocked", "pin_reset", "pin_changed", "pin_failures_cleared")


@dataclass(frozen=True)
class LockState:
    epoch: int
    failures: int  # the store's count in ``epoch``: the sum over its tills
    locked_until: datetime | None


@dataclass(frozen=True)
class LockRow:
    staff_id: str
    terminal_id: str
    epoch: int
    failures: int
    locked_until: str | None  # wire time text; sorts as time


def state(conn: Connection, staff_id: str) -> LockState:
    rows = conn.execute(select(_SL.c.epoch, _SL.c.failures, _SL.c.locked_until)
                        .where(_SL.c.staff_id == staff_id)).all()
    epoch = max((r.epoch for r in rows), default=0)
    current = [r for r in rows if r.epoch == epoch]
    until = max((r.locked_until for r in current if r.locked_until is not None), default=None)
    return LockState(epoch, sum(r.failures for r in current), from_iso(until) if until else None)


def _own(conn: Connection, staff_id: str, terminal_id: str) -> LockRow | None:
    row = conn.execute(select(_SL).where(_SL.c.staff_id == staff_id, _SL.c.terminal_id == terminal_id)).first()
    return None if row is None else LockRow(row.staff_id, row.terminal_id, row.epoch, row.failures,
                                            row.locked_until)


def _put(conn: Connection, row: LockRow) -> None:
    values = {"epoch": row.epoch, "failures": row.failures, "locked_until": row.locked_until}
    if conn.execute(update(_SL).where(_SL.c.staff_id == row.staff_id, _SL.c.terminal_id == row.terminal_id)
                    .values(**values)).rowcount == 0:
        conn.execute(insert(_SL).values(staff_id=row.staff_id, terminal_id=row.terminal_id, **values))


def _later(a: str | None, b: str | None) -> str | None:
    return max((t for t in (a, b) if t is not None), default=None)


def record_failure(conn: Connection, terminal_id: str, staff_id: str, locked_until: datetime | None) -> None:
    """Count one wrong PIN on this till in the current epoch; ``locked_until`` when it locked."""
    epoch = state(conn, staff_id).epoch
    own = _own(conn, staff_id, terminal_id)
    failures = own.failures + 1 if own is not None and own.epoch == epoch else 1
    kept = own.locked_until if own is not None and own.epoch == epoch else None
    until = _later(kept, None if locked_until is None else to_iso(locked_until))
    _put(conn, LockRow(staff_id, terminal_id, epoch, failures, until))


def start_epoch(conn: Connection, terminal_id: str, staff_id: str) -> int:
    """Clear the store's count by starting a new epoch (audit it with the number returned)."""
    epoch = state(conn, staff_id).epoch + 1
    _put(conn, LockRow(staff_id, terminal_id, epoch, 0, None))
    return epoch


def merged(mine: LockRow | None, theirs: LockRow) -> LockRow | None:
    """The row after merging ``theirs`` into ``mine``; None when nothing grows."""
    if mine is None:
        return theirs
    if theirs.epoch != mine.epoch:
        return theirs if theirs.epoch > mine.epoch else None
    grown = LockRow(mine.staff_id, mine.terminal_id, mine.epoch, max(mine.failures, theirs.failures),
                    _later(mine.locked_until, theirs.locked_until))
    return None if grown == mine else grown


def apply_remote(conn: Connection, rows: Iterable[LockRow], own_terminal_id: str, now: datetime,
                 policy: LockoutPolicy | None) -> None:
    """Merge rows pulled from the hub; a store count that crossed a lockout threshold here locks
    from ``now`` (recorded on this till's own row, so it travels too)."""
    by_staff: dict[str, list[LockRow]] = {}
    for row in rows:
        by_staff.setdefault(row.staff_id, []).append(row)
    for staff_id, theirs in by_staff.items():
        before = state(conn, staff_id)
        for row in theirs:
            grown = merged(_own(conn, staff_id, row.terminal_id), row)
            if grown is not None:
                _put(conn, grown)
        after = state(conn, staff_id)
        if policy is not None and _lockouts(after, policy) > (
                _lockouts(before, policy) if after.epoch == before.epoch else 0):
            until = now + policy.lock_period(_lockouts(after, policy))
            own = _own(conn, staff_id, own_terminal_id)
            mine = own if own is not None and own.epoch == after.epoch else None
            _put(conn, LockRow(staff_id, own_terminal_id, after.epoch, mine.failures if mine else 0,
                               _later(mine.locked_until if mine else None, to_iso(until))))
        refresh_cache(conn, staff_id)


def _lockouts(lock: LockState, policy: LockoutPolicy) -> int:
    return lock.failures // policy.max_failed_attempts


def refresh_cache(conn: Connection, staff_id: str) -> LockState:
    """Write the store's lock state into the staff row the PIN checks read."""
    lock = state(conn, staff_id)
    conn.execute(update(_S).where(_S.c.staff_id == staff_id)
                 .values(failed_attempts=lock.failures, locked_until=lock.locked_until))
    return lock


def pending_rows(conn: Connection, terminal_id: str, limit: int) -> list[dict[str, object]]:
    """This till's own rows not yet acknowledged by the hub, as wire mappings."""
    sr = _SR
    return [
        {"staff_id": r.staff_id, "terminal_id": r.terminal_id, "epoch": r.epoch, "failures": r.failures,
         "locked_until": r.locked_until, "updated_at": r.version}
        for r in conn.execute(
            select(_SL, sr.c.version).join(sr, (sr.c.kind == "locks") & (sr.c.key == _SL.c.staff_id))
            .where(_SL.c.terminal_id == terminal_id, sr.c.dirty == 1).order_by(sr.c.version).limit(limit))
    ]
