"""Each card's lifetime points at the hub, kept in ``balances`` as entries arrive (schema v19).

Lifetime points decide a card's tier. They move as the till's
``terminal.domain.ledger.lifetime_delta`` says: an earn counts, a void of an
earn takes it back, a refund of an order's earn takes back its share, and a
replacement's pair moves them to the new card. ``settle_balances`` adds each
push's deltas in the same transaction, so the console's report counts the
tier mix of a period's members without reading their histories; ``recount``
rebuilds the column from the entries (the schema step's backfill, and what
the tests compare against).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.schema import balances, entries
from sync.hub.visibility import chunks, one_of
from sync.protocol import Entry
from terminal.domain.ledger import EARNING_KINDS, EntryKind, lifetime_delta

_VOID = EntryKind.VOID.value


def deltas(conn: Connection, merchant_id: str, new_entries: Sequence[Entry]) -> dict[str, int]:
    """How ``new_entries`` (already stored) move each card's lifetime points."""
    targets = sorted({e.reverses for e in new_entries if e.kind == _VOID and e.reverses})
    kinds: dict[str, str] = {}
    for part in chunks(targets):
        kinds.update(conn.execute(sa.select(entries.c.entry_id, entries.c.kind).where(
            entries.c.merchant_id == merchant_id, one_of(conn, entries.c.entry_id, part))).all())
    moved: dict[str, int] = defaultdict(int)
    for e in new_entries:
        reversed_kind = EntryKind(kinds[e.reverses]) if e.reverses in kinds else None
        delta = lifetime_delta(EntryKind(e.kind), e.points, reversed_kind, reason=e.reason, amount=e.amount)
        if delta:
            moved[e.card] += delta
    return moved


def recount(conn: Connection, batch: int = 20000) -> None:
    """Set every card's lifetime points from the stored entries (balances rows must exist)."""
    earns = {(m, e) for m, e in conn.execute(sa.select(entries.c.merchant_id, entries.c.entry_id).where(
        entries.c.kind.in_([k.value for k in EARNING_KINDS])))}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    result = conn.execute(sa.select(entries.c.merchant_id, entries.c.card, entries.c.kind, entries.c.points,
                                    entries.c.reverses, entries.c.reason, entries.c.amount)
                          .execution_options(yield_per=batch))
    for r in result:
        reversed_kind = EntryKind.EARN if (r.merchant_id, r.reverses) in earns else None
        delta = lifetime_delta(EntryKind(r.kind), r.points, reversed_kind, reason=r.reason, amount=r.amount)
        if delta:
            totals[(r.merchant_id, r.card)] += delta
    conn.execute(sa.update(balances).values(lifetime_points=0))
    rows = [{"m": m, "c": c, "l": total} for (m, c), total in totals.items() if total]
    for start in range(0, len(rows), batch):
        conn.execute(sa.update(balances).where(balances.c.merchant_id == sa.bindparam("m"),
                                               balances.c.card == sa.bindparam("c"))
                     .values(lifetime_points=sa.bindparam("l")), rows[start:start + batch])
