"""The merchant's audit log as the console shows it: one list, newest first, of what an owner reviews.

It gathers five sources the hub already holds, each read newest first
through an index that starts with the merchant (schema v14):

- ``a`` the tills' audit events (PIN failures and lockouts, refused actions,
  staff, program and card changes, exports), by ``ix_audit_events_merchant_at``;
- ``e`` voids and adjustments, the tills' and the hub chain's, by ``ix_entries_merchant_kind_at``;
- ``f`` flags raised when entries met at the hub (flags.py), by ``ix_overdrafts_merchant_flagged``;
- ``x`` flags an owner resolved, by ``ix_overdrafts_merchant_resolved``;
- ``r`` records of a push the hub set aside (refusal_log.py), by ``ix_record_refusals_merchant_received``.

Paging is by keyset, never by offset: a page ends at (time, source, id) and
the next asks each source for at most ``size + 1`` rows before it, so a page
costs the same on the first day and after years of history. Rows sort by
(time, source letter, seq, id), all descending: a till's events of one moment
(a wrong PIN and the lockout it caused) keep their chain order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub.db import reading
from sync.hub.schema import (
    audit_events,
    console_card_actions,
    entries,
    overdrafts,
    record_refusals,
    staff,
    store_profiles,
    stores,
    terminals,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

LOCKOUT_KINDS = ("pin_failed", "staff_locked", "staff_unlocked", "pin_failures_cleared")
STAFF_KINDS = ("staff_added", "staff_renamed", "staff_deactivated", "pin_changed", "pin_reset", "pin_rehashed")
CARD_KINDS = ("card_status_changed", "card_replaced", "contact_changed")
PROGRAM_KINDS = ("program_changed", "reward_changed")
OTHER_KINDS = ("store_created", "export")
REFUSED_ACTION = "action_refused"
KNOWN_AUDIT_KINDS = (*LOCKOUT_KINDS, *STAFF_KINDS, *CARD_KINDS, *PROGRAM_KINDS, *OTHER_KINDS, REFUSED_ACTION)
# The kinds of event the filter offers, each a set of sources (and audit kinds).
GROUPS = ("lockouts", "refusals", "voids", "adjustments", "flags", "staff", "cards", "programs", "other")
_GROUP_AUDIT: dict[str, tuple[str, ...]] = {"lockouts": LOCKOUT_KINDS, "refusals": (REFUSED_ACTION,),
                                            "staff": STAFF_KINDS, "cards": CARD_KINDS, "programs": PROGRAM_KINDS}
_GROUP_ENTRIES = {"voids": ("void",), "adjustments": ("adjust",)}
_CARD = re.compile(r"^[0-9A-HJKMNP-TV-Z]{10}$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
_SOURCES = "aefrx"


class AuditQueryError(ValueError):
    """A filter the log cannot use; ``key`` names the console's sentence for it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last row's time, source letter, seq (a till's chain order, so
    events of one moment keep the order the till made them in; 0 for hub rows) and id."""

    at: str
    source: str
    seq: int
    ident: str | int

    def text(self) -> str:
        return f"{self.at}~{self.source}~{self.seq}~{self.ident}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        parts = text.split("~")
        if (len(parts) != 4 or not _TIME.match(parts[0]) or parts[1] not in _SOURCES
                or not parts[2].isdigit() or len(parts[2]) > 18 or not parts[3]):
            raise AuditQueryError("audit_bad_cursor")
        at, source, seq, ident = parts
        if source in "frx":
            if not ident.isdigit() or len(ident) > 18:
                raise AuditQueryError("audit_bad_cursor")
            return cls(at, source, int(seq), int(ident))
        if len(ident) > 36:
            raise AuditQueryError("audit_bad_cursor")
        return cls(at, source, int(seq), ident)


@dataclass(frozen=True)
class AuditFilter:
    store_id: str | None = None
    terminal_id: str | None = None
    group: str | None = None
    staff_id: str | None = None
    card: str | None = None
    since: str | None = None   # UTC wire times, [since, until)
    until: str | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: list[dict[str, Any]]
    next_cursor: str | None
    timezone: str            # the zone the date range was read in


def normalize_card(text: str) -> str | None:
    code = text.strip().upper().replace(" ", "").replace("-", "")
    if not code:
        return None
    if not _CARD.match(code):
        raise AuditQueryError("audit_bad_card")
    return code


def day_range(first: str, last: str, zone: str) -> tuple[str | None, str | None]:
    """[first 00:00, the day after last 00:00) in ``zone``, as UTC wire times; either may be empty."""
    tz = _zone(zone)
    days: list[date | None] = []
    for text in (first, last):
        text = text.strip()
        if not text:
            days.append(None)
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
                raise ValueError(text)
            days.append(date.fromisoformat(text))
        except ValueError:
            raise AuditQueryError("audit_bad_date") from None
    if days[0] and days[1] and days[0] > days[1]:
        raise AuditQueryError("audit_dates_reversed")
    try:
        since = _wire(datetime.combine(days[0], time(), tz)) if days[0] else None
        until = _wire(datetime.combine(days[1] + timedelta(days=1), time(), tz)) if days[1] else None
    except OverflowError:   # 9999-12-31 has no next day; 0001-01-01 east of UTC has no UTC midnight
        raise AuditQueryError("audit_bad_date") from None
    return since, until


def choices(engine: Engine, merchant_id: str) -> dict[str, Any]:
    """The merchant's stores (with their zones), tills and staff, for the filter's lists."""
    with reading(engine) as conn:
        found_stores = [dict(r) for r in conn.execute(
            sa.select(stores.c.store_id, stores.c.name, store_profiles.c.timezone)
            .select_from(stores.outerjoin(store_profiles, store_profiles.c.store_id == stores.c.store_id))
            .where(stores.c.merchant_id == merchant_id).order_by(stores.c.name)).mappings()]
        tills = [dict(r) for r in conn.execute(
            sa.select(terminals.c.terminal_id, terminals.c.name, terminals.c.store_id)
            .where(terminals.c.merchant_id == merchant_id, terminals.c.is_hub.is_(False))
            .order_by(terminals.c.name)).mappings()]
        people = [dict(r) for r in conn.execute(
            sa.select(staff.c.staff_id, staff.c.name, staff.c.store_id)
            .where(staff.c.merchant_id == merchant_id).order_by(staff.c.name)).mappings()]
    for store in found_stores:
        store["timezone"] = store["timezone"] or "UTC"
    return {"stores": found_stores, "tills": tills, "staff": people}


def filter_zone(found: dict[str, Any], store_id: str | None, terminal_id: str | None) -> str:
    """The chosen store's zone (or the chosen till's store's); else the one all stores share; else UTC."""
    zones = {s["store_id"]: s["timezone"] for s in found["stores"]}
    if terminal_id:
        store_id = next((t["store_id"] for t in found["tills"] if t["terminal_id"] == terminal_id), store_id)
    if store_id and store_id in zones:
        return zones[store_id]
    shared = set(zones.values())
    return shared.pop() if len(shared) == 1 else "UTC"


