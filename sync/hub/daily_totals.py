"""Period figures kept up to date at ingest: per store, store-local day, staff member, kind, campaign.

The console's dashboard and period reports read these small tables instead
of the ledger, so a month over twenty stores costs a few thousand rows
whatever the ledger holds. ``count`` runs inside the transaction that
stores the entries (a till's push, an append to the hub's own chain), so
the figures always agree with the entries the hub holds.

What counts, the same definitions as the till's period report
(terminal/services/period_report.py):

- ``day`` is the calendar day of the entry's ``at`` in its store's time zone
  as the hub knows it when the entry arrives (a later change of the zone does
  not move stored days);
- a void is not counted itself: it takes its target's figures off the day,
  store and staff member of the target (only the first void of an entry does);
- of keyed expire entries with the same card and key only the one with the
  smallest entry id counts (ledger_chain.expiry); when a smaller one arrives
  later, the figures move from the old winner to it;
- a card is "seen" on a day by any entry but an expiry or a void (a voided
  entry still saw its card), "redeemed" by a redeem or stamp_redeem, and
  "campaign:<id>" by that campaign's bonus.

``recount`` rebuilds every figure of a merchant from its entries (the schema
step's backfill, and what tests compare the incremental figures with).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ledger_chain.expiry import EXPIRE_KIND, is_keyed
from sync.hub.prepared import Prepared, any_of
from sync.hub.schema import daily_cards, daily_totals, daily_voided, entries, store_profiles, terminals
from sync.hub.visibility import chunks, insert_rows, one_of

VOID_KIND = "void"
BONUS_KIND = "bonus"
CAMPAIGN_PREFIX = "campaign:"
REDEMPTION_KINDS = ("redeem", "stamp_redeem")
_SUMS = ("entries", "stamps", "points", "amount")
_KEY = ("merchant_id", "store_id", "day", "staff_id", "kind", "campaign")
_CARD_KEY = ("merchant_id", "card", "what", "store_id", "day")
ALL_STORES = "*"


@dataclass(frozen=True)
class Row:
    """What one entry contributes: its own fields plus the store of its author."""

    entry_id: str
    store_id: str
    card: str
    kind: str
    stamps: int
    points: int
    amount: int | None
    staff_id: str | None
    reason: str | None
    reverses: str | None
    at: str


@lru_cache(maxsize=256)
def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@lru_cache(maxsize=65536)
def _day_of_minute(minute: str, zone: ZoneInfo) -> str:
    moment = datetime.fromisoformat(minute + ":00+00:00")
    return moment.astimezone(zone).date().isoformat()


def local_day(at: str, zone: ZoneInfo) -> str:
    """The store-local day (YYYY-MM-DD) of a wire time; every zone's offset is whole minutes."""
    return _day_of_minute(at[:16], zone)


_ZONES = Prepared(lambda dialect: sa.select(store_profiles.c.store_id, store_profiles.c.timezone)
                  .where(any_of(dialect, store_profiles.c.store_id, "stores")))


def store_zones(conn: Connection, store_ids: Iterable[str]) -> dict[str, ZoneInfo]:
    wanted = sorted(set(store_ids))
    found: dict[str, str | None] = (
        {row.store_id: row.timezone for row in conn.execute(_ZONES(conn), {"stores": wanted})} if wanted else {})
    return {s: zone_named(found.get(s)) for s in wanted}


def campaign_of(kind: str, reason: str | None) -> str:
    if kind == BONUS_KIND and reason and reason.startswith(CAMPAIGN_PREFIX):
        return reason[len(CAMPAIGN_PREFIX):][:64]
    return ""


