"""The period report of the owner's back office, at the hub: across all stores or one, from daily_totals.

Figures mean what they mean in the till's report (terminal/services/period_report.py):
stamps are ``stamp`` entries' stamps; points earned are ``earn`` and campaign
``bonus`` points, spent ``redeem`` points, expired counted ``expire`` points;
earn/burn = earned ÷ spent; breakage = expired ÷ earned; redemptions are
``redeem`` and ``stamp_redeem`` entries and the redemption rate is the cards
that redeemed ÷ active members (cards with any entry but an expiry); new cards
are enrollments. Voided entries and voids do not count.

Days are each store's own calendar days: "1 May" across all stores is every
store's local 1 May. The tier mix is not shown: the hub keeps no lifetime
points per card to place a card in a tier cheaply.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub.daily_totals import (
    ALL_STORES,
    CAMPAIGN_PREFIX,
    REDEMPTION_KINDS,
    Scope,
    distinct_cards,
    distinct_cards_of_stores,
    distinct_cards_per_day,
    first_in_range,
    sums,
    zone_named,
)
from sync.hub.db import reading
from sync.hub.integration_rules import load_program
from sync.hub.schema import (
    balances,
    cards,
    daily_cards,
    overdrafts,
    programs,
    staff,
    store_profiles,
    stores,
    terminals,
)
from terminal.domain.errors import LoyaltyError
from terminal.domain.periods import CALENDAR_PERIODS, MAX_DAYS, PeriodRatios, calendar_period, previous_period
from terminal.domain.programs import Tier

PERIODS = ("day", "week", "month", "custom")


class PeriodError(ValueError):
    """A period the owner asked for that cannot be reported: ``key`` names the words saying what to pick."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def period_bounds(kind: str, day: date, first: date | None = None, last: date | None = None) -> tuple[date, date]:
    """First and last day (both included) of the day, Monday-to-Sunday week or month holding ``day``,
    or the custom range ``first`` .. ``last``."""
    if kind in CALENDAR_PERIODS:
        return calendar_period(kind, day)
    if kind != "custom":
        raise PeriodError("report_unknown_period")
    if first is None or last is None:
        raise PeriodError("report_custom_needs_dates")
    if last < first:
        raise PeriodError("report_end_before_start")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("report_too_long", days=MAX_DAYS)
    return first, last


@dataclass
class Figures(PeriodRatios):
    stamps: int = 0
    points_earned: int = 0
    points_spent: int = 0
    points_expired: int = 0
    redemptions: int = 0
    redeeming_cards: int = 0
    active_members: int = 0
    new_cards: int = 0
    amount: int = 0

    def take(self, row: dict[str, Any]) -> None:
        """Add one grouped ``sums`` row (a kind's entries, stamps, points, amount)."""
        kind = row["kind"]
        if kind == "stamp":
            self.stamps += row["stamps"]
        elif kind in ("earn", "bonus"):
            self.points_earned += row["points"]
        elif kind == "expire":
            self.points_expired -= row["points"]
        elif kind == "enroll":
            self.new_cards += row["entries"]
        if kind == "redeem":
            self.points_spent -= row["points"]
        if kind in REDEMPTION_KINDS:
            self.redemptions += row["entries"]
        if kind == "earn":
            self.amount += row["amount"]


FIGURES = ("stamps", "points_earned", "points_spent", "points_expired", "earn_burn_ratio", "redemptions",
           "redemption_rate", "breakage", "active_members", "new_cards")
STAFF_FIGURES = ("stamps", "points_earned", "redemptions", "new_cards")


@dataclass
class Store:
    store_id: str
    name: str
    timezone: str
    currency: str