def page(engine: Engine, merchant_id: str, wanted: AuditFilter, after: Cursor | None = None,
         size: int = PAGE_SIZE, zone: str = "UTC") -> AuditPage:
    """One page of the log, newest first, with who, where and what said for each row."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    with reading(engine) as conn:
        places = _places(conn, merchant_id)
        tills = _tills_of(wanted, places)
        rows: list[dict[str, Any]] = []
        if tills is None or tills:
            for source in _sources(wanted):
                rows += source(conn, merchant_id, wanted, tills, after, size + 1)
        rows.sort(key=lambda r: (r["at"], r["source"], r.get("seq", 0), r["ident"]), reverse=True)
        more = len(rows) > size
        rows = rows[:size]
        _name_people(conn, merchant_id, rows)
        _name_console_owners(conn, rows)
    for row in rows:
        place = places.get(row["terminal_id"]) or {}
        row["till"] = place.get("name")
        row["store"] = place.get("store_name")
        row["at_hub"] = bool(place.get("is_hub"))
        row["timezone"] = place.get("timezone") or zone
    last = rows[-1] if rows else None
    next_cursor = (Cursor(last["at"], last["source"], last.get("seq", 0), last["ident"]).text()
                   if more and last else None)
    return AuditPage(rows, next_cursor, zone)


def _name_console_owners(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """An adjustment made in the console names the owner who made it (console_card_actions)."""
    made_at_hub = [r["ident"] for r in rows if r["source"] == "e" and r["owner"] is None]
    if not made_at_hub:
        return
    owners = dict(conn.execute(sa.select(console_card_actions.c.entry_id, console_card_actions.c.owner_email)
                               .where(console_card_actions.c.entry_id.in_(made_at_hub))).all())
    for row in rows:
        if row["source"] == "e" and row["ident"] in owners:
            row["owner"] = owners[row["ident"]]


# ---- the sources ------------------------------------------------------------------

Source = Callable[[Connection, str, AuditFilter, "list[str] | None", "Cursor | None", int], list[dict[str, Any]]]


def _sources(wanted: AuditFilter) -> list[Source]:
    group = wanted.group
    chosen: list[Source] = []
    if group is None or group in _GROUP_AUDIT or group == "other":
        chosen.append(_audit_rows)
    if group is None or group in _GROUP_ENTRIES:
        chosen.append(_entry_rows)
    if group in (None, "refusals"):
        chosen.append(_refusal_rows)
    if group in (None, "flags") and wanted.staff_id is None:   # flags name no staff member
        chosen += [_flag_rows, _resolution_rows]
    return chosen


def _keyset(at: Any, ident: Any, source: str, after: Cursor | None, seq: Any = None) -> Any:
    """Rows that come after the cursor in (time, source, seq, id) descending order."""
    if after is None:
        return sa.true()
    if source < after.source:
        return at <= after.at
    if source > after.source:
        return at < after.at
    later = ident < after.ident if seq is None else sa.or_(
        seq < after.seq, sa.and_(seq == after.seq, ident < after.ident))
    return sa.or_(at < after.at, sa.and_(at == after.at, later))


def _common(query: Any, at: Any, terminal: Any, wanted: AuditFilter, tills: list[str] | None) -> Any:
    if tills is not None:
        # ``|| ''`` keeps the planner off the (terminal_id, seq) index, which would read all of a till's
        # history and sort it: the merchant's time-ordered index holds the till id and stops at a page.
        query = query.where(terminal.concat("").in_(tills))
    if wanted.since:
        query = query.where(at >= wanted.since)
    if wanted.until:
        query = query.where(at < wanted.until)
    return query


def _audit_rows(conn: Connection, merchant_id: str, wanted: AuditFilter, tills: list[str] | None,
                after: Cursor | None, limit: int) -> list[dict[str, Any]]:
    t = audit_events.c
    query = sa.select(t.event_id, t.seq, t.terminal_id, t.kind, t.staff_id, t.subject, t.details, t.at).where(
        t.merchant_id == merchant_id, _keyset(t.at, t.event_id, "a", after, t.seq))
    if wanted.group == "other":
        query = query.where(t.kind.not_in([k for k in KNOWN_AUDIT_KINDS if k not in OTHER_KINDS]))
    elif wanted.group is not None:
        query = query.where(t.kind.in_(_GROUP_AUDIT[wanted.group]))
    if wanted.card is not None:
        query = query.where(t.subject == wanted.card)
    query = _common(query, t.at, t.terminal_id, wanted, None).order_by(
        t.at.desc(), t.seq.desc(), t.event_id.desc()).limit(limit)
    # One query per till (``ix_audit_events_terminal_at`` reads a till's newest first) and, for a
    # staff member, one for what they did and one for what is about them (a lockout names them as
    # its subject); each stops at a page, and the pages are merged.
    queries = [query] if tills is None else [query.where(t.terminal_id == till) for till in tills]
    if wanted.staff_id is not None:
        queries = [q.where(c == wanted.staff_id) for q in queries for c in (t.staff_id, t.subject)]
    found = {r.event_id: r for q in queries for r in conn.execute(q)}
    rows = []
    for r in found.values():
        details = _details(r.details)
        staff_subject = r.kind in (*LOCKOUT_KINDS, *STAFF_KINDS)
        card = r.subject if r.subject and _CARD.match(r.subject) and not staff_subject else None
        rows.append({"source": "a", "ident": r.event_id, "seq": r.seq, "at": r.at, "terminal_id": r.terminal_id,
                     "kind": r.kind, "known_kind": r.kind in KNOWN_AUDIT_KINDS, "staff_id": r.staff_id,
                     "subject_staff_id": r.subject if staff_subject else None, "card": card,
                     "details": details, "owner": None})
    return rows


def _entry_rows(conn: Connection, merchant_id: str, wanted: AuditFilter, tills: list[str] | None,
                after: Cursor | None, limit: int) -> list[dict[str, Any]]:
    t = entries.c
    kinds = _GROUP_ENTRIES.get(wanted.group or "", ("void", "adjust"))
    rows: list[dict[str, Any]] = []
    for kind in kinds:   # one index range per kind: (merchant, kind, at)
        query = sa.select(t.entry_id, t.seq, t.terminal_id, t.kind, t.staff_id, t.card, t.stamps, t.points,
                          t.reason, t.reverses, t.at).where(
            t.merchant_id == merchant_id, t.kind == kind, _keyset(t.at, t.entry_id, "e", after, t.seq))
        if wanted.staff_id is not None:
            query = query.where(t.staff_id == wanted.staff_id)
        if wanted.card is not None:
            query = query.where(t.card == wanted.card)
        query = _common(query, t.at, t.terminal_id, wanted, tills).order_by(
            t.at.desc(), t.seq.desc(), t.entry_id.desc())
        rows += [{"source": "e", "ident": r.entry_id, "seq": r.seq, "at": r.at, "terminal_id": r.terminal_id,
                  "kind": r.kind, "known_kind": True, "staff_id": r.staff_id, "subject_staff_id": None, "card": r.card,
                  "details": {"stamps": r.stamps, "points": r.points, "reason": r.reason,
                              "reverses": r.reverses},
                  "owner": None}
                 for r in conn.execute(query.limit(limit))]
    return rows


def _refusal_rows(conn: Connection, merchant_id: str, wanted: AuditFilter, tills: list[str] | None,
                  after: Cursor | None, limit: int) -> list[dict[str, Any]]:
    t = record_refusals.c
    query = sa.select(t.refusal_id, t.terminal_id, t.stream, t.record_key, t.code, t.message, t.received_at).where(
        t.merchant_id == merchant_id, _keyset(t.received_at, t.refusal_id, "r", after))
    if wanted.staff_id is not None:
        query = query.where(t.stream == "staff", t.record_key == wanted.staff_id)
    if wanted.card is not None:
        query = query.where(t.stream == "cards", t.record_key == wanted.card)
    query = _common(query, t.received_at, t.terminal_id, wanted, tills).order_by(
        t.received_at.desc(), t.refusal_id.desc()).limit(limit)
    return [{"source": "r", "ident": r.refusal_id, "at": r.received_at, "terminal_id": r.terminal_id,
             "kind": "record_refused", "known_kind": True, "staff_id": None,
             "subject_staff_id": r.record_key if r.stream == "staff" else None,
             "card": r.record_key if r.stream == "cards" else None,
             "details": {"code": r.code, "stream": r.stream, "key": r.record_key, "message": r.message},
             "owner": None}
            for r in conn.execute(query)]


def _flag_rows(conn: Connection, merchant_id: str, wanted: AuditFilter, tills: list[str] | None,
               after: Cursor | None, limit: int) -> list[dict[str, Any]]:
    t = overdrafts.c
    query = sa.select(t.overdraft_id, t.terminal_id, t.kind, t.card, t.effect_stamps, t.effect_points,
                      t.stamps_balance, t.points_balance, t.flagged_at).where(
        t.merchant_id == merchant_id, _keyset(t.flagged_at, t.overdraft_id, "f", after))
    if wanted.card is not None:
        query = query.where(t.card == wanted.card)
    query = _common(query, t.flagged_at, t.terminal_id, wanted, tills).order_by(
        t.flagged_at.desc(), t.overdraft_id.desc()).limit(limit)
    return [{"source": "f", "ident": r.overdraft_id, "at": r.flagged_at, "terminal_id": r.terminal_id,
             "kind": "flag_" + r.kind, "known_kind": True, "staff_id": None, "subject_staff_id": None,
             "card": r.card, "owner": None,
             "details": {"flag_id": r.overdraft_id, "stamps": r.effect_stamps, "points": r.effect_points,
                         "stamps_balance": r.stamps_balance, "points_balance": r.points_balance}}
            for r in conn.execute(query)]


def _resolution_rows(conn: Connection, merchant_id: str, wanted: AuditFilter, tills: list[str] | None,
                     after: Cursor | None, limit: int) -> list[dict[str, Any]]:
    t = overdrafts.c
    query = sa.select(t.overdraft_id, t.terminal_id, t.kind, t.card, t.resolved_at, t.resolved_by,
                      t.resolution_note).where(
        t.merchant_id == merchant_id, t.resolved_at.is_not(None),
        _keyset(t.resolved_at, t.overdraft_id, "x", after))
    if wanted.card is not None:
        query = query.where(t.card == wanted.card)
    query = _common(query, t.resolved_at, t.terminal_id, wanted, tills).order_by(
        t.resolved_at.desc(), t.overdraft_id.desc()).limit(limit)
    return [{"source": "x", "ident": r.overdraft_id, "at": r.resolved_at, "terminal_id": r.terminal_id,
             "kind": "flag_resolved", "known_kind": True, "staff_id": None, "subject_staff_id": None,
             "card": r.card, "owner": r.resolved_by,
             "details": {"flag_id": r.overdraft_id, "flag_kind": r.kind, "note": r.resolution_note}}
            for r in conn.execute(query)]


# ---- places and people -------------------------------------------------------------

def _places(conn: Connection, merchant_id: str) -> dict[str, dict[str, Any]]:
    """Every till of the merchant (and its hub author) with its store's name and zone."""
    return {r["terminal_id"]: dict(r) for r in conn.execute(
        sa.select(terminals.c.terminal_id, terminals.c.name, terminals.c.store_id, terminals.c.is_hub,
                  stores.c.name.label("store_name"), store_profiles.c.timezone)
        .select_from(terminals.join(stores, stores.c.store_id == terminals.c.store_id)
                     .outerjoin(store_profiles, store_profiles.c.store_id == terminals.c.store_id))
        .where(terminals.c.merchant_id == merchant_id)).mappings()}


