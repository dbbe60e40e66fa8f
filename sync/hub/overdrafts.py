"""Overdrafts: a card's merchant-wide balance going below zero at the hub.

Each terminal checks balances before it spends, but two terminals offline
at the same time can both spend the same points. The hub keeps each card's
merchant-wide balance and, when a pushed debit takes it below zero, flags
the card — never absorbs it silently. The flag names the debit(s) that
overdrew it and the other terminals' debits on the card that the pushing
terminal had not yet pulled when it made them: the entries that met.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub import lifetime
from sync.hub.auth import TerminalPrincipal
from sync.hub.db import ChangeCounter
from sync.hub.expiry_counting import counted_points
from sync.hub.prepared import Prepared, any_of
from sync.hub.schema import balances, entries, overdrafts, terminals
from sync.hub.visibility import chunks, insert_rows
from sync.protocol import Entry, Overdraft

_BALANCES = Prepared(lambda dialect: sa.select(balances.c.card, balances.c.stamps, balances.c.points,
                                               balances.c.lifetime_points)
                     .where(balances.c.merchant_id == sa.bindparam("m"), any_of(dialect, balances.c.card, "cards")))
_UPDATE_BALANCE = (sa.update(balances)
                   .where(balances.c.merchant_id == sa.bindparam("m"), balances.c.card == sa.bindparam("c"))
                   .values(stamps=sa.bindparam("s"), points=sa.bindparam("p"), lifetime_points=sa.bindparam("l")))

_UPDATE_BALANCES_PG = (  # psycopg's parameter style, arrays in binary (see visibility.insert_rows)
    "UPDATE balances SET stamps = v.s, points = v.p, lifetime_points = v.l "
    "FROM unnest(CAST(%(c)b AS TEXT[]), CAST(%(s)b AS BIGINT[]), CAST(%(p)b AS BIGINT[]), CAST(%(l)b AS BIGINT[])) "
    "AS v(c, s, p, l) WHERE balances.merchant_id = %(m)s AND balances.card = v.c")


def settle_balances(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter,
                    new_entries: Sequence[Entry], now: str) -> list[Overdraft]:
    """Add the new entries to the card balances; flag and return any overdraft."""
    if not new_entries:
        return []
    cards = sorted({e.card for e in new_entries})
    stored: dict[str, tuple[int, int, int]] = {}
    for part in chunks(cards):
        for row in conn.execute(_BALANCES(conn), {"m": who.merchant_id, "cards": part}):
            stored[row.card] = (row.stamps, row.points, row.lifetime_points)
    running = {card: list(stored.get(card, (0, 0, 0))) for card in cards}
    for card, moved in lifetime.deltas(conn, who.merchant_id, new_entries).items():
        running[card][2] += moved
    overdrawn: dict[str, tuple[int, int, list[str]]] = {}
    keyed = counted_points(conn, who.merchant_id, new_entries)  # a duplicate expiry counts zero
    for entry in new_entries:
        balance = running[entry.card]
        points = keyed.get(entry.entry_id, entry.points)
        balance[0] += entry.stamps
        balance[1] += points
        if (entry.stamps < 0 and balance[0] < 0) or (points < 0 and balance[1] < 0):
            ids = overdrawn.get(entry.card, (0, 0, []))[2]
            overdrawn[entry.card] = (balance[0], balance[1], [*ids, entry.entry_id])
    _save(conn, who.merchant_id, stored, running)
    return [_flag(conn, who, counter, card, *found, now) for card, found in overdrawn.items()]


def _save(conn: Connection, merchant_id: str, stored: dict[str, tuple[int, int, int]],
          running: dict[str, list[int]]) -> None:
    # Plain insert + update (the merchant's lock makes the values current);
    # measured faster than an ON CONFLICT upsert on PostgreSQL.
    insert_rows(conn, balances, [{"merchant_id": merchant_id, "card": c, "stamps": b[0], "points": b[1],
                                  "lifetime_points": b[2]}
                                 for c, b in running.items() if c not in stored])
    changed = [{"m": merchant_id, "c": c, "s": b[0], "p": b[1], "l": b[2]}
               for c, b in running.items() if c in stored and tuple(b) != stored[c]]
    if changed and conn.dialect.name == "postgresql":  # one statement, not one per card (see insert_rows)
        conn.exec_driver_sql(_UPDATE_BALANCES_PG, {"m": merchant_id, "c": [r["c"] for r in changed],
                                           "s": [r["s"] for r in changed], "p": [r["p"] for r in changed],
                                           "l": [r["l"] for r in changed]})
    elif changed:
        conn.execute(_UPDATE_BALANCE, changed)


def _flag(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter, card: str,
          stamps: int, points: int, own_ids: list[str], now: str) -> Overdraft:
    pulled_through = conn.execute(sa.select(terminals.c.pulled_through)
                                  .where(terminals.c.terminal_id == who.terminal_id)).scalar_one()
    unseen_debits = conn.execute(
        sa.select(entries.c.entry_id)
        .where(entries.c.merchant_id == who.merchant_id, entries.c.card == card,
               entries.c.terminal_id != who.terminal_id,
               entries.c.change_id > pulled_through,
               sa.or_(entries.c.stamps < 0, entries.c.points < 0))
        .order_by(entries.c.change_id)).scalars().all()
    entry_ids = [*unseen_debits, *own_ids]
    change_id = counter.take()
    overdraft_id = conn.execute(sa.insert(overdrafts).values(
        merchant_id=who.merchant_id, card=card, stamps_balance=stamps, points_balance=points,
        entry_ids=json.dumps(entry_ids), terminal_id=who.terminal_id, flagged_at=now,
        change_id=change_id, kind="overdraft", effect_stamps=min(stamps, 0),
        effect_points=min(points, 0)).returning(overdrafts.c.overdraft_id)).scalar_one()
    return Overdraft(overdraft_id=overdraft_id, card=card, stamps_balance=stamps,
                     points_balance=points, entry_ids=entry_ids, flagged_at=now)
