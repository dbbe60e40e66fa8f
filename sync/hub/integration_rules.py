"""The till's rules at the hub: programs read from the hub's tables, facts counted from its entries.

Every decision is the till's own pure code (``terminal.domain``: earning,
tiers, campaigns, cooldown and daily limit, minimum amount, caps, reward
availability); this module only gathers what those functions need from the
hub's tables, merchant-wide: the program as the tills pushed it (the
``settings`` JSON of terminal/store/sync_port.py ``_program_record``), the
card's balance (``balances``), its lifetime points, stamps and campaign
history (``entries``). Store-wide settings a till may override locally are
not known here; the hub uses the tills' defaults (below) unless the program
sets its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.schema import balances, cards, entries, programs, store_profiles, stores
from terminal.domain.campaigns import Campaign, CampaignKind, Visit, campaign_of_reason
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind, lifetime_delta
from terminal.domain.policy import StampLimits
from terminal.domain.programs import EarningRule, Program, ProgramKind, Reward, Tier

# The tills' defaults (terminal/settings.py) for what a program may leave to the store.
DEFAULT_COOLDOWN_MINUTES = 15
DEFAULT_DAILY_STAMPS = 5
MAX_AMOUNT_MINOR = 1_000_000_000_000
_WIRE_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


def wire_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_WIRE_TIME)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, _WIRE_TIME).replace(tzinfo=UTC)


@dataclass(frozen=True)
class StoreFacts:
    currency: str
    tz: ZoneInfo


# Built once: the API's writes run these under the merchant's lock (see prepared.py for why).
_STORE_PROFILE = (sa.select(store_profiles.c.currency, store_profiles.c.timezone)
                  .where(store_profiles.c.store_id == sa.bindparam("s")))
_PROGRAM = sa.select(programs).where(programs.c.merchant_id == sa.bindparam("m"),
                                     programs.c.program_id == sa.bindparam("p"))
_CARD = sa.select(cards).where(cards.c.merchant_id == sa.bindparam("m"), cards.c.code == sa.bindparam("c"))
_BALANCE = (sa.select(balances.c.stamps, balances.c.points)
            .where(balances.c.merchant_id == sa.bindparam("m"), balances.c.card == sa.bindparam("c")))
_CARD_ENTRIES = (sa.select(entries.c.entry_id, entries.c.kind, entries.c.stamps, entries.c.points, entries.c.amount,
                           entries.c.reverses, entries.c.reason, entries.c.at)
                 .where(entries.c.merchant_id == sa.bindparam("m"), entries.c.card == sa.bindparam("c")))


def store_facts(conn: Connection, store_id: str) -> StoreFacts:
    """The hub author's home store's currency and zone, or, until a till of it has synced, another store's."""
    row = conn.execute(_STORE_PROFILE, {"s": store_id}).one_or_none()
    if row is None:
        merchant = sa.select(stores.c.merchant_id).where(stores.c.store_id == store_id).scalar_subquery()
        row = conn.execute(sa.select(store_profiles.c.currency, store_profiles.c.timezone)
                           .join(stores, stores.c.store_id == store_profiles.c.store_id)
                           .where(stores.c.merchant_id == merchant)
                           .order_by(stores.c.created_at, stores.c.store_id).limit(1)).one_or_none()
    if row is None:
        raise LoyaltyError(ErrorCode.STORE_NOT_INITIALISED,
                           "The hub does not know this merchant's currency and time zone yet: pair a till "
                           "and let it sync once.")
    try:
        tz = ZoneInfo(row.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return StoreFacts(row.currency, tz)


def _time_or_none(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def program_from_settings(program_id: str, name: str, kind: str, s: dict[str, Any]) -> tuple[Program, list[Reward]]:
    """The domain's Program (and its rewards) from the settings a till pushed."""
    try:
        earning = EarningRule(points_per_unit=int(s.get("points_per_unit") or 0),
                              min_amount_minor=int(s.get("min_amount_minor") or 0),
                              max_points_per_event=s.get("max_points_per_event"),
                              per_minor=s.get("earn_per_minor"))
        tiers = tuple(Tier(str(t["name"]), int(t["min_lifetime_points"]), int(t.get("multiplier_percent", 100)))
                      for t in s.get("tiers") or ())
        campaigns = tuple(Campaign.from_settings(c) for c in s.get("campaigns") or ())
        program = Program(program_id, name, ProgramKind(kind), stamps_target=int(s.get("stamps_target") or 10),
                          earning=earning, tiers=tiers, cooldown_minutes=s.get("cooldown_minutes"),
                          daily_stamp_limit=s.get("daily_stamp_limit"), active=bool(s.get("active", True)),
                          campaigns=campaigns)
        rewards = [Reward(str(r["reward_id"]), str(r["name"]), int(r.get("cost_stamps") or 0),
                          int(r.get("cost_points") or 0), r.get("stock"), _time_or_none(r.get("valid_from")),
                          _time_or_none(r.get("valid_until")), bool(r.get("active", True)))
                   for r in s.get("rewards") or ()]
    except (KeyError, TypeError, ValueError) as exc:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND,
                           f"Program {program_id} as the tills pushed it cannot be read ({exc}); "
                           "save it again on a till.") from None
    return program, rewards


@dataclass(frozen=True)
class LoadedProgram:
    program: Program
    rewards: list[Reward]
    version: str  # the program's updated_at: reward stock is stated as of it


def load_program(conn: Connection, merchant_id: str, program_id: str) -> LoadedProgram:
    row = conn.execute(_PROGRAM, {"m": merchant_id, "p": program_id}).mappings().one_or_none()
    if row is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, f"No program {program_id!r} at this merchant.")
    program, rewards = program_from_settings(row["program_id"], row["name"], row["kind"],
                                             json.loads(row["settings"]))
    return LoadedProgram(program, rewards, row["updated_at"])