class _Tally:
    """Deltas of one batch, written at the end with one upsert per table."""

    def __init__(self, merchant_id: str, zones: dict[str, ZoneInfo]) -> None:
        self.merchant_id = merchant_id
        self.zones = zones
        self.sums: dict[tuple[str, ...], list[int]] = {}
        self.cards: set[tuple[str, ...]] = set()

    def add(self, row: Row, sign: int = 1, *, seen: bool = True) -> None:
        day = local_day(row.at, self.zones[row.store_id])
        campaign = campaign_of(row.kind, row.reason)
        key = (self.merchant_id, row.store_id, day, row.staff_id or "", row.kind, campaign)
        sums = self.sums.setdefault(key, [0, 0, 0, 0])
        for i, value in enumerate((1, row.stamps, row.points, row.amount or 0)):
            sums[i] += sign * value
        if seen and sign > 0 and row.kind not in (EXPIRE_KIND, VOID_KIND):
            whats = ["seen"]
            if row.kind in REDEMPTION_KINDS:
                whats.append("redeemed")
            if campaign:
                whats.append(CAMPAIGN_PREFIX + campaign)
            self.cards.update((self.merchant_id, row.card, w, store, day)
                              for w in whats for store in (row.store_id, ALL_STORES))

    def write(self, conn: Connection, chained: bool = True) -> None:
        """Apply the deltas; ``chained`` False leaves new card rows without their previous day
        (``recount`` sets every one in a single statement at the end)."""
        if self.sums:
            rows = [dict(zip(_KEY, key, strict=True)) | dict(zip(_SUMS, sums, strict=True))
                    for key, sums in self.sums.items() if any(sums)]
            if rows:
                conn.execute(_ADD_TOTALS(conn), rows)
        if self.cards and chained:
            _chain_days(conn, self.merchant_id, self.cards)
        elif self.cards:
            # the driver's own executemany: a backfill writes millions of these, SQLAlchemy's
            # per-row parameter handling would be most of its time
            mark = "%s" if conn.dialect.name == "postgresql" else "?"
            conn.exec_driver_sql(f"INSERT INTO daily_cards ({', '.join(_CARD_KEY)}) VALUES "
                                 f"({', '.join([mark] * len(_CARD_KEY))}) ON CONFLICT DO NOTHING",
                                 sorted(self.cards))
        self.sums.clear()
        self.cards.clear()


def _insert(conn: Connection, table: sa.Table) -> Any:
    return _insert_for(conn.dialect.name, table)


def _insert_for(dialect: str, table: sa.Table) -> Any:
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def _add_totals(dialect: str) -> Any:
    statement = _insert_for(dialect, daily_totals)
    return statement.on_conflict_do_update(
        index_elements=list(_KEY), set_={name: daily_totals.c[name] + statement.excluded[name] for name in _SUMS})


_ADD_TOTALS = Prepared(_add_totals)


def _chain_days(conn: Connection, merchant_id: str, wanted: set[tuple[str, ...]]) -> None:
    """Store the (card, what, store, day) rows ``wanted`` that are new, each with the card's previous
    day of its chain, and move the previous day of the row after it (entries arrive out of order)."""
    by_chain: dict[tuple[str, str, str], set[str]] = {}
    for _m, card, what, store, day in wanted:
        by_chain.setdefault((card, what, store), set()).add(day)
    latest = _latest_days(conn, merchant_id, sorted({chain[0] for chain in by_chain}))
    # In order (every new day after the chain's last): the last day is all there is to know.
    late = [chain for chain, days in by_chain.items() if chain in latest and min(days) < latest[chain]]
    stored = _stored_days(conn, merchant_id, late)
    inserts, updates = [], []
    for chain, days in by_chain.items():
        have = stored.get(chain) or ({latest[chain]: None} if chain in latest else {})
        days = days - have.keys()
        previous: str | None = None
        for day in sorted(days | have.keys()):
            if day in days:
                inserts.append({"merchant_id": merchant_id, "card": chain[0], "what": chain[1],
                                "store_id": chain[2], "day": day, "prev_day": previous})
            elif chain in stored and have[day] != previous:
                updates.append({"m": merchant_id, "c": chain[0], "w": chain[1], "s": chain[2], "d": day,
                                "p": previous})
            previous = day
    insert_rows(conn, daily_cards, inserts)
    if updates:
        conn.execute(sa.update(daily_cards).where(
            daily_cards.c.merchant_id == sa.bindparam("m"), daily_cards.c.card == sa.bindparam("c"),
            daily_cards.c.what == sa.bindparam("w"), daily_cards.c.store_id == sa.bindparam("s"),
            daily_cards.c.day == sa.bindparam("d")).values(prev_day=sa.bindparam("p")), updates)


def _latest_days(conn: Connection, merchant_id: str, cards: list[str]) -> dict[tuple[str, str, str], str]:
    """(card, what, store) -> the chain's last stored day, for every chain of ``cards``."""
    found: dict[tuple[str, str, str], str] = {}
    for part in chunks(cards):
        for card, what, store, day in conn.execute(_LATEST_DAYS(conn), {"m": merchant_id, "cards": part}):
            found[(card, what, store)] = day
    return found


