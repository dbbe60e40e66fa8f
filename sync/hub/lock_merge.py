"""Wrong-PIN counts shared by a store's tills: stored so they never go down, served to the store.

Each till pushes its own row per staff member (see ``sync.protocol.StaffLock``
and terminal/store/staff_locks.py). The hub keeps one row per (staff
member, till) and merges monotonically: the larger (epoch, failures), the
later ``locked_until``. A row naming a new epoch (higher than any the hub
holds for that staff member) clears the store's count, so it is taken only
when the same till has pushed the audit event that started it (an owner's
unlock or PIN reset, or a right PIN, with that ``epoch`` in its details);
otherwise the push is refused for the ``locks`` stream and the till tries
again once its audit events are in. A till may push only its own rows, and
only for staff of its own store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.auth import TerminalPrincipal
from sync.hub.db import ChangeCounter
from sync.hub.errors import HubError
from sync.hub.schema import audit_events, staff, staff_locks
from sync.protocol import StaffLock

# Audit kinds that start a new lock epoch (terminal/store/staff_locks.py names the same).
RESET_KINDS = ("staff_unlocked", "pin_reset", "pin_changed", "pin_failures_cleared")


def merge_locks(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter,
                records: Sequence[StaffLock]) -> int:
    """Merge the pushed rows (after the push's audit events are stored); return how many grew."""
    applied = 0
    for record in records:
        if record.terminal_id != who.terminal_id:
            raise HubError(403, "foreign_terminal",
                           f"a lock row names terminal {record.terminal_id}; a terminal may push only "
                           "its own wrong-PIN counts", stream="locks")
        store = conn.execute(sa.select(staff.c.store_id).where(
            staff.c.merchant_id == who.merchant_id, staff.c.staff_id == record.staff_id)).scalar()
        if store != who.store_id:
            continue  # not (yet) a staff member of this till's store: nothing to count
        key = (staff_locks.c.merchant_id == who.merchant_id) & (staff_locks.c.staff_id == record.staff_id)
        top = conn.execute(sa.select(sa.func.max(staff_locks.c.epoch)).where(key)).scalar()
        if record.epoch > (top or 0) and not _audited(conn, who, record):
            raise HubError(409, "lock_reset_unaudited",
                           f"the wrong-PIN count of staff {record.staff_id} starts epoch {record.epoch}, but "
                           "no audit event of this terminal names that reset yet; push the audit events "
                           "first", stream="locks")
        stored = conn.execute(sa.select(staff_locks).where(
            key, staff_locks.c.terminal_id == who.terminal_id)).mappings().first()
        values = _grown(stored, record)
        if values is None:
            continue
        values.update(updated_at=record.updated_at, change_id=counter.take())
        if stored is None:
            conn.execute(sa.insert(staff_locks).values(
                merchant_id=who.merchant_id, staff_id=record.staff_id, terminal_id=who.terminal_id,
                store_id=who.store_id, **values))
        else:
            conn.execute(sa.update(staff_locks).where(key, staff_locks.c.terminal_id == who.terminal_id)
                         .values(**values))
        applied += 1
    return applied


def _grown(stored: sa.RowMapping | None, record: StaffLock) -> dict[str, Any] | None:
    """The columns after merging ``record`` into ``stored``; None when nothing grows."""
    mine = {"epoch": record.epoch, "failures": record.failures, "locked_until": record.locked_until}
    if stored is None or record.epoch > stored["epoch"]:
        return mine
    if record.epoch < stored["epoch"]:
        return None
    untils = [t for t in (stored["locked_until"], record.locked_until) if t is not None]
    grown = {"epoch": record.epoch, "failures": max(stored["failures"], record.failures),
             "locked_until": max(untils) if untils else None}
    return None if all(grown[k] == stored[k] for k in grown) else grown


def _audited(conn: Connection, who: TerminalPrincipal, record: StaffLock) -> bool:
    details = conn.execute(sa.select(audit_events.c.details).where(
        audit_events.c.terminal_id == who.terminal_id, audit_events.c.subject == record.staff_id,
        audit_events.c.kind.in_(RESET_KINDS))).scalars()
    for text in details:
        try:
            if json.loads(text).get("epoch") == record.epoch:
                return True
        except (ValueError, AttributeError):
            continue
    return False


# The pull feed's query (feed.py's parameters): lock rows of the till's store changed after the cursor.
LOCK_FEED = sa.select(staff_locks).where(staff_locks.c.merchant_id == sa.bindparam("m"),
                                         staff_locks.c.store_id == sa.bindparam("store"),
                                         staff_locks.c.change_id > sa.bindparam("cursor"))


def lock_model(row: Mapping[str, Any]) -> StaffLock:
    return StaffLock.model_construct(**{k: row[k] for k in StaffLock.model_fields})
