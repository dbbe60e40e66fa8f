"""The once-per-key rule of keyed expire entries (``ledger_chain.expiry``) against the local ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from ledger_chain.expiry import EXPIRE_KIND, KEY_PREFIX, counted_change, is_keyed, not_counted
from terminal.store.models import LedgerRow

_L = LedgerRow.__table__


def keyed_changes(conn: Connection, new: Sequence[Mapping[str, Any]]) -> tuple[set[str], dict[str, int]]:
    """For entries about to be inserted: the ids of the keyed expire entries among them and, per card,
    how much they move its points (instead of their own points). Call before inserting them."""
    groups: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for r in new:
        if is_keyed(str(r["kind"]), r["reason"]):
            groups[(r["card"], r["reason"])].append((r["entry_id"], r["points"]))
    change: dict[str, int] = defaultdict(int)
    for (card, reason), added in groups.items():
        before = conn.execute(select(_L.c.entry_id, _L.c.points).where(
            _L.c.card == card, _L.c.kind == EXPIRE_KIND, _L.c.reason == reason)).all()
        change[card] += counted_change([tuple(b) for b in before], added)
    return {entry_id for added in groups.values() for entry_id, _ in added}, dict(change)


def not_counted_ids(conn: Connection, cards: Iterable[str] | None = None) -> set[str]:
    """Ids of keyed expire entries that count zero (a later duplicate of their card and key)."""
    query = select(_L.c.card, _L.c.reason, _L.c.entry_id, _L.c.points).where(
        _L.c.kind == EXPIRE_KIND, _L.c.reason.startswith(KEY_PREFIX))
    if cards is not None:
        query = query.where(_L.c.card.in_(list(cards)))
    groups: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for card, reason, entry_id, points in conn.execute(query):
        groups[(card, reason)].append((entry_id, points))
    return set().union(*(not_counted(g) for g in groups.values())) if groups else set()