_LATEST_DAYS = Prepared(lambda dialect: sa.select(daily_cards.c.card, daily_cards.c.what, daily_cards.c.store_id,
                                                  sa.func.max(daily_cards.c.day))
                        .where(daily_cards.c.merchant_id == sa.bindparam("m"),
                               any_of(dialect, daily_cards.c.card, "cards"))
                        .group_by(daily_cards.c.card, daily_cards.c.what, daily_cards.c.store_id))


def _stored_days(conn: Connection, merchant_id: str,
                 chains: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], dict[str, str | None]]:
    """(card, what, store) -> {day: prev_day} of every stored row of ``chains`` (few: out-of-order days)."""
    c = daily_cards.c
    stored: dict[tuple[str, str, str], dict[str, str | None]] = {}
    for card, what, store in chains:
        for day, prev in conn.execute(sa.select(c.day, c.prev_day).where(
                c.merchant_id == merchant_id, c.card == card, c.what == what, c.store_id == store)):
            stored.setdefault((card, what, store), {})[day] = prev
    return stored


def _row(values: Any, store_id: str) -> Row:
    return Row(values["entry_id"], store_id, values["card"], values["kind"], int(values["stamps"]),
               int(values["points"]), values["amount"], values["staff_id"], values["reason"],
               values["reverses"], values["at"])


_ROW_COLUMNS = [entries.c[n] for n in ("entry_id", "card", "kind", "stamps", "points", "amount", "staff_id",
                                        "reason", "reverses", "at")]


def count(conn: Connection, merchant_id: str, store_id: str, new: Sequence[Any]) -> None:
    """Add ``new`` (entries just stored, by one author of ``store_id``) to the figures.

    Call inside the transaction that stored them, after they were inserted.
    """
    if not new:
        return
    rows = [_row(e.model_dump() if hasattr(e, "model_dump") else e, store_id) for e in new]
    targets = _rows_by_id(conn, merchant_id, [r.reverses for r in rows if r.kind == VOID_KIND and r.reverses])
    groups = _expiry_groups(conn, merchant_id, [r for r in rows if is_keyed(r.kind, r.reason)])
    zones = store_zones(conn, [store_id, *(t.store_id for t in targets.values()),
                               *(m.store_id for g in groups.values() for m in g)])
    tally = _Tally(merchant_id, zones)
    new_ids = {r.entry_id for r in rows}
    for row in rows:
        if row.kind == VOID_KIND:
            target = targets.get(row.reverses or "")
            # the void itself counts nothing: it takes its target off, once
            if (target is not None and target.kind != VOID_KIND and _first_void(conn, merchant_id, target.entry_id)
                    and (not is_keyed(target.kind, target.reason) or _is_winner(target, groups, conn, merchant_id))):
                tally.add(target, -1)
        elif is_keyed(row.kind, row.reason):
            continue  # settled per card and key below
        else:
            tally.add(row)
    for group in groups.values():
        old = [m for m in group if m.entry_id not in new_ids]
        before = min(old, key=lambda m: m.entry_id, default=None)
        after = min(group, key=lambda m: m.entry_id)
        if before is None or before.entry_id != after.entry_id:
            if before is not None:
                tally.add(before, -1)
            tally.add(after)
    tally.write(conn)


def _rows_by_id(conn: Connection, merchant_id: str, ids: list[str]) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for part in chunks(sorted(set(ids))):
        for values in conn.execute(sa.select(*_ROW_COLUMNS, terminals.c.store_id)
                                   .join(terminals, terminals.c.terminal_id == entries.c.terminal_id)
                                   .where(entries.c.merchant_id == merchant_id, one_of(conn, entries.c.entry_id, part))
                                   ).mappings():
            found[values["entry_id"]] = _row(values, values["store_id"])
    return found


