"""The audit log: an append-only, hash-chained record of who did what."""

from __future__ import annotations

import enum
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ledger_chain import GENESIS, audit_hash
from terminal.domain.clock import to_iso
from terminal.store.chain_key import sign_in
from terminal.store.models import AuditRow

_A = AuditRow.__table__


class AuditKind(enum.StrEnum):
    STORE_CREATED = "store_created"
    PIN_FAILED = "pin_failed"
    STAFF_LOCKED = "staff_locked"
    STAFF_UNLOCKED = "staff_unlocked"
    STAFF_ADDED = "staff_added"
    STAFF_RENAMED = "staff_renamed"
    STAFF_DEACTIVATED = "staff_deactivated"
    PIN_CHANGED = "pin_changed"
    PIN_RESET = "pin_reset"
    PIN_REHASHED = "pin_rehashed"
    PIN_FAILURES_CLEARED = "pin_failures_cleared"
    PROGRAM_CHANGED = "program_changed"
    REWARD_CHANGED = "reward_changed"
    CARD_STATUS_CHANGED = "card_status_changed"
    CARD_REPLACED = "card_replaced"
    CONTACT_CHANGED = "contact_changed"
    ACTION_REFUSED = "action_refused"
    EXPORT = "export"


def record(
    session: Session, terminal_id: str, at: datetime, kind: AuditKind,
    staff_id: str | None = None, subject: str | None = None, **details: Any,
) -> None:
    head = session.execute(
        select(_A.c.seq, _A.c.hash).where(_A.c.terminal_id == terminal_id)
        .order_by(_A.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    values = {
        "event_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": seq + 1,
        "kind": str(kind), "staff_id": staff_id, "subject": subject,
        "details": json.dumps(details, sort_keys=True, separators=(",", ":"), default=str),
    }
    digest = audit_hash(prev, {**values, "at": to_iso(at)})
    sig = sign_in(session, terminal_id, "audit", seq + 1, prev, digest)
    session.execute(insert(_A).values(**values, at=at, prev_hash=prev, hash=digest, sig=sig))
