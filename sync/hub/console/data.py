"""What the console shows that the owner API has no function for yet, scoped to one merchant.

Each function reads through indexes (a till's last record by its unique
(terminal, seq), cards by merchant) or aggregates one period's entries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sync.hub import console_cards, reports
from sync.hub import integration_rules as rules
from sync.hub.console import report_data
from sync.hub.daily_totals import Scope
from sync.hub.db import reading
from sync.hub.schema import audit_events, balances, cards, entries, staff, store_profiles, stores, terminals
from terminal.domain.errors import LoyaltyError
from terminal.domain.programs import tier_for

ONLINE_WITHIN = timedelta(minutes=15)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def till_states(engine: Engine, merchant_id: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Stores with their tills: last sync (the hub's receipt of the till's newest record),
    online (synced within ``ONLINE_WITHIN``), the clock difference seen then, and what the till
    reported on its last push (``till_status.py``): entries still to push after it, app version.

    The clock difference is the till's time of its newest record minus the hub's time of
    receiving it: an upper bound, exact only when the till pushed at once.
    """
    now = now or datetime.now(UTC)
    found = reports.list_stores(engine, merchant_id)
    with reading(engine) as conn:
        zones = dict(conn.execute(sa.select(store_profiles.c.store_id, store_profiles.c.timezone)
                                  .join(stores, stores.c.store_id == store_profiles.c.store_id)
                                  .where(stores.c.merchant_id == merchant_id)).all())
        reported = {r.terminal_id: r for r in conn.execute(
            sa.select(terminals.c.terminal_id, terminals.c.pending_entries, terminals.c.pending_audit,
                      terminals.c.app_version, terminals.c.status_at)
            .where(terminals.c.merchant_id == merchant_id))}
        tills = [till for store in found for till in store["terminals"]]
        latest = _last_records(conn, tills)
        for store in found:
            store["timezone"] = zones.get(store["store_id"], "UTC")
            for till in store["terminals"]:
                till.update(latest.get(till["terminal_id"], {"last_sync": None, "clock_difference_s": None}))
                last = till["last_sync"]
                till["online"] = (till["revoked_at"] is None and last is not None
                                  and last >= _iso(now - ONLINE_WITHIN))
                # What the till reported on its last push (None: it never did, e.g. an older till).
                status = reported.get(till["terminal_id"])
                till["pending"] = None if status is None else status.pending_entries
                till["pending_audit"] = None if status is None else status.pending_audit
                till["app_version"] = None if status is None else status.app_version
                till["status_at"] = None if status is None else status.status_at
    return found