def _expiry_groups(conn: Connection, merchant_id: str, keyed: list[Row]) -> dict[tuple[str, str], list[Row]]:
    """Every stored keyed expire entry of each (card, key) in ``keyed`` (the new ones are stored already)."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for card, reason in sorted({(r.card, r.reason or "") for r in keyed}):
        groups[(card, reason)] = [
            _row(v, v["store_id"]) for v in conn.execute(
                sa.select(*_ROW_COLUMNS, terminals.c.store_id)
                .join(terminals, terminals.c.terminal_id == entries.c.terminal_id)
                .where(entries.c.merchant_id == merchant_id, entries.c.card == card,
                       entries.c.kind == EXPIRE_KIND, entries.c.reason == reason)).mappings()]
    return groups


def _is_winner(target: Row, groups: dict[tuple[str, str], list[Row]], conn: Connection, merchant_id: str) -> bool:
    group = groups.get((target.card, target.reason or ""))
    if group is None:
        group = _expiry_groups(conn, merchant_id, [target])[(target.card, target.reason or "")]
    return min(m.entry_id for m in group) == target.entry_id


def _first_void(conn: Connection, merchant_id: str, entry_id: str) -> bool:
    statement = (_insert(conn, daily_voided).values(merchant_id=merchant_id, entry_id=entry_id)
                 .on_conflict_do_nothing(index_elements=["merchant_id", "entry_id"])
                 .returning(daily_voided.c.entry_id))
    return conn.execute(statement).first() is not None  # (rowcount is not reliable here on psycopg)


# ---- rebuilding from the ledger ------------------------------------------------

def recount(conn: Connection, merchant_id: str | None = None, batch: int = 20000) -> None:
    """Rebuild the figures of ``merchant_id`` (every merchant when None) from the stored entries.

    One pass over the entries in change order; voided entries and keyed expire
    entries that do not count are found first with two grouped queries.
    """
    for table in (daily_totals, daily_cards, daily_voided):
        delete = sa.delete(table)
        conn.execute(delete if merchant_id is None else delete.where(table.c.merchant_id == merchant_id))
    scope = [] if merchant_id is None else [entries.c.merchant_id == merchant_id]
    voids = entries.alias("voids")
    voided = {(m, e) for m, e in conn.execute(
        sa.select(voids.c.merchant_id, voids.c.reverses).distinct()
        .join(entries, sa.and_(entries.c.merchant_id == voids.c.merchant_id, entries.c.entry_id == voids.c.reverses))
        .where(voids.c.kind == VOID_KIND, entries.c.kind != VOID_KIND,
               *([voids.c.merchant_id == merchant_id] if merchant_id else [])))}
    winners = {(m, card, reason): first for m, card, reason, first in conn.execute(
        sa.select(entries.c.merchant_id, entries.c.card, entries.c.reason, sa.func.min(entries.c.entry_id))
        .where(entries.c.kind == EXPIRE_KIND, entries.c.reason.startswith("expiry:", autoescape=True), *scope)
        .group_by(entries.c.merchant_id, entries.c.card, entries.c.reason))}
    store_of = dict(conn.execute(sa.select(terminals.c.terminal_id, terminals.c.store_id)).all())
    zones = store_zones(conn, set(store_of.values()))
    tallies: dict[str, _Tally] = {}
    result = conn.execute(
        sa.select(entries.c.merchant_id, entries.c.terminal_id, *_ROW_COLUMNS).where(*scope)
        .order_by(entries.c.merchant_id, entries.c.change_id).execution_options(yield_per=batch))
    pending = 0
    for values in result.mappings():
        merchant = values["merchant_id"]
        tally = tallies.setdefault(merchant, _Tally(merchant, zones))
        row = _row(values, store_of[values["terminal_id"]])
        if row.kind == VOID_KIND:
            continue
        if is_keyed(row.kind, row.reason) and winners.get((merchant, row.card, row.reason)) != row.entry_id:
            continue
        if (merchant, row.entry_id) in voided:
            tally.add(row, seen=True)
            tally.add(row, -1)
        else:
            tally.add(row)
        pending += 1
        if pending >= batch:
            # cards are flushed as they come (a set of a million would be large); sums at the end
            _flush_cards(conn, tallies)
            pending = 0
    result.close()
    for tally in tallies.values():
        tally.write(conn, chained=False)
    _chain_all(conn, merchant_id)
    for part in chunks(sorted(voided), 5000):
        conn.execute(sa.insert(daily_voided), [{"merchant_id": m, "entry_id": e} for m, e in part])


def _flush_cards(conn: Connection, tallies: dict[str, _Tally]) -> None:
    for tally in tallies.values():
        sums, tally.sums = tally.sums, {}
        tally.write(conn, chained=False)
        tally.sums = sums


_CHAIN_ALL = """
UPDATE daily_cards SET prev_day = w.prev
FROM (SELECT merchant_id, card, what, store_id, day,
             LAG(day) OVER (PARTITION BY merchant_id, card, what, store_id ORDER BY day) AS prev
      FROM daily_cards {where}) AS w
