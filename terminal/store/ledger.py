"""Appending to the ledger and the reads the counter rules need.

``append`` is the only way an entry is written: it continues the terminal's
hash chain, signs the entry with the till's key (terminal/store/chain_key.py)
and updates the balance cache in the caller's transaction, so all of it
commits or none does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, exists, func, insert, select, update
from sqlalchemy.orm import Session

from ledger_chain import GENESIS, entry_hash
from terminal.domain.clock import to_iso
from terminal.domain.ledger import Balance, Entry, EntryKind, lifetime_delta
from terminal.store.chain_key import sign_in
from terminal.store.models import AuditRow, CardBalance, LedgerRow

_L = LedgerRow.__table__
_B = CardBalance.__table__


# Statements are built once: every counter action runs them, and building and
# cache-keying a statement per call costs more than SQLite takes to run it.
_CHAIN_HEAD = (select(_L.c.seq, _L.c.hash).where(_L.c.terminal_id == bindparam("tid"))
               .order_by(_L.c.seq.desc()).limit(1))
_INSERT = insert(_L)
_ADD_TO_BALANCE = update(_B).where(_B.c.code == bindparam("card_code")).values(
    stamps=_B.c.stamps + bindparam("d_stamps"), points=_B.c.points + bindparam("d_points"),
    lifetime_points=_B.c.lifetime_points + bindparam("d_lifetime"),
).returning(_B.c.stamps, _B.c.points, _B.c.lifetime_points)
_BALANCE = select(_B.c.stamps, _B.c.points, _B.c.lifetime_points).where(_B.c.code == bindparam("card_code"))


def _connection(session: Session) -> Connection:
    session.flush()  # Core statements skip autoflush; rows added through the ORM must be there first
    return session.connection()


def chain_head(session: Session, terminal_id: str) -> tuple[int, str]:
    """(last seq, last hash) of ``terminal_id``'s chain, or (0, GENESIS)."""
    row = _connection(session).execute(_CHAIN_HEAD, {"tid": terminal_id}).first()
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


def append(session: Session, **fields) -> Entry:  # noqa: ANN003 - the keywords of append_with_balance
    return append_with_balance(session, **fields)[0]


def append_with_balance(
    session: Session, *, terminal_id: str, card: str, kind: EntryKind, at: datetime,
    stamps: int = 0, points: int = 0, amount: int | None = None, reward_id: str | None = None,
    staff_id: str | None = None, reason: str | None = None, reverses: str | None = None,
    reverses_kind: EntryKind | None = None, head: tuple[int, str] | None = None,
) -> tuple[Entry, Balance]:
    """Append an entry; return it with the card's balance after it.

    ``head`` is the chain head if the caller already read it in this transaction.
    """
    seq, prev = head or chain_head(session, terminal_id)
    values = {
        "entry_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": seq + 1, "card": card,
        "kind": kind, "stamps": stamps, "points": points, "amount": amount,
        "reward_id": reward_id, "staff_id": staff_id, "reason": reason, "reverses": reverses,
        "at": at,
    }
    digest = entry_hash(prev, wire_fields(values))
    sig = sign_in(session, terminal_id, "entries", seq + 1, prev, digest)
    conn = _connection(session)
    conn.execute(_INSERT, {**values, "kind": str(kind), "prev_hash": prev, "hash": digest, "sig": sig})
    lifetime = lifetime_delta(kind, points, reverses_kind, reason=reason, amount=amount)
    row = None
    if stamps or points or lifetime:
        row = conn.execute(_ADD_TO_BALANCE, {"card_code": card, "d_stamps": stamps, "d_points": points,
                                             "d_lifetime": lifetime}).first()
    entry = Entry(**values, prev_hash=prev, hash=digest)
    return entry, (Balance(*row) if row else balance(session, card))


def balance(session: Session, card: str) -> Balance:
    row = _connection(session).execute(_BALANCE, {"card_code": card}).first()
    return Balance(*row) if row else Balance()


# Built once: a fresh alias per call would give every query a new cache key
# and make SQLAlchemy compile it again each time.
_VOIDS = _L.alias("voids")
_NOT_VOIDED = ~exists().where(_VOIDS.c.reverses == _L.c.entry_id)
_IS_STAMP = and_(_L.c.card == bindparam("card"), _L.c.kind == EntryKind.STAMP.value, _NOT_VOIDED)
_LAST_STAMP = select(_L.c.at).where(_IS_STAMP).order_by(_L.c.at.desc()).limit(1)
_STAMPS_BETWEEN = select(func.count()).select_from(_L).where(
    _IS_STAMP, _L.c.at >= bindparam("start", type_=_L.c.at.type), _L.c.at < bindparam("end", type_=_L.c.at.type)
)


_STAMP_FACTS = select(_LAST_STAMP.scalar_subquery(), _STAMPS_BETWEEN.scalar_subquery(),
                      _CHAIN_HEAD.with_only_columns(_L.c.seq).scalar_subquery(),
                      _CHAIN_HEAD.with_only_columns(_L.c.hash).scalar_subquery())


def stamp_facts(session: Session, card: str, start: datetime, end: datetime,
                terminal_id: str) -> tuple[datetime | None, int, tuple[int, str]]:
    """In one round trip, for the stamp use case: when the card last got a stamp that was not voided
    (from any terminal), how many such stamps it got in [start, end), and this terminal's chain head."""
    params = {"card": card, "start": start, "end": end, "tid": terminal_id}
    last, count, seq, digest = _connection(session).execute(_STAMP_FACTS, params).one()
    return last, count, ((seq, digest) if seq is not None else (0, GENESIS))


_A = AuditRow.__table__
# The heads of this terminal's two chains: entries are written at the latest known time, so each
# chain's last row carries its latest time (both lookups use the (terminal_id, seq) keys).
_LATEST_OWN = select(
    select(_L.c.at).where(_L.c.terminal_id == bindparam("tid")).order_by(_L.c.seq.desc()).limit(1)
    .scalar_subquery(),
    select(_A.c.at).where(_A.c.terminal_id == bindparam("tid")).order_by(_A.c.seq.desc()).limit(1)
    .scalar_subquery(),
)


def latest_own_time(session: Session, terminal_id: str) -> datetime | None:
    """The time of this terminal's latest ledger entry or audit event, or None before its first."""
    entry_at, audit_at = _connection(session).execute(_LATEST_OWN, {"tid": terminal_id}).one()
    times = [t for t in (entry_at, audit_at) if t is not None]
    return max(times) if times else None


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
