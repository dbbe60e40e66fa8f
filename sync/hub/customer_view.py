"""What the customer page shows of one card: the program, balance, tier, next reward, expiring points, visits.

Read from the hub's tables with the tills' own pure rules (``terminal.domain``
through integration_rules.py). Nothing here names a till or a staff member,
nor the holder's contact details: the page is for whoever holds the card.
Points expiring soon follow terminal/services/expiry.py (age: each earning
day's points, oldest spent first; inactivity: the whole balance after N idle
days), counted in the zone of the merchant's first store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ledger_chain.expiry import EXPIRE_KIND, cohorts_left, is_keyed, not_counted
from sync.hub import reports
from sync.hub.db import reading
from sync.hub.integration_rules import card_facts, program_from_settings, store_facts
from sync.hub.schema import merchants, programs, stores
from terminal.domain.errors import LoyaltyError
from terminal.domain.programs import Reward, tier_for

RECENT_VISITS = 10
EXPIRY_WINDOW_DAYS = 30
VISIT_KINDS = ("stamp", "earn", "redeem", "stamp_redeem", "bonus", "adjust", "expire", "void")


@dataclass(frozen=True)
class Visit:
    day: date
    kind: str
    stamps: int
    points: int


@dataclass(frozen=True)
class CustomerView:
    merchant_name: str
    program_name: str
    has_stamps: bool
    has_points: bool
    status: str
    stamps: int
    stamps_target: int
    points: int
    tier: str | None
    next_tier: tuple[str, int] | None          # (name, points still to earn)
    ready_rewards: tuple[str, ...]             # rewards the balance covers now
    next_reward: tuple[str, int, str] | None   # (name, how many more, "stamps" or "points")
    expiring_points: int
    expiring_from: date | None
    visits: tuple[Visit, ...] = field(default_factory=tuple)


def customer_view(engine: Engine, merchant_id: str, code: str, now: datetime | None = None) -> CustomerView | None:
    now = now or datetime.now(UTC)
    found = reports.card_detail(engine, merchant_id, code)
    if found is None or found["card"]["program_id"] is None:
        return None
    card = found["card"]
    with reading(engine) as conn:
        merchant_name = conn.execute(sa.select(merchants.c.name)
                                     .where(merchants.c.merchant_id == merchant_id)).scalar_one()
        row = conn.execute(sa.select(programs).where(programs.c.merchant_id == merchant_id,
                                                     programs.c.program_id == card["program_id"])
                           ).mappings().one_or_none()
        if row is None:
            return None
        settings = json.loads(row["settings"])
        try:
            program, rewards = program_from_settings(row["program_id"], row["name"], row["kind"], settings)
        except LoyaltyError:
            return None
        lifetime = card_facts(conn, merchant_id, code).lifetime_points
        first_store = conn.execute(sa.select(stores.c.store_id).where(stores.c.merchant_id == merchant_id)
                                   .order_by(stores.c.created_at, stores.c.store_id).limit(1)).scalar()
        try:
            tz = store_facts(conn, first_store).tz if first_store else ZoneInfo("UTC")
        except LoyaltyError:
            tz = ZoneInfo("UTC")
    stamps, points = int(card["stamps"]), int(card["points"])
    tier = tier_for(program.tiers, lifetime)
    higher = sorted((t for t in program.tiers if t.min_lifetime_points > lifetime),
                    key=lambda t: t.min_lifetime_points)
    offered = [r for r in rewards if r.unavailability(now) is None
               and (r.cost_stamps or r.cost_points) and (r.stock is None or r.stock > 0)]
    ready = tuple(r.name for r in offered if _covers(r, stamps, points))
    expiring, first_day = _expiring(found["entries"], settings, points, tz, now)
    visits = tuple(Visit(_day(e["at"], tz), e["kind"], e["stamps"], e["points"])
                   for e in reversed(found["entries"]) if e["kind"] in VISIT_KINDS)[:RECENT_VISITS]
    return CustomerView(
        merchant_name=merchant_name, program_name=program.name, has_stamps=program.kind.has_stamps,
        has_points=program.kind.has_points, status=card["status"] or "active",
        stamps=stamps, stamps_target=program.stamps_target, points=points,
        tier=tier.name if tier else None,
        next_tier=(higher[0].name, higher[0].min_lifetime_points - lifetime) if higher else None,
        ready_rewards=ready, next_reward=_next_reward(offered, stamps, points),
        expiring_points=expiring, expiring_from=first_day, visits=visits)


def _covers(reward: Reward, stamps: int, points: int) -> bool:
    return stamps >= reward.cost_stamps and points >= reward.cost_points


def _next_reward(offered: list[Reward], stamps: int, points: int) -> tuple[str, int, str] | None:
    """The reward closest to reach: the fewest stamps (or points) still missing."""
    missing = []
    for reward in offered:
        if _covers(reward, stamps, points):
            continue
        if reward.cost_stamps > stamps:
            missing.append((0, reward.cost_stamps - stamps, reward.name, "stamps"))
        else:
            missing.append((1, reward.cost_points - points, reward.name, "points"))
    if not missing:
        return None
    _rank, short, name, unit = min(missing)
    return name, short, unit


def _day(at: str, tz: ZoneInfo) -> date:
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(tz).date()


def _counted_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The card's entries in time order, less keyed expire entries another of the same key outranks."""
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for e in entries:
        if is_keyed(e["kind"], e["reason"]):
            groups[e["reason"]].append((e["entry_id"], e["points"]))
    skipped: set[str] = set()
    for group in groups.values():
        skipped |= not_counted(group)
    return [e for e in sorted(entries, key=lambda e: e["at"]) if e["entry_id"] not in skipped]


def _expiring(entries: list[dict[str, Any]], settings: dict[str, Any], balance: int, tz: ZoneInfo,
              now: datetime) -> tuple[int, date | None]:
    """Points that expire within EXPIRY_WINDOW_DAYS if nothing else happens, and the first day some go."""
    life = int(settings.get("points_expiry_days") or 0)
    if life <= 0 or balance <= 0:
        return 0, None
    counted = _counted_entries(entries)
    today = now.astimezone(tz).date()
    horizon = today + timedelta(days=EXPIRY_WINDOW_DAYS)
    if settings.get("points_expiry_mode") == "inactivity":
        active = [_day(e["at"], tz) for e in counted if e["kind"] != EXPIRE_KIND]
        due = active[-1] + timedelta(days=life) if active else None
        return (balance, max(due, today)) if due is not None and due <= horizon else (0, None)
    left = cohorts_left((_day(e["at"], tz), e["points"], e["reason"] if e["kind"] == EXPIRE_KIND else None)
                        for e in counted)
    room, total, first = balance, 0, None
    for cohort in sorted(left):
        due = cohort + timedelta(days=life)
        if due > horizon or room <= 0:
            continue
        take = min(left[cohort], room)
        room -= take
        total += take
        first = first or max(due, today)
    return total, first