WHERE daily_cards.merchant_id = w.merchant_id AND daily_cards.card = w.card AND daily_cards.what = w.what
  AND daily_cards.store_id = w.store_id AND daily_cards.day = w.day AND w.prev IS NOT NULL
"""


def _chain_all(conn: Connection, merchant_id: str | None) -> None:
    """Every card row's previous day in one statement (UPDATE ... FROM: PostgreSQL, SQLite 3.33+)."""
    where = "" if merchant_id is None else "WHERE merchant_id = :m"
    conn.execute(sa.text(_CHAIN_ALL.format(where=where)), {} if merchant_id is None else {"m": merchant_id})


# ---- reading ---------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """A merchant's store-local days ``first`` .. ``last`` (both included), all stores or one."""

    merchant_id: str
    first: date
    last: date
    store_id: str | None = None

    def where(self, table: sa.Table) -> list[Any]:
        found = [table.c.merchant_id == self.merchant_id,
                 table.c.day >= self.first.isoformat(), table.c.day <= self.last.isoformat()]
        if self.store_id is not None:
            found.append(table.c.store_id == self.store_id)
        return found


def sums(conn: Connection, scope: Scope, *by: str, kind: str | None = None) -> list[dict[str, Any]]:
    """Sums of ``entries``, ``stamps``, ``points``, ``amount`` grouped by kind and the columns ``by``
    (only of ``kind`` when given)."""
    columns = [daily_totals.c[name] for name in (*by, "kind")]
    where = scope.where(daily_totals) + ([daily_totals.c.kind == kind] if kind else [])
    # cast: PostgreSQL's sum of BIGINT is NUMERIC (a Decimal in Python)
    result = conn.execute(sa.select(*columns, *(sa.cast(sa.func.sum(daily_totals.c[n]), sa.BigInteger).label(n)
                                                for n in _SUMS))
                          .where(*where).group_by(*columns))
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]  # plain tuples: a period has thousands


def distinct_cards_of_stores(conn: Connection, scope: Scope, what: str, store_ids: list[str]) -> dict[str, int]:
    """Distinct cards of each of ``store_ids`` in the scope's days, in one query (one index range per store)."""
    c = daily_cards.c
    return {s: int(n) for s, n in conn.execute(
        sa.select(c.store_id, sa.func.count()).where(c.store_id.in_(store_ids), *first_in_range(scope, what))
        .group_by(c.store_id))} if store_ids else {}


def first_in_range(scope: Scope, what: str) -> list[Any]:
    """Rows of ``what`` in the scope's days that are their card's first day in it: one per card."""
    c = daily_cards.c
    return [c.merchant_id == scope.merchant_id, c.what == what, c.day >= scope.first.isoformat(),
            c.day <= scope.last.isoformat(), sa.or_(c.prev_day.is_(None), c.prev_day < scope.first.isoformat())]


def distinct_cards(conn: Connection, scope: Scope, what: str) -> int:
    """Cards with a ``what`` row in the scope: a plain count, no DISTINCT (see ``prev_day``)."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(daily_cards).where(
        daily_cards.c.store_id == (scope.store_id or ALL_STORES), *first_in_range(scope, what))).scalar_one())


def distinct_cards_per_day(conn: Connection, scope: Scope, what: str = "seen") -> dict[str, int]:
    c = daily_cards.c
    return {d: int(n) for d, n in conn.execute(
        sa.select(c.day, sa.func.count()).where(
            c.merchant_id == scope.merchant_id, c.what == what, c.store_id == (scope.store_id or ALL_STORES),
            c.day >= scope.first.isoformat(), c.day <= scope.last.isoformat()).group_by(c.day))}


def totals_snapshot(conn: Connection, merchant_id: str) -> tuple[list[tuple], list[tuple]]:
    """Every non-zero total row and every card row of a merchant, sorted (tests compare recounts with it)."""
    totals = sorted(tuple(r) for r in conn.execute(
        sa.select(*(daily_totals.c[n] for n in (*_KEY, *_SUMS))).where(daily_totals.c.merchant_id == merchant_id))
        if any(r[len(_KEY):]))
    cards = sorted(tuple(r) for r in conn.execute(
        sa.select(*(daily_cards.c[n] for n in (*_CARD_KEY, "prev_day")))
        .where(daily_cards.c.merchant_id == merchant_id)))
    return totals, cards