def only_program(conn: Connection, merchant_id: str) -> str:
    ids = conn.execute(sa.select(programs.c.program_id).where(programs.c.merchant_id == merchant_id)
                       .order_by(programs.c.program_id)).scalars().all()
    if len(ids) != 1:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND,
                           "Name the card's program (program_id): this merchant has "
                           f"{'no program yet' if not ids else f'{len(ids)} programs'}.")
    return str(ids[0])


def card_row(conn: Connection, merchant_id: str, code: str) -> Any:
    row = conn.execute(_CARD, {"m": merchant_id, "c": code}).mappings().one_or_none()
    if row is None:
        raise LoyaltyError(ErrorCode.CARD_NOT_FOUND, f"No card {code} is enrolled at this merchant.")
    return row


def require_usable(card: Any, program: Program) -> None:
    if card["status"] == "suspended":
        raise LoyaltyError(ErrorCode.CARD_SUSPENDED, f"Card {card['code']} is suspended.")
    if card["status"] == "blocked":
        raise LoyaltyError(ErrorCode.CARD_BLOCKED, f"Card {card['code']} is blocked.")
    if not program.active:
        raise LoyaltyError(ErrorCode.PROGRAM_RETIRED, f"{program.name} is retired: it takes nothing new.")


def balance(conn: Connection, merchant_id: str, code: str) -> tuple[int, int]:
    row = conn.execute(_BALANCE, {"m": merchant_id, "c": code}).one_or_none()
    return (row.stamps, row.points) if row else (0, 0)


def _card_entries(conn: Connection, merchant_id: str, code: str) -> list[Any]:
    return list(conn.execute(_CARD_ENTRIES, {"m": merchant_id, "c": code}).all())


@dataclass(frozen=True)
class CardFacts:
    lifetime_points: int
    last_stamp: datetime | None
    stamp_times: tuple[datetime, ...]  # not voided
    visited: bool                      # a stamp or a purchase before
    bonuses: tuple[tuple[str, datetime], ...]  # (campaign id, when) of the card's bonus entries


def _kind(name: str | None) -> EntryKind | None:
    return EntryKind(name) if name else None


