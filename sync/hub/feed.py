"""Pull: what changed for a terminal since its cursor, and cards on demand.

Every change of a merchant has a change id (see db.py for why they commit
in order). A page holds the changes with ids in (cursor, next cursor]:

- entries by other terminals for the cards this store has seen, made
  after the store began to see the card;
- for a card the store has just begun to see (an entry pushed here, a
  first scan), the card's entries from before that moment, so a terminal
  never misses a card's history and gets each entry once;
- cards (enrollments) of the whole merchant, programs, staff, overdrafts.

A page may still repeat records the terminal has (a card fetched on demand
comes again with its history); applying is idempotent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub.auth import TerminalPrincipal
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.errors import HubError
from sync.hub.lock_merge import LOCK_FEED, lock_model
from sync.hub.prepared import Prepared, any_of
from sync.hub.schema import (
    balances,
    cards,
    entries,
    merchants,
    overdrafts,
    programs,
    staff,
    store_cards,
    terminals,
)
from sync.hub.stored_models import from_row
from sync.hub.visibility import chunks, mark_seen
from sync.protocol import (
    PROTOCOL_VERSION,
    Card,
    CardWithEntries,
    Entry,
    Overdraft,
    ProgramSettings,
    PullResponse,
    Staff,
)

log = logging.getLogger(__name__)
_ENTRY_COLUMNS = [entries.c[name] for name in Entry.model_fields]


def pull(engine: Engine, who: TerminalPrincipal, cursor: int, limit: int) -> PullResponse:
    with reading(engine) as conn:
        page = _page(conn, who, cursor, limit)
    if page.cursor > who.pulled_through:
        _remember_pulled(engine, who, page.cursor)
    return page


def _in_change_order(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.order_by(query.selected_columns.change_id).limit(sa.bindparam("limit"))


# Built once (prepared.py); run with m (merchant), store, terminal, cursor and limit.
_M: sa.BindParameter[str] = sa.bindparam("m")
_CURSOR: sa.BindParameter[int] = sa.bindparam("cursor")
_FEEDS = {kind: _in_change_order(query) for kind, query in {
    "entry": sa.select(*_ENTRY_COLUMNS, entries.c.change_id)
    .select_from(entries.join(store_cards, sa.and_(store_cards.c.store_id == sa.bindparam("store"),
                                                  store_cards.c.card == entries.c.card,
                                                  store_cards.c.change_id < entries.c.change_id)))
    .where(entries.c.merchant_id == _M, entries.c.change_id > _CURSOR,
           entries.c.terminal_id != sa.bindparam("terminal")),
    "seen": sa.select(store_cards.c.card, store_cards.c.change_id)
    .where(store_cards.c.store_id == sa.bindparam("store"), store_cards.c.change_id > _CURSOR),
    "card": sa.select(cards).where(cards.c.merchant_id == _M, cards.c.change_id > _CURSOR),
    "program": sa.select(programs).where(programs.c.merchant_id == _M, programs.c.change_id > _CURSOR),
    "staff": sa.select(staff).where(staff.c.merchant_id == _M, staff.c.store_id == sa.bindparam("store"),
                                    staff.c.change_id > _CURSOR),
    "overdraft": sa.select(overdrafts)
    .where(overdrafts.c.merchant_id == _M, overdrafts.c.change_id > _CURSOR,
           overdrafts.c.kind == "overdraft"),  # other flags: /sync/v1/flags (older tills read these)
    "lock": LOCK_FEED,
}.items()}
_LAST_CHANGE = sa.select(merchants.c.last_change_id).where(merchants.c.merchant_id == _M)


def _page(conn: Connection, who: TerminalPrincipal, cursor: int, limit: int) -> PullResponse:
    last = conn.execute(_LAST_CHANGE, {"m": who.merchant_id}).scalar_one()
    params = {"m": who.merchant_id, "store": who.store_id, "terminal": who.terminal_id, "cursor": cursor,
              "limit": limit}
    items: list[tuple[int, str, Mapping[str, Any]]] = []
    full = False
    for kind, query in _FEEDS.items():
        rows = conn.execute(query, params).mappings().all()
        full = full or len(rows) == limit
        items.extend((row["change_id"], kind, row) for row in rows)
    items.sort(key=lambda item: item[0])
    if full or len(items) > limit:
        # Every row not read has a larger id than the limit-th smallest read.
        items = items[:limit]
        next_cursor, has_more = items[-1][0], True
    else:
        next_cursor, has_more = last, False
    taken = _within_budget(conn, who, items, limit)
    if len(taken) < len(items):
        items = taken
        next_cursor, has_more = items[-1][0], True
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    for _, kind, row in items:
        by_kind.setdefault(kind, []).append(row)
    entry_rows = list(by_kind.get("entry", ()))
    seen = by_kind.get("seen", ())
    if seen:
        entry_rows += _history(conn, who, {r["card"]: r["change_id"] for r in seen})
    return PullResponse(
        v=PROTOCOL_VERSION, cursor=next_cursor, has_more=has_more,
        entries=_entries(entry_rows),
        cards=[_card(r) for r in by_kind.get("card", ())],
        programs=[p for p in map(_program, by_kind.get("program", ())) if p is not None],
        staff=[_staff(r) for r in by_kind.get("staff", ())],
        overdrafts=[overdraft_model(r) for r in by_kind.get("overdraft", ())],
        locks=[lock_model(r) for r in by_kind.get("lock", ())],
    )


_HISTORY_SIZES = Prepared(lambda dialect: sa.select(entries.c.card, sa.func.count())
                          .where(entries.c.merchant_id == _M, any_of(dialect, entries.c.card, "cards"),
                                 entries.c.terminal_id != sa.bindparam("terminal"))
                          .group_by(entries.c.card))


def _within_budget(conn: Connection, who: TerminalPrincipal,
                   items: list[tuple[int, str, Mapping[str, Any]]],
                   limit: int) -> list[tuple[int, str, Mapping[str, Any]]]:
    """The first items whose size, counting each newly seen card's history, fits ``limit``.

    At least one item is kept, so a card with a long history still moves on.
    """
    seen_cards = sorted(row["card"] for _, kind, row in items if kind == "seen")
    if not seen_cards:
        return items
    sizes: dict[str, int] = {}
    for part in chunks(seen_cards):
        sizes.update(conn.execute(_HISTORY_SIZES(conn), {"m": who.merchant_id, "cards": part,
                                                         "terminal": who.terminal_id}).all())
    used = 0
    for index, (_, kind, row) in enumerate(items):
        used += 1 + (sizes.get(row["card"], 0) if kind == "seen" else 0)
        if used > limit and index > 0:
            return items[:index]
    return items


_HISTORY = Prepared(lambda dialect: sa.select(*_ENTRY_COLUMNS, entries.c.change_id)
                    .where(entries.c.merchant_id == _M, any_of(dialect, entries.c.card, "cards"),
                           entries.c.terminal_id != sa.bindparam("terminal"),
                           entries.c.change_id < sa.bindparam("before")))


def _history(conn: Connection, who: TerminalPrincipal,
             seen_at: dict[str, int]) -> list[Mapping[str, Any]]:
    """Entries of newly seen cards from before they were seen (later ones are in the feed)."""
    rows: list[Mapping[str, Any]] = []
    for part in chunks(sorted(seen_at)):
        rows += conn.execute(_HISTORY(conn), {"m": who.merchant_id, "cards": part, "terminal": who.terminal_id,
                                              "before": max(seen_at[c] for c in part)}).mappings().all()
    return [row for row in rows if row["change_id"] < seen_at[row["card"]]]


_REMEMBER_PULLED = (sa.update(terminals)
                    .where(terminals.c.terminal_id == sa.bindparam("t"), terminals.c.pulled_through < _CURSOR)
                    .values(pulled_through=_CURSOR))


def _remember_pulled(engine: Engine, who: TerminalPrincipal, cursor: int) -> None:
    # What the terminal has been sent, so what it knew when it made the
    # entries it pushes next (the syncer pushes before it pulls; see overdrafts.py).
    with writing(engine) as conn:
        conn.execute(_REMEMBER_PULLED, {"t": who.terminal_id, "cursor": cursor})


def fetch_card(engine: Engine, who: TerminalPrincipal, code: str) -> CardWithEntries:
    """A card and all its entries; from now on this store sees the card."""
    with writing(engine) as conn:
        counter = ChangeCounter(conn, who.merchant_id)
        card_row = conn.execute(sa.select(cards).where(cards.c.merchant_id == who.merchant_id,
                                                       cards.c.code == code)).mappings().one_or_none()
        entry_rows = conn.execute(sa.select(*_ENTRY_COLUMNS)
                                  .where(entries.c.merchant_id == who.merchant_id,
                                         entries.c.card == code)).mappings().all()
        if card_row is None and not entry_rows:
            raise HubError(404, "card_not_found",
                           f"no card {code} is enrolled at this merchant; check the code or enroll it")
        balance = conn.execute(sa.select(balances.c.stamps, balances.c.points)
                               .where(balances.c.merchant_id == who.merchant_id,
                                      balances.c.card == code)).one_or_none()
        mark_seen(conn, who.store_id, counter, [code])
        counter.save()
    return CardWithEntries(
        v=PROTOCOL_VERSION,
        card=_card(card_row) if card_row is not None else None,
        entries=_entries(entry_rows),
        stamps_balance=balance.stamps if balance else 0,
        points_balance=balance.points if balance else 0,
    )


def _entries(rows: list[Mapping[str, Any]]) -> list[Entry]:
    unique = {row["entry_id"]: row for row in rows}
    ordered = sorted(unique.values(), key=lambda r: (r["terminal_id"], r["seq"]))
    return [from_row(Entry, r) for r in ordered]


def _card(row: Mapping[str, Any]) -> Card:
    return from_row(Card, row)


def _program(row: Mapping[str, Any]) -> ProgramSettings | None:
    """The stored program, checked like a pushed one; None for one a hub before the limits took in.

    Such a row (settings nested 500 deep) once made every pull of the
    merchant fail; now only that program stays back, and the log says so.
    """
    values = {k: row[k] for k in ProgramSettings.model_fields}
    try:
        values["settings"] = json.loads(values["settings"])
        return ProgramSettings.model_validate(values)
    except (ValueError, RecursionError) as exc:
        log.error("program %r of merchant %s is not served: %s", row["program_id"], row["merchant_id"],
                  str(exc).splitlines()[0])
        return None


def _staff(row: Mapping[str, Any]) -> Staff:
    return from_row(Staff, row)


def overdraft_model(row: Mapping[str, Any]) -> Overdraft:
    values = {k: row[k] for k in Overdraft.model_fields}
    values["entry_ids"] = json.loads(values["entry_ids"])
    return Overdraft.model_construct(**values)