@dataclass
class Report:
    first: date
    last: date
    previous_first: date
    previous_last: date
    stores: list[Store]
    store: Store | None                       # None: all stores
    figures: Figures
    previous: Figures
    days: list[dict[str, Any]]                 # per day: stamps, points earned and spent, redemptions, active
    per_store: list[tuple[Store, Figures]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    # The flags raised in the period (flags.py: below zero, voided twice, over the daily limit,
    # beyond stock): the hub's "worth a look", newest first, at most WORTH_A_LOOK of them.
    worth_a_look: list[dict[str, Any]] = field(default_factory=list)

    @property
    def currency(self) -> str | None:
        """The one currency of the stores reported (None when they differ)."""
        found = {s.currency for s in ([self.store] if self.store else self.stores)}
        return found.pop() if len(found) == 1 else None


def merchant_stores(conn: Connection, merchant_id: str) -> list[Store]:
    rows = conn.execute(sa.select(stores.c.store_id, stores.c.name, store_profiles.c.timezone,
                                  store_profiles.c.currency)
                        .select_from(stores.outerjoin(store_profiles, store_profiles.c.store_id == stores.c.store_id))
                        .where(stores.c.merchant_id == merchant_id).order_by(stores.c.created_at, stores.c.store_id))
    return [Store(r.store_id, r.name, r.timezone or "UTC", r.currency or "") for r in rows]


def store_list(engine: Engine, merchant_id: str) -> list[Store]:
    with reading(engine) as conn:
        return merchant_stores(conn, merchant_id)


def today_of(store: Store | None, now: datetime | None = None) -> date:
    """Today in the store's zone (the merchant's first store's when none is picked, as the hub chain does)."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(zone_named(store.timezone if store else "UTC")).date()


def figures(conn: Connection, scope: Scope, redeeming: bool = True) -> Figures:
    """The scope's figures; ``redeeming`` False leaves the redeeming cards (and the redemption rate) out."""
    found = Figures()
    for row in sums(conn, scope):
        found.take(row)
    found.active_members = distinct_cards(conn, scope, "seen")
    if redeeming:
        found.redeeming_cards = distinct_cards(conn, scope, "redeemed")
    return found


def daily(conn: Connection, scope: Scope, rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Figures per day of the scope; ``rows`` are its detail rows when already read."""
    by_day: dict[str, Figures] = defaultdict(Figures)
    for row in rows if rows is not None else sums(conn, scope, "day"):
        by_day[row["day"]].take(row)
    active = distinct_cards_per_day(conn, scope)
    series = []
    day = scope.first
    while day <= scope.last:
        f = by_day.get(day.isoformat(), Figures())
        series.append({"day": day.isoformat(), "stamps": f.stamps, "points": f.points_earned,
                       "points_earned": f.points_earned, "points_spent": f.points_spent,
                       "redemptions": f.redemptions, "new_cards": f.new_cards,
                       "active_members": active.get(day.isoformat(), 0)})
        day += timedelta(days=1)
    return series


def report(engine: Engine, merchant_id: str, first: date, last: date, store_id: str | None = None) -> Report | None:
    """The report of days ``first`` .. ``last``; None when ``store_id`` is not one of the merchant's stores.

    Each breakdown is one grouped query on daily_totals' covering index; distinct cards are
    plain counts (see daily_totals.daily_cards).
    """
    first, last = period_bounds("custom", first, first, last)
    before = previous_period(first, last)
    with reading(engine) as conn:
        all_stores = merchant_stores(conn, merchant_id)
        store = next((s for s in all_stores if s.store_id == store_id), None)
        if store_id is not None and store is None:
            return None
        scope = Scope(merchant_id, first, last, store_id)
        rows = sums(conn, scope, "day")
        this = Figures()
        for row in rows:
            this.take(row)
        this.active_members = distinct_cards(conn, scope, "seen")
        this.redeeming_cards = distinct_cards(conn, scope, "redeemed")
        found = Report(first, last, before[0], before[1], all_stores, store, this,
                       figures(conn, Scope(merchant_id, before[0], before[1], store_id)), daily(conn, scope, rows))
        if store is None:
            per: dict[str, Figures] = defaultdict(Figures)
            for row in sums(conn, scope, "store_id"):
                per[row["store_id"]].take(row)
            ids = [s.store_id for s in all_stores]
            seen = distinct_cards_of_stores(conn, scope, "seen", ids)
            redeemed = distinct_cards_of_stores(conn, scope, "redeemed", ids)
            for s in all_stores:
                f = per.get(s.store_id, Figures())
                f.active_members, f.redeeming_cards = seen.get(s.store_id, 0), redeemed.get(s.store_id, 0)
                found.per_store.append((s, f))
        found.staff = _per_staff(conn, scope, sums(conn, scope, "staff_id"))
        found.campaigns = _per_campaign(conn, scope, sums(conn, scope, "campaign", kind="bonus"))
        found.worth_a_look = _worth_a_look(conn, merchant_id, first, last, store or
                                           (all_stores[0] if all_stores else None), store_id)
    return found


def tier_mix(engine: Engine, merchant_id: str, first: date, last: date,
             store_id: str | None = None) -> list[tuple[str, int]] | None:
    """The members of days ``first`` .. ``last`` by the tier they reach now (name, cards), most first;
    '' is no tier, [] when no program has tiers, None for a store not of the merchant.

    A page of its own, asked for from the report: it touches every member (about 0.3 s for 45,000
    members on SQLite), where the report itself reads only totals.
    """
    with reading(engine) as conn:
        if store_id is not None and store_id not in {s.store_id for s in merchant_stores(conn, merchant_id)}:
            return None
        return _tier_mix(conn, Scope(merchant_id, first, last, store_id))


def _tier_mix(conn: Connection, scope: Scope) -> list[tuple[str, int]]:
    """Each member of the period (one daily_cards row per card, see ``prev_day``) by the tier its
    lifetime points (kept in balances at ingest) reach in its program."""
    tiers: dict[str, tuple[Tier, ...]] = {}
    for program_id in conn.execute(sa.select(programs.c.program_id).where(
            programs.c.merchant_id == scope.merchant_id)).scalars():
        try:
            tiers[program_id] = load_program(conn, scope.merchant_id, program_id).program.tiers
        except LoyaltyError:
            continue
    if not any(tiers.values()):
        return []
    # The tier each member reaches, worked out in the database: one row per tier comes back, not
    # one per member (50,000 members would cost more than the rest of the report).
    lifetime_points = sa.func.coalesce(balances.c.lifetime_points, 0)
    reached = sa.case(*[(sa.and_(cards.c.program_id == program_id, lifetime_points >= tier.min_lifetime_points),
                         tier.name)
                        for program_id, program_tiers in tiers.items()
                        for tier in sorted(program_tiers, key=lambda t: -t.min_lifetime_points)],
                      else_="").label("tier")
    c = daily_cards.c
    mix: dict[str, int] = dict(conn.execute(
        sa.select(reached, sa.func.count())
        .select_from(daily_cards)
        .outerjoin(cards, sa.and_(cards.c.merchant_id == c.merchant_id, cards.c.code == c.card))
        .outerjoin(balances, sa.and_(balances.c.merchant_id == c.merchant_id, balances.c.card == c.card))
        .where(c.store_id == (scope.store_id or ALL_STORES), *first_in_range(scope, "seen"))
        .group_by(reached)).all())
    return sorted(mix.items(), key=lambda kv: (-kv[1], kv[0]))


WORTH_A_LOOK = 50


def _worth_a_look(conn: Connection, merchant_id: str, first: date, last: date, zone_of: Store | None,
                  store_id: str | None) -> list[dict[str, Any]]:
    """Flags raised from the start of ``first`` to the end of ``last`` in the store's zone (all stores:
    the first store's), by the index on (merchant, flagged_at)."""
    zone = zone_named(zone_of.timezone if zone_of else None)
    start, end = (datetime.combine(d, time(), zone).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                  for d in (first, last + timedelta(days=1)))
    o = overdrafts.c
    query = (sa.select(o.overdraft_id, o.kind, o.card, o.flagged_at, o.effect_stamps, o.effect_points,
                       o.resolved_at, terminals.c.store_id)
             .join(terminals, terminals.c.terminal_id == o.terminal_id)
             .where(o.merchant_id == merchant_id, o.flagged_at >= start, o.flagged_at < end)
             .order_by(o.flagged_at.desc(), o.overdraft_id.desc()).limit(WORTH_A_LOOK))
    if store_id is not None:
        query = query.where(terminals.c.store_id == store_id)
    return [dict(row) for row in conn.execute(query).mappings()]


def _per_staff(conn: Connection, scope: Scope, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    per: dict[str, Figures] = defaultdict(Figures)
    for row in rows:
        if row["staff_id"]:  # expiry and hub entries name no staff member
            per[row["staff_id"]].take(row)
    names = dict(conn.execute(sa.select(staff.c.staff_id, staff.c.name).where(
        staff.c.merchant_id == scope.merchant_id, staff.c.staff_id.in_(sorted(per)))).all()) if per else {}
    found = [{"staff_id": sid, "name": names.get(sid, sid), **{k: getattr(f, k) for k in STAFF_FIGURES}}
             for sid, f in per.items() if any(getattr(f, k) for k in STAFF_FIGURES)]
    return sorted(found, key=lambda r: (r["name"].lower(), r["staff_id"]))


def _per_campaign(conn: Connection, scope: Scope, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"bonuses": 0, "points": 0, "stamps": 0})
    for row in rows:
        if row["campaign"] and row["kind"] == "bonus":
            got = per[row["campaign"]]
            got["bonuses"] += row["entries"]
            got["points"] += row["points"]
            got["stamps"] += row["stamps"]
    if not per:
        return []
    names = _campaign_names(conn, scope.merchant_id)
    found = [{"campaign_id": cid, "name": names.get(cid, cid), **got,
              "cards": distinct_cards(conn, scope, CAMPAIGN_PREFIX + cid)}
             for cid, got in per.items() if got["bonuses"]]
    return sorted(found, key=lambda r: (r["name"].lower(), r["campaign_id"]))


def _campaign_names(conn: Connection, merchant_id: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for settings in conn.execute(sa.select(programs.c.settings).where(programs.c.merchant_id == merchant_id)).scalars():
        try:
            for c in json.loads(settings).get("campaigns") or ():
                names[str(c["campaign_id"])] = str(c.get("name") or c["campaign_id"])
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # a program whose settings hold no readable campaigns names none
    return names