def card_facts(conn: Connection, merchant_id: str, code: str) -> CardFacts:
    rows = _card_entries(conn, merchant_id, code)
    kinds = {r.entry_id: r.kind for r in rows}
    voided = {r.reverses for r in rows if r.kind == "void" and r.reverses}
    lifetime = sum(lifetime_delta(EntryKind(r.kind), r.points, _kind(kinds.get(r.reverses)),
                                  reason=r.reason, amount=r.amount)
                   for r in rows)
    stamps = sorted(parse_time(r.at) for r in rows if r.kind == "stamp" and r.stamps > 0 and r.entry_id not in voided)
    bonuses = tuple((c, parse_time(r.at)) for r in rows if r.kind == "bonus"
                    if (c := campaign_of_reason(r.reason)) is not None)
    return CardFacts(lifetime, stamps[-1] if stamps else None, tuple(stamps),
                     any(r.kind in ("stamp", "earn") for r in rows), bonuses)


def lifetime_of(new: Sequence[Any]) -> int:
    """The lifetime points entries that reverse nothing add (what a write just appended)."""
    if any(e.reverses for e in new):
        raise ValueError("lifetime_of counts entries that reverse nothing; a void needs its target's kind")
    return sum(lifetime_delta(EntryKind(e.kind), e.points, None, reason=e.reason, amount=e.amount) for e in new)


def stamp_limits(program: Program, tz: ZoneInfo) -> StampLimits:
    cooldown = program.cooldown_minutes if program.cooldown_minutes is not None else DEFAULT_COOLDOWN_MINUTES
    daily = program.daily_stamp_limit if program.daily_stamp_limit is not None else DEFAULT_DAILY_STAMPS
    return StampLimits(timedelta(minutes=cooldown), daily, tz)


def _birthday(text: str | None, year: int) -> date | None:
    if not text:
        return None
    month, day = (int(p) for p in text[-5:].split("-"))
    try:
        return date(year if (month, day) != (2, 29) else 2000, month, day)
    except ValueError:
        return None


def visit(card: Any, program: Program, facts: CardFacts, now: datetime, tz: ZoneInfo) -> Visit:
    """What campaigns need: first visit, birthday, and the once-only bonuses already given."""
    kinds = {c.campaign_id: c.kind for c in program.campaigns}
    year = now.astimezone(tz).year
    given = frozenset(cid for cid, at in facts.bonuses
                      if kinds.get(cid) is CampaignKind.FIRST_VISIT
                      or (kinds.get(cid) is CampaignKind.BIRTHDAY and at.astimezone(tz).year == year))
    return Visit(now, tz, first_visit=not facts.visited, birthday=_birthday(card["birthday"], year), given=given)


def redeemed_since(conn: Connection, merchant_id: str, reward_id: str, since: str) -> int:
    """Redemptions of a reward at or after ``since``, net of voids (as flags.py counts stock)."""
    rows = conn.execute(sa.select(entries.c.entry_id)
                        .where(entries.c.merchant_id == merchant_id, entries.c.reward_id == reward_id,
                               entries.c.kind.in_(("redeem", "stamp_redeem")), entries.c.at >= since)).scalars().all()
    if not rows:
        return 0
    voided = set(conn.execute(sa.select(entries.c.reverses)
                              .where(entries.c.merchant_id == merchant_id, entries.c.reverses.in_(rows))).scalars())
    return len([r for r in rows if r not in voided])


def refund_points(earned: int, amount: int, refunded_before: int, refund: int) -> int:
    """Points a refund of ``refund`` takes back from an order of ``amount`` that earned ``earned``.

    Cumulative and rounded down: after refunds totalling R, floor(earned x R / amount) points have
    been taken back, so the parts add up to exactly ``earned`` on a full refund and never exceed it.
    """
    if refunded_before < 0 or not 0 < refund <= amount - refunded_before:
        raise ValueError("refund outside the order's amount")
    return earned * (refunded_before + refund) // amount - earned * refunded_before // amount


def refund_shares(earn_points: int, order_points: int, amount: int, refunded_before: int,
                  refund: int) -> tuple[int, int]:
    """(earn share, bonus share) of the points a refund takes back from an order.

    The order's earn entry (``earn_points``) and its campaign bonuses (the
    rest of ``order_points``) are each taken back with ``refund_points``: the
    earn share lowers lifetime points (tiers) as a void of the earn would,
    the bonus share does not, as bonuses never raised them. A full refund
    takes back exactly both.
    """
    return (refund_points(earn_points, amount, refunded_before, refund),
            refund_points(order_points - earn_points, amount, refunded_before, refund))
