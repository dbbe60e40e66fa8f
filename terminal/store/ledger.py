"""Appending to the ledger and the reads the counter rules need.

``append`` is the only way an entry is written: it continues the terminal's
hash chain and updates the balance cache in the caller's transaction, so
both commit or neither does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from sync.chain import GENESIS, entry_hash
from terminal.domain.clock import to_iso
from terminal.domain.ledger import Balance, Entry, EntryKind, lifetime_delta
from terminal.store.models import CardBalance, LedgerRow

_L = LedgerRow.__table__
_B = CardBalance.__table__


def chain_head(session: Session, terminal_id: str) -> tuple[int, str]:
    """(last seq, last hash) of ``terminal_id``'s chain, or (0, GENESIS)."""
    row = session.execute(
        select(_L.c.seq, _L.c.hash).where(_L.c.terminal_id == terminal_id)
        .order_by(_L.c.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def wire_fields(entry: Entry | dict) -> dict:
    """The fields the hash covers, in their wire form."""
    get = entry.get if isinstance(entry, dict) else entry.__getattribute__
    at = get("at")
    return {
        "entry_id": get("entry_id"), "terminal_id": get("terminal_id"), "seq": get("seq"),
        "card": get("card"), "kind": str(get("kind")), "stamps": get("stamps"),
        "points": get("points"), "amount": get("amount"), "reward_id": get("reward_id"),
        "staff_id": get("staff_id"), "reason": get("reason"), "reverses": get("reverses"),
        "at": at if isinstance(at, str) else to_iso(at),
    }


def append(
    session: Session, *, terminal_id: str, card: str, kind: EntryKind, at: datetime,
    stamps: int = 0, points: int = 0, amount: int | None = None, reward_id: str | None = None,
    staff_id: str | None = None, reason: str | None = None, reverses: str | None = None,
    reverses_kind: EntryKind | None = None,
) -> Entry:
    seq, prev = chain_head(session, terminal_id)
    values = {
        "entry_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": seq + 1, "card": card,
        "kind": kind, "stamps": stamps, "points": points, "amount": amount,
        "reward_id": reward_id, "staff_id": staff_id, "reason": reason, "reverses": reverses,
        "at": at,
    }
    digest = entry_hash(prev, wire_fields(values))
    session.execute(insert(_L).values({**values, "kind": str(kind), "prev_hash": prev, "hash": digest}))
    _apply_to_balance(session, card, stamps, points, lifetime_delta(kind, points, reverses_kind))
    return Entry(**values, prev_hash=prev, hash=digest)


def _apply_to_balance(session: Session, card: str, stamps: int, points: int, lifetime: int) -> None:
    if not (stamps or points or lifetime):
        return
    session.execute(
        update(_B).where(_B.c.code == card).values(
            stamps=_B.c.stamps + stamps, points=_B.c.points + points,
            lifetime_points=_B.c.lifetime_points + lifetime,
        )
    )


def balance(session: Session, card: str) -> Balance:
    row = session.execute(select(_B.c.stamps, _B.c.points, _B.c.lifetime_points)
                          .where(_B.c.code == card)).first()
    return Balance(*row) if row else Balance()


def _not_voided():
    voids = aliased(LedgerRow)
    return ~exists().where(voids.reverses == LedgerRow.entry_id)


def last_stamp_at(session: Session, card: str) -> datetime | None:
    """When the card last got a stamp that was not voided, from any terminal."""
    return session.execute(
        select(LedgerRow.at)
        .where(LedgerRow.card == card, LedgerRow.kind == EntryKind.STAMP.value, _not_voided())
        .order_by(LedgerRow.at.desc()).limit(1)
    ).scalar()


def stamps_between(session: Session, card: str, start: datetime, end: datetime) -> int:
    """Stamps (not voided) the card got in [start, end), from any terminal."""
    return session.execute(
        select(func.count()).select_from(LedgerRow).where(
            and_(LedgerRow.card == card, LedgerRow.kind == EntryKind.STAMP.value,
                 LedgerRow.at >= start, LedgerRow.at < end), _not_voided()
        )
    ).scalar_one()


def get_entry(session: Session, entry_id: str) -> Entry | None:
    row = session.execute(select(_L).where(_L.c.entry_id == entry_id)).mappings().first()
    return row_to_entry(row) if row else None


def is_voided(session: Session, entry_id: str) -> bool:
    return session.execute(select(exists().where(_L.c.reverses == entry_id))).scalar_one()


def row_to_entry(row) -> Entry:  # noqa: ANN001
    return Entry(
        entry_id=row["entry_id"], terminal_id=row["terminal_id"], seq=row["seq"],
        card=row["card"], kind=EntryKind(row["kind"]), stamps=row["stamps"],
        points=row["points"], amount=row["amount"], reward_id=row["reward_id"],
        staff_id=row["staff_id"], reason=row["reason"], reverses=row["reverses"],
        at=row["at"], prev_hash=row["prev_hash"], hash=row["hash"],
    )