def _last_records(conn: sa.Connection, tills: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each till's newest record (by its unique terminal and seq), two queries for all tills."""
    latest: dict[str, list[tuple[str, str]]] = {}
    for table, through in ((entries, "entries_through"), (audit_events, "audit_through")):
        wanted = [sa.and_(table.c.terminal_id == till["terminal_id"], table.c.seq == till[through])
                  for till in tills if till[through]]
        for start in range(0, len(wanted), 200):
            for row in conn.execute(sa.select(table.c.terminal_id, table.c.received_at, table.c.at)
                                    .where(sa.or_(*wanted[start:start + 200]))):
                latest.setdefault(row.terminal_id, []).append((row.received_at, row.at))
    found = {}
    for terminal_id, records in latest.items():
        received_at, at = max(records)
        found[terminal_id] = {"last_sync": received_at,
                              "clock_difference_s": round((_parse(at) - _parse(received_at)).total_seconds())}
    return found


def _parse(text: str) -> datetime:
    return datetime.strptime(text.rstrip("Z")[:26], "%Y-%m-%dT%H:%M:%S.%f" if "." in text
                             else "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


def merchant_today(engine: Engine, merchant_id: str, now: datetime) -> date:
    """Today in the merchant's first store's time zone (the dashboard's "today")."""
    found = report_data.store_list(engine, merchant_id)
    return report_data.today_of(found[0] if found else None, now)


def period_summary(engine: Engine, merchant_id: str, first: date, last: date) -> dict[str, Any]:
    """The dashboard's figures of the store-local days ``first`` .. ``last``, read from daily_totals."""
    with reading(engine) as conn:
        found = report_data.figures(conn, Scope(merchant_id, first, last), redeeming=False)
    return {"stamps_given": found.stamps, "points_given": found.points_earned,
            "points_taken": found.points_spent, "redemptions": found.redemptions,
            "cards_active": found.active_members, "cards_new": found.new_cards}


def daily_series(engine: Engine, merchant_id: str, days: int, today: date) -> list[dict[str, Any]]:
    """Stamps given and points earned per store-local day, the last ``days`` days up to ``today``, zeros included."""
    with reading(engine) as conn:
        return report_data.daily(conn, Scope(merchant_id, today - timedelta(days=days - 1), today))


def search_cards(engine: Engine, merchant_id: str, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Cards whose code starts with ``text``, whose holder's name contains it, or whose phone
    number contains its digits (ignoring spaces, dashes and the leading +)."""
    text = (text or "").strip()
    if not text:
        return []
    pattern = "%" + _like_escaped(text.lower()) + "%"
    matches = [cards.c.code.startswith(text.upper().replace(" ", "").replace("-", ""), autoescape=True),
               sa.func.lower(cards.c.holder).like(pattern, escape="\\")]
    digits = "".join(ch for ch in text if ch not in " -+()")
    if len(digits) >= 4 and digits.isascii() and digits.isdigit():   # a phone number as people type it
        bare_phone = sa.func.replace(sa.func.replace(sa.func.replace(cards.c.phone, " ", ""), "-", ""), "+", "")
        # without a trunk 0: "0812 3456" finds "+62 812-3456-..." (and "0812..." still)
        matches.append(bare_phone.like("%" + digits.lstrip("0") + "%"))
    query = (sa.select(cards.c.code, cards.c.holder, cards.c.phone, cards.c.status, cards.c.program_id,
                       sa.func.coalesce(balances.c.stamps, 0).label("stamps"),
                       sa.func.coalesce(balances.c.points, 0).label("points"))
             .select_from(cards.outerjoin(balances, sa.and_(balances.c.merchant_id == cards.c.merchant_id,
                                                             balances.c.card == cards.c.code)))
             .where(cards.c.merchant_id == merchant_id, sa.or_(*matches))
             .order_by(cards.c.code).limit(limit))
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def card_page(engine: Engine, merchant_id: str, code: str) -> dict[str, Any] | None:
    """The owner API's card detail with the card's contact details, program and tier, and each
    entry's running balance, its till's name (or the hub's), its staff member's name and, for an
    entry made in the console, the owner who made it."""
    found = reports.card_detail(engine, merchant_id, code)
    if found is None:
        return None
    with reading(engine) as conn:
        tills = {r.terminal_id: (r.name, r.timezone or "UTC", bool(r.is_hub)) for r in conn.execute(
            sa.select(terminals.c.terminal_id, terminals.c.name, terminals.c.is_hub, store_profiles.c.timezone)
            .select_from(terminals.outerjoin(store_profiles, store_profiles.c.store_id == terminals.c.store_id))
            .where(terminals.c.merchant_id == merchant_id))}
        staff_names = dict(conn.execute(sa.select(staff.c.staff_id, staff.c.name).where(
            staff.c.merchant_id == merchant_id,
            staff.c.staff_id.in_(sorted({e["staff_id"] for e in found["entries"] if e["staff_id"]})))).all())
        hub_made = [e for e in found["entries"] if tills.get(e["terminal_id"], ("", "", False))[2]]
        owners_of = console_cards.entry_owners(
            conn, merchant_id, sorted({i for e in hub_made for i in (e["entry_id"], e["reverses"]) if i}))
        found["card"].update(_card_extras(conn, merchant_id, code, found["card"]))
    zone = next((z for _, z, hub in tills.values() if not hub), "UTC")
    stamps = points = 0
    for entry in found["entries"]:
        stamps += entry["stamps"]
        points += entry["points"]
        entry["stamps_after"], entry["points_after"] = stamps, points
        name, entry["timezone"], entry["by_hub"] = tills.get(entry["terminal_id"],
                                                              (entry["terminal_id"][:8], zone, False))
        entry["till"] = None if entry["by_hub"] else name
        entry["staff"] = staff_names.get(entry["staff_id"], entry["staff_id"])
        entry["owner"] = owners_of.get(entry["entry_id"]) or owners_of.get(entry["reverses"] or "")
    found["entries"].reverse()   # newest first
    found["timezone"] = zone
    return found


def _card_extras(conn: sa.Connection, merchant_id: str, code: str, card: dict[str, Any]) -> dict[str, Any]:
    """Contact details, replacement, the program's name and kind, lifetime points and tier."""
    row = conn.execute(sa.select(cards.c.phone, cards.c.email, cards.c.birthday, cards.c.contact_consent,
                                 cards.c.replaced_by, cards.c.changed_by)
                       .where(cards.c.merchant_id == merchant_id, cards.c.code == code)).mappings().one_or_none()
    extras: dict[str, Any] = dict(row) if row else {"phone": None, "email": None, "birthday": None,
                                                    "contact_consent": False, "replaced_by": None,
                                                    "changed_by": None}
    extras.update(program_name=None, program_kind=None, tier=None,
                  lifetime_points=rules.card_facts(conn, merchant_id, code).lifetime_points)
    if card.get("program_id"):
        try:
            loaded = rules.load_program(conn, merchant_id, card["program_id"])
        except LoyaltyError:
            return extras
        reached = tier_for(loaded.program.tiers, extras["lifetime_points"])
        extras.update(program_name=loaded.program.name, program_kind=loaded.program.kind.value,
                      tier=reached.name if reached else None,
                      has_tiers=bool(loaded.program.tiers))
    return extras


def merchant_store(engine: Engine, merchant_id: str, store_id: str) -> bool:
    with reading(engine) as conn:
        return conn.execute(sa.select(stores.c.store_id).where(
            stores.c.store_id == store_id, stores.c.merchant_id == merchant_id)).one_or_none() is not None


def merchant_till(engine: Engine, merchant_id: str, terminal_id: str) -> dict[str, Any] | None:
    with reading(engine) as conn:
        row = conn.execute(sa.select(terminals.c.terminal_id, terminals.c.name, terminals.c.revoked_at).where(
            terminals.c.terminal_id == terminal_id, terminals.c.merchant_id == merchant_id)).mappings().one_or_none()
    return None if row is None else dict(row)
