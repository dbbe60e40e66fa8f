"""Pushed cards: the newest version wins, but a provisional record never beats a real one.

A till that did not know a card while offline collects on a provisional
record (no holder). Whatever it does to it locally (a suspend stamps a new
version) must not erase the real enrollment another till made: against a
real record, a provisional one may only change the status, and only when
its version is newer. A real record always replaces a provisional one (its
holder, program and enrollment), keeping a newer provisional status, since
a suspend is a real fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.auth import TerminalPrincipal
from sync.hub.db import ChangeCounter
from sync.hub.record_rules import origin_values
from sync.hub.schema import cards
from sync.hub.visibility import chunks, insert_rows, one_of
from sync.protocol import Card


def merge_cards(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter, records: Sequence[Card]) -> int:
    """Store the pushed cards by the rules above; return how many changed a row."""
    if not records:
        return 0
    newest: dict[str, Card] = {}
    for record in records:
        current = newest.get(record.code)
        if current is None or record.updated_at >= current.updated_at:
            newest[record.code] = record
    stored = {
        row.code: row
        for part in chunks(list(newest))
        for row in conn.execute(sa.select(cards.c.code, cards.c.status, cards.c.updated_at,
                                          cards.c.origin_terminal_id, cards.c.provisional)
                                .where(cards.c.merchant_id == who.merchant_id, one_of(conn, cards.c.code, part)))
    }
    applied, new_rows = 0, []
    for code, record in newest.items():
        row = stored.get(code)
        if row is None:
            new_rows.append({"merchant_id": who.merchant_id, "code": code, **_values(who, counter, record)})
            applied += 1
            continue
        values = _merged(who, record, row)
        if values is None:
            continue  # the hub holds what wins; acknowledged, not applied
        values.update(origin_values(who), change_id=counter.take())
        conn.execute(sa.update(cards).where(cards.c.merchant_id == who.merchant_id, cards.c.code == code)
                     .values(**values))
        applied += 1
    insert_rows(conn, cards, new_rows)
    return applied


def _values(who: TerminalPrincipal, counter: ChangeCounter, record: Card) -> dict[str, Any]:
    return {**_columns(record), **origin_values(who), "change_id": counter.take()}


def _columns(record: Card) -> dict[str, Any]:
    # Every field, also the optional ones the wire leaves out when unset, so clearing one sticks.
    return {name: getattr(record, name) for name in Card.model_fields if name != "code"}


def _merged(who: TerminalPrincipal, record: Card, row: Any) -> dict[str, Any] | None:
    """The columns ``record`` changes in the stored ``row``, or None when it changes nothing."""
    newer = (record.updated_at, who.terminal_id) > (row.updated_at, row.origin_terminal_id)
    if record.provisional and not row.provisional:
        return {"status": record.status, "updated_at": record.updated_at} if newer else None
    if row.provisional and not record.provisional:
        values = _columns(record)
        if not newer:  # a status set on the provisional record later still holds
            values.update(status=row.status, updated_at=row.updated_at)
        return values
    return _columns(record) if newer else None
