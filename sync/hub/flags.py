"""Flags: rules broken across tills, found when their entries meet at the hub.

Each till enforces its rules on what it knows; two tills offline at the same
time cannot know each other's entries. What they did is a fact (the ledger
is append-only, and both customers left with what they were given), so the
hub stores it, counts it in the balances as every till does, and flags it
for the owner — never absorbs it silently, never refuses it after the fact:

- ``overdraft`` (overdrafts.py): a card's merchant-wide balance below zero;
- ``double_void``: a second void of an entry already voided on another till;
  its effect is what the second void gave back (or took) again;
- ``daily_limit``: stamps beyond the program's daily limit per card, counted
  per local day in the pushing till's store time zone, as the till does;
- ``stock``: redemptions of a reward beyond its stock, counted at the hub
  from the program version that set the stock (see ``_stock``).

All flags share the ``overdrafts`` table and its ids; the older wire lists
(pull, push answers, ``/sync/v1/overdrafts``) carry overdrafts only, so an
older till keeps reading them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub.auth import TerminalPrincipal
from sync.hub.daily_totals import store_zones
from sync.hub.db import ChangeCounter
from sync.hub.prepared import Prepared, any_of
from sync.hub.schema import balances, cards, entries, overdrafts, programs
from sync.hub.visibility import chunks, insert_rows, one_of
from sync.protocol import Entry, Flag

# The till's ``max_daily_stamps`` default: the limit of a program that sets none. A till whose
# store-wide setting differs is not known to the hub; give the program its own limit to be exact.
DEFAULT_DAILY_STAMPS = 5
_REDEEM_KINDS = ("redeem", "stamp_redeem")
_WIRE_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


def raise_flags(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter,
                stored: Sequence[object], now: str) -> None:
    """Flag the rules the newly stored entries break together with entries already at the hub."""
    new_entries = [e for e in stored if isinstance(e, Entry)]
    if not new_entries:
        return
    new_ids = {e.entry_id for e in new_entries}
    found = [*_double_voids(conn, who, new_entries)]
    if any(e.kind == "stamp" or (e.kind in _REDEEM_KINDS and e.reward_id) for e in new_entries):
        known = _program_settings(conn, who.merchant_id)
        found += [*_daily_limits(conn, who, new_entries, new_ids, known),
                  *_stock(conn, who, new_entries, new_ids, known)]
    _insert(conn, who, counter, now, found)


def _insert(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter, now: str,
            found: list[dict[str, Any]]) -> None:
    if not found:
        return
    held: dict[str, tuple[int, int]] = {}
    for part in chunks(sorted({f["card"] for f in found})):
        held.update((r.card, (r.stamps, r.points)) for r in conn.execute(
            sa.select(balances.c.card, balances.c.stamps, balances.c.points)
            .where(balances.c.merchant_id == who.merchant_id, one_of(conn, balances.c.card, part))))
    insert_rows(conn, overdrafts, [{
        "merchant_id": who.merchant_id, "terminal_id": who.terminal_id, "flagged_at": now,
        "change_id": counter.take(), "stamps_balance": held.get(f["card"], (0, 0))[0],
        "points_balance": held.get(f["card"], (0, 0))[1], "kind": f["kind"], "card": f["card"],
        "entry_ids": json.dumps(f["entry_ids"]), "effect_stamps": f.get("effect_stamps", 0),
        "effect_points": f.get("effect_points", 0), "reward_id": f.get("reward_id"),
        "detail": json.dumps(f.get("detail", {}), sort_keys=True)} for f in found])


# ---- a second void ---------------------------------------------------------------

def _double_voids(conn: Connection, who: TerminalPrincipal, new_entries: Sequence[Entry]) -> Iterable[dict]:
    voids = [e for e in new_entries if e.kind == "void" and e.reverses]
    if not voids:
        return []
    targets = sorted({e.reverses for e in voids if e.reverses})
    by_target: dict[str, list[str]] = defaultdict(list)
    for part in chunks(targets):
        for row in conn.execute(sa.select(entries.c.reverses, entries.c.entry_id)
                                .where(entries.c.merchant_id == who.merchant_id, one_of(conn, entries.c.reverses, part))
                                .order_by(entries.c.change_id)):
            by_target[row.reverses].append(row.entry_id)
    found = []
    for void in voids:
        earlier = by_target[void.reverses or ""]
        first = earlier[0]
        if first != void.entry_id:
            found.append({"kind": "double_void", "card": void.card,
                          "entry_ids": [void.reverses, first, void.entry_id],
                          "effect_stamps": void.stamps, "effect_points": void.points,
                          "reward_id": void.reward_id, "detail": {"voided": void.reverses}})
    return found


# ---- stamps beyond the daily limit -------------------------------------------------

def _day_stamps(dialect: str) -> Any:
    voids = entries.alias("voids")
    return (sa.select(entries.c.entry_id, entries.c.card, entries.c.stamps, entries.c.at, cards.c.program_id)
            .select_from(entries.outerjoin(cards, sa.and_(cards.c.merchant_id == entries.c.merchant_id,
                                                          cards.c.code == entries.c.card)))
            .where(entries.c.merchant_id == sa.bindparam("m"), any_of(dialect, entries.c.card, "cards"),
                   entries.c.kind == "stamp", entries.c.stamps > 0,
                   entries.c.at >= sa.bindparam("start"), entries.c.at < sa.bindparam("end"),
                   ~sa.exists().where(voids.c.merchant_id == entries.c.merchant_id,
                                      voids.c.reverses == entries.c.entry_id))
            .order_by(entries.c.at, entries.c.change_id))


_DAY_STAMPS = Prepared(_day_stamps)


def _daily_limits(conn: Connection, who: TerminalPrincipal, new_entries: Sequence[Entry],
                  new_ids: set[str], known: list[tuple[str, str, dict[str, Any]]]) -> Iterable[dict]:
    stamps = [e for e in new_entries if e.kind == "stamp" and e.stamps > 0]
    if not stamps:
        return []
    tz = store_zones(conn, [who.store_id])[who.store_id]
    touched = {(e.card, _local_day(e.at, tz)) for e in stamps}
    days = sorted({day for _, day in touched})
    start = days[0].astimezone(UTC).strftime(_WIRE_TIME)
    end = (days[-1] + timedelta(days=1, hours=2)).replace(hour=0).astimezone(UTC).strftime(_WIRE_TIME)
    cards_touched = sorted({card for card, _ in touched})
    # one pass over the touched cards' stamps of those days (a push may carry thousands of stamps), each
    # with its card's program and without the voided ones: one statement per chunk
    rows: list[Any] = []
    for part in chunks(cards_touched):
        rows += conn.execute(_DAY_STAMPS(conn), {"m": who.merchant_id, "cards": part, "start": start, "end": end}).all()
    programs_of = {r.card: r.program_id or "" for r in rows}
    limits = {pid: s["daily_stamp_limit"] for pid, _, s in known if isinstance(s.get("daily_stamp_limit"), int)}
    per_day: dict[tuple[str, datetime], list[tuple[str, int]]] = defaultdict(list)
    for r in rows:
        key = (r.card, _local_day(r.at, tz))
        if key in touched:
            per_day[key].append((r.entry_id, r.stamps))
    found = []
    for (card, day), counted in sorted(per_day.items()):
        limit = int(limits.get(programs_of.get(card, ""), DEFAULT_DAILY_STAMPS))
        mine = [(i, n) for i, n in _beyond(counted, limit) if i in new_ids]
        if mine:
            found.append({"kind": "daily_limit", "card": card, "entry_ids": [i for i, _ in mine],
                          "effect_stamps": sum(n for _, n in mine),
                          "detail": {"limit": limit, "count": sum(n for _, n in counted),
                                     "day": day.date().isoformat()}})
    return found


def _voided(conn: Connection, merchant_id: str, ids: list[str]) -> set[str]:
    """Which of these entries a void reverses."""
    found: set[str] = set()
    for part in chunks(ids):
        found.update(conn.execute(sa.select(entries.c.reverses)
                                  .where(entries.c.merchant_id == merchant_id,
                                         one_of(conn, entries.c.reverses, part))).scalars())
    return found


def _beyond(counted: list[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    """The entries (and how many units of each) past the first ``limit`` units."""
    out, running = [], 0
    for entry_id, units in counted:
        over = min(units, running + units - limit)
        running += units
        if over > 0:
            out.append((entry_id, over))
    return out


def _local_day(at: str, tz: ZoneInfo) -> datetime:
    return _local_day_of_minute(at[:16], tz)  # every zone's offset is whole minutes


@lru_cache(maxsize=4096)
def _local_day_of_minute(minute: str, tz: ZoneInfo) -> datetime:
    # cached: a push of thousands of stamps falls in a few minutes' worth of distinct keys
    moment = datetime.fromisoformat(minute).replace(tzinfo=UTC).astimezone(tz)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


_PROGRAMS = (sa.select(programs.c.program_id, programs.c.updated_at, programs.c.settings)
             .where(programs.c.merchant_id == sa.bindparam("m")))


def _program_settings(conn: Connection, merchant_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    rows = conn.execute(_PROGRAMS, {"m": merchant_id}).all()
    out = []
    for row in rows:
        try:
            settings = json.loads(row.settings)
        except ValueError:
            continue
        if isinstance(settings, dict):
            out.append((row.program_id, row.updated_at, settings))
    return out


def _not_voided(conn: Connection, merchant_id: str, where: Any, order: tuple) -> list[tuple[str, int]]:
    """(entry_id, units) of the entries matching ``where`` that no void reverses, in ``order``."""
    rows = conn.execute(sa.select(entries.c.entry_id, entries.c.stamps)
                        .where(entries.c.merchant_id == merchant_id, where).order_by(*order)).all()
    voided = _voided(conn, merchant_id, [r.entry_id for r in rows])
    return [(r.entry_id, abs(r.stamps) or 1) for r in rows if r.entry_id not in voided]


# ---- a reward redeemed beyond its stock ---------------------------------------------

def _stock(conn: Connection, who: TerminalPrincipal, new_entries: Sequence[Entry],
           new_ids: set[str], known: list[tuple[str, str, dict[str, Any]]]) -> Iterable[dict]:
    """Stock is counted from the program version that stated it.

    The program record states each reward's stock as of the program's ``updated_at``
    (terminal/store/reward_stock.py); every redemption made at or after that time, on any till and
    net of voids (a second void gives nothing back twice), counts against it.
    """
    redeemed = {e.reward_id for e in new_entries if e.kind in _REDEEM_KINDS and e.reward_id}
    if not redeemed:
        return []
    stocks: dict[str, tuple[int, str, str]] = {}
    for _, version, settings in known:
        for reward in settings.get("rewards") or ():
            if (isinstance(reward, dict) and reward.get("reward_id") in redeemed
                    and isinstance(reward.get("stock"), int)):
                stocks[reward["reward_id"]] = (reward["stock"], version, str(reward.get("name", "")))
    found = []
    for reward_id in sorted(stocks):
        stock, since, name = stocks[reward_id]
        counted = [(i, 1) for i, _ in _not_voided(conn, who.merchant_id, sa.and_(
            entries.c.reward_id == reward_id, entries.c.kind.in_(_REDEEM_KINDS),
            entries.c.at >= since), order=(entries.c.at, entries.c.change_id))]
        mine = [i for i, _ in _beyond(counted, max(stock, 0)) if i in new_ids]
        by_card: dict[str, list[str]] = defaultdict(list)
        for e in new_entries:
            if e.entry_id in mine:
                by_card[e.card].append(e.entry_id)
        for card, ids in by_card.items():
            found.append({"kind": "stock", "card": card, "entry_ids": ids, "reward_id": reward_id,
                          "detail": {"stock": stock, "redeemed": len(counted), "reward": name}})
    return found


# ---- reading ----------------------------------------------------------------------

def flag_model(row: Any) -> Flag:
    detail = json.loads(row["detail"]) if row["detail"] else {}
    return Flag.model_construct(
        flag_id=row["overdraft_id"], kind=row["kind"], card=row["card"],
        stamps_balance=row["stamps_balance"], points_balance=row["points_balance"],
        entry_ids=json.loads(row["entry_ids"]), effect_stamps=row["effect_stamps"],
        effect_points=row["effect_points"], reward_id=row["reward_id"], detail=detail,
        flagged_at=row["flagged_at"])


def list_flags(engine: Engine, merchant_id: str, *, after: int, limit: int) -> list[Flag]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(overdrafts)
                            .where(overdrafts.c.merchant_id == merchant_id, overdrafts.c.overdraft_id > after)
                            .order_by(overdrafts.c.overdraft_id).limit(limit)).mappings().all()
    return [flag_model(r) for r in rows]


def describe(flag: Flag) -> str:
    """One line for the CLI and logs: what happened, in the owner's terms."""
    d = flag.detail
    if flag.kind == "double_void":
        what = (f"voided twice: the second void changed the card by {flag.effect_stamps:+} stamps, "
                f"{flag.effect_points:+} points again")
    elif flag.kind == "daily_limit":
        what = (f"{flag.effect_stamps} stamps beyond the daily limit of {d.get('limit')} on {d.get('day')} "
                f"({d.get('count')} that day)")
    elif flag.kind == "stock":
        what = (f"{d.get('reward') or flag.reward_id} redeemed {d.get('redeemed')} times against a stock "
                f"of {d.get('stock')}")
    else:
        what = f"overdrawn: {flag.stamps_balance} stamps, {flag.points_balance} points"
    return f"{flag.flag_id}  {flag.flagged_at}  {flag.card}  {what}  entries {', '.join(flag.entry_ids)}"


def flag_lines(engine: Engine, merchant_id: str, kind: str | None = None) -> list[str]:
    lines, after = [], 0
    while True:
        page = list_flags(engine, merchant_id, after=after, limit=1000)
        lines += [describe(f) for f in page if kind is None or f.kind == kind]
        if len(page) < 1000:
            return lines
        after = page[-1].flag_id
