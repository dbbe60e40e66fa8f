"""Which cards a store sees: those it pushed entries for or fetched on a first scan.

Marking a card seen takes a change id, so the next pull of every terminal
of the store hands over the card's whole earlier history (see feed.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.db import ChangeCounter
from sync.hub.schema import store_cards

CHUNK = 500  # keeps IN lists well under every database's parameter limit


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_rows(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert many rows in one executemany (psycopg pipelines it: one round trip).

    Measured: multi-row VALUES (or SQLAlchemy's RETURNING batching) is
    slower here, because psycopg re-parses each long statement.
    """
    if rows:
        conn.execute(sa.insert(table), rows)


def mark_seen(conn: Connection, store_id: str, counter: ChangeCounter, cards: Iterable[str]) -> None:
    wanted = sorted(set(cards))
    known: set[str] = set()
    for part in chunks(wanted):
        known.update(conn.execute(
            sa.select(store_cards.c.card)
            .where(store_cards.c.store_id == store_id, store_cards.c.card.in_(part))).scalars())
    rows = [
        {"store_id": store_id, "card": card, "merchant_id": counter.merchant_id,
         "change_id": counter.take()}
        for card in wanted if card not in known
    ]
    insert_rows(conn, store_cards, rows)
