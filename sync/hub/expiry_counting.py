"""Keyed expire entries at the hub: of one card's entries with the same key only the first counts.

The rule lives in ``ledger_chain.expiry`` so tills and hub apply the same one;
docs/sync.md ("Points expiry") explains the design.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ledger_chain.expiry import EXPIRE_KIND, counted_change, is_keyed
from sync.hub.schema import entries
from sync.protocol import Entry


def counted_points(conn: Connection, merchant_id: str, new_entries: Sequence[Entry]) -> dict[str, int]:
    """The points each new keyed expire entry adds to its card's balance (call after inserting them).

    The change a group of new entries makes is put on its first entry; the rest add nothing.
    """
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in new_entries:
        if is_keyed(entry.kind, entry.reason):
            groups[(entry.card, entry.reason or "")].append(entry)
    counted: dict[str, int] = {}
    for (card, reason), added in groups.items():
        new_ids = {e.entry_id for e in added}
        stored = conn.execute(sa.select(entries.c.entry_id, entries.c.points).where(
            entries.c.merchant_id == merchant_id, entries.c.card == card,
            entries.c.kind == EXPIRE_KIND, entries.c.reason == reason)).all()
        before = [(r.entry_id, r.points) for r in stored if r.entry_id not in new_ids]
        change = counted_change(before, [(e.entry_id, e.points) for e in added])
        counted.update({e.entry_id: (change if i == 0 else 0) for i, e in enumerate(added)})
    return counted