def _tills_of(wanted: AuditFilter, places: dict[str, dict[str, Any]]) -> list[str] | None:
    """The tills the filter keeps (None: all, the hub's own rows too); unknown ones are refused."""
    if wanted.terminal_id is not None:
        place = places.get(wanted.terminal_id)
        if place is None or place["is_hub"] or (wanted.store_id and place["store_id"] != wanted.store_id):
            raise AuditQueryError("audit_unknown_till")
        return [wanted.terminal_id]
    if wanted.store_id is not None:
        found = [tid for tid, p in places.items() if p["store_id"] == wanted.store_id and not p["is_hub"]]
        return sorted(found)
    return None


def _name_people(conn: Connection, merchant_id: str, rows: Sequence[dict[str, Any]]) -> None:
    ids = sorted({i for r in rows for i in (r["staff_id"], r["subject_staff_id"]) if i})
    names: dict[str, str] = {}
    for part in _chunks(ids, 500):
        names.update((row[0], row[1]) for row in conn.execute(sa.select(staff.c.staff_id, staff.c.name).where(
            staff.c.merchant_id == merchant_id, staff.c.staff_id.in_(part))))
    for row in rows:
        row["staff_name"] = names.get(row["staff_id"] or "", row["staff_id"])
        row["subject_staff_name"] = names.get(row["subject_staff_id"] or "", row["subject_staff_id"])


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _details(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _wire(moment: datetime) -> str:
    # isoformat, not strftime: %Y writes year 1 as "1", which would sort after "2026".
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
