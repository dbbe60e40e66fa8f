"""Programs, rewards, tiers and campaigns edited in the console: read for its pages, changed through hub_records.

Every change reads the hub's current record, applies one form's edit to a copy, checks the
whole record with the till's own rules (terminal/domain/program_settings.py) and only then
writes it (``hub_records.write``, the owner's e-mail as ``changed_by``): a refused form
writes nothing, and a till never pulls settings it would refuse or misread. Which stores may
change a program at their tills (``program_stores``) is not touched here.

A reward's stock is stated as of the program's version (terminal/store/reward_stock.py): a new
version restates every stocked reward as what is left now (the stated figure less the
redemptions the hub counted since), unless the owner typed a new figure.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Connection, Engine

from sync.hub import hub_records
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.schema import entries, program_stores, programs, store_profiles, stores, terminals
from sync.protocol import ProgramSettings
from terminal.domain.campaigns import MAX_CAMPAIGNS_PER_PROGRAM, Campaign, CampaignKind
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.money import minor_digits, parse_amount
from terminal.domain.program_settings import check_settings
from terminal.domain.programs import ProgramKind, parse_multiplier
from terminal.domain.text import check_label

MAX_AMOUNT_MINOR = 10**12
_REDEEM_KINDS = ("redeem", "stamp_redeem")
_KEEP_OVER_DAYS = 400   # as the till: campaigns long over leave the record, so it stays small
_MAX_STORED_CAMPAIGNS = 100

Edit = Callable[[dict[str, Any], "Facts", datetime], None]


class ProgramNotFound(LookupError):
    """No such program at this merchant (another merchant's included)."""


@dataclass(frozen=True)
class Facts:
    """The program's store facts: money and days are read in its currency and time zone."""

    currency: str
    zone: str

    @property
    def digits(self) -> int:
        return minor_digits(self.currency)

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


def invalid(message: str) -> LoyaltyError:
    return LoyaltyError(ErrorCode.INVALID_INPUT, message)


# ---- reading ----------------------------------------------------------------------------

def _facts(conn: Connection, merchant_id: str, program_id: str) -> Facts:
    """The first allowed store's currency and zone, else the merchant's first store's."""
    query = (sa.select(store_profiles.c.currency, store_profiles.c.timezone)
             .join(stores, stores.c.store_id == store_profiles.c.store_id)
             .where(stores.c.merchant_id == merchant_id))
    allowed = query.join(program_stores, sa.and_(program_stores.c.store_id == stores.c.store_id,
                                                 program_stores.c.merchant_id == merchant_id,
                                                 program_stores.c.program_id == program_id))
    for chosen in (allowed, query):
        row = conn.execute(chosen.order_by(stores.c.created_at, stores.c.store_id).limit(1)).first()
        if row is not None:
            return Facts(row.currency, row.timezone)
    return Facts("EUR", "UTC")


def _who(conn: Connection, row: Any, fallback_zone: str) -> dict[str, Any]:
    """Who made the program's current version, and the zone its time is shown in."""
    if row["changed_by"]:
        return {"by": row["changed_by"], "till": None, "store": None, "at": row["updated_at"], "zone": fallback_zone}
    till = conn.execute(sa.select(terminals.c.name, stores.c.name.label("store"), store_profiles.c.timezone)
                        .join(stores, stores.c.store_id == terminals.c.store_id)
                        .outerjoin(store_profiles, store_profiles.c.store_id == stores.c.store_id)
                        .where(terminals.c.terminal_id == row["origin_terminal_id"])).first()
    store = till.store if till else conn.execute(sa.select(stores.c.name).where(
        stores.c.store_id == row["origin_store_id"])).scalar()
    return {"by": None, "till": till.name if till else row["origin_terminal_id"][:8], "store": store,
            "at": row["updated_at"], "zone": (till.timezone if till and till.timezone else fallback_zone)}


def programs_of(engine: Engine, merchant_id: str) -> list[dict[str, Any]]:
    """Every program of the merchant, active first, with its last change (who and when)."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(programs).where(programs.c.merchant_id == merchant_id)
                            .order_by(programs.c.name, programs.c.program_id)).mappings().all()
        found = []
        for row in rows:
            settings = json.loads(row["settings"])
            facts = _facts(conn, merchant_id, row["program_id"])
            found.append({"program_id": row["program_id"], "name": row["name"], "kind": row["kind"],
                          "active": settings.get("active", True) is not False,
                          "changed": _who(conn, row, facts.zone)})
    return sorted(found, key=lambda p: not p["active"])


def _redeemed_since(conn: Connection, merchant_id: str, reward_id: str, since: str) -> int:
    """Redemptions of the reward at or after ``since`` that no void reverses, as the hub holds them."""
    voids = entries.alias("stock_voids")
    voided = sa.exists().where(voids.c.merchant_id == merchant_id, voids.c.reverses == entries.c.entry_id)
    return conn.execute(sa.select(sa.func.count()).select_from(entries).where(
        entries.c.merchant_id == merchant_id, entries.c.reward_id == reward_id,
        entries.c.kind.in_(_REDEEM_KINDS), entries.c.at >= since, ~voided)).scalar_one()


def _stock_now(conn: Connection, merchant_id: str, record: ProgramSettings) -> dict[str, int]:
    """Each stocked reward's figure now: stated as of the version, less what was redeemed since."""
    left = {}
    for reward in record.settings.get("rewards") or ():
        if isinstance(reward.get("stock"), int):
            since = _redeemed_since(conn, merchant_id, reward["reward_id"], record.updated_at)
            left[reward["reward_id"]] = max(0, reward["stock"] - since)
    return left


def program_of(engine: Engine, merchant_id: str, program_id: str) -> dict[str, Any]:
    """One program for its page: the record, its store facts, stock left, last change."""
    with reading(engine) as conn:
        record = hub_records.stored(conn, merchant_id, ProgramSettings, program_id)
        if not isinstance(record, ProgramSettings):
            raise ProgramNotFound(program_id)
        row = conn.execute(sa.select(programs).where(programs.c.merchant_id == merchant_id,
                                                     programs.c.program_id == program_id)).mappings().one()
        facts = _facts(conn, merchant_id, program_id)
        return {"record": record, "facts": facts, "stock": _stock_now(conn, merchant_id, record),
                "changed": _who(conn, row, facts.zone)}


# ---- changing ---------------------------------------------------------------------------

def change(engine: Engine, key: Ed25519PrivateKey, merchant_id: str, program_id: str, changed_by: str,
           edit: Edit, now: datetime | None = None) -> ProgramSettings:
    """Apply ``edit`` to the program's current record and store it as the owner's change.

    ``edit`` gets ``{"name", "kind", "settings"}`` (a copy), the store facts and the time; a
    LoyaltyError from it or from the till's checks writes nothing.
    """
    now = now or datetime.now(UTC)
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        current = hub_records.stored(conn, merchant_id, ProgramSettings, program_id)
        if not isinstance(current, ProgramSettings):
            raise ProgramNotFound(program_id)
        draft: dict[str, Any] = {"name": current.name, "kind": current.kind,
                                 "settings": copy.deepcopy(current.settings)}
        left = _stock_now(conn, merchant_id, current)
        for reward in draft["settings"].get("rewards") or ():
            if reward.get("reward_id") in left:
                reward["stock"] = left[reward["reward_id"]]
        edit(draft, _facts(conn, merchant_id, program_id), now)
        check_settings(draft["name"], draft["kind"], draft["settings"])
        made = hub_records.write(conn, counter, key, current.model_copy(
            update={"name": draft["name"], "settings": draft["settings"]}), changed_by, now=now)
        counter.save()
    assert isinstance(made, ProgramSettings)
    return made


def _whole(text: str | None, label: str, *, blank: int | None = None) -> int | None:
    """A whole number typed in a form; ``blank`` when left empty (None: clears the setting)."""
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        return blank
    if not cleaned.isdigit() or len(cleaned) > 13:
        raise invalid(f"{label}: type a whole number (digits only), like 10.")
    return int(cleaned)


def _amount(text: str | None, facts: Facts, label: str, *, zero_ok: bool) -> int | None:
    cleaned = (text or "").strip()
    if not cleaned:
        return 0 if zero_ok else None
    if zero_ok and cleaned.strip("0.,") == "":
        return 0
    try:
        return parse_amount(cleaned, facts.currency, MAX_AMOUNT_MINOR)
    except LoyaltyError as exc:
        raise invalid(f"{label}: {exc.message}") from None


def rules_edit(form: Mapping[str, str]) -> Edit:
    """The program form: name, stamps target, earning rate, minimum, cap, expiry (what fits the kind)."""

    def edit(draft: dict[str, Any], facts: Facts, _now: datetime) -> None:
        s = draft["settings"]
        kind = ProgramKind(draft["kind"])
        draft["name"] = check_label(form.get("name"), "The program name", "A program needs a name.")
        if kind.has_stamps:
            s["stamps_target"] = _whole(form.get("stamps_target"), "Stamps for a reward")
        if kind.has_points:
            s["points_per_unit"] = _whole(form.get("points_per_unit"), "Points earned")
            per = _amount(form.get("earn_per"), facts, "Spent for those points", zero_ok=False)
            s["earn_per_minor"] = None if per == 10**facts.digits else per
            s["min_amount_minor"] = _amount(form.get("min_amount"), facts, "Minimum purchase", zero_ok=True)
            s["max_points_per_event"] = _whole(form.get("max_points"), "Most points per purchase")
            s["points_expiry_days"] = _whole(form.get("expiry_days"), "Points expire after (days)")
            mode = form.get("expiry_mode") or "age"
            if mode not in ("age", "inactivity"):
                raise invalid("Pick how expiry days are counted: from the day earned or the last visit.")
            s["points_expiry_mode"] = mode

    return edit


def reward_edit(reward_id: str | None, form: Mapping[str, str]) -> Edit:
    """Add a reward (``reward_id`` None) or change one's name, costs and stock."""

    def edit(draft: dict[str, Any], _facts: Facts, _now: datetime) -> None:
        kind = ProgramKind(draft["kind"])
        rewards = draft["settings"].setdefault("rewards", [])
        if reward_id is None:
            reward: dict[str, Any] = {"reward_id": str(uuid.uuid4()), "active": True, "valid_from": None,
                                      "valid_until": None, "cost_stamps": 0, "cost_points": 0, "stock": None}
            rewards.append(reward)
        else:
            reward = _find(rewards, "reward_id", reward_id, "That reward is not in this program.")
        reward["name"] = check_label(form.get("name"), "The reward name", "A reward needs a name.")
        if kind.has_stamps:
            reward["cost_stamps"] = _whole(form.get("cost_stamps"), "Cost in stamps", blank=0)
        if kind.has_points:
            reward["cost_points"] = _whole(form.get("cost_points"), "Cost in points", blank=0)
        reward["stock"] = _whole(form.get("stock"), "Stock")

    return edit


def reward_retire(reward_id: str) -> Edit:
    def edit(draft: dict[str, Any], _facts: Facts, _now: datetime) -> None:
        reward = _find(draft["settings"].get("rewards") or [], "reward_id", reward_id,
                       "That reward is not in this program.")
        if reward.get("active") is False:
            raise invalid(f"{reward.get('name')} is already retired.")
        reward["active"] = False

    return edit


def tiers_edit(rows: list[tuple[str, str, str]]) -> Edit:
    """The tiers form: (name, lifetime points, multiplier as typed); a row with no name is left out."""

    def edit(draft: dict[str, Any], _facts: Facts, _now: datetime) -> None:
        if not ProgramKind(draft["kind"]).has_points:
            raise invalid("Tiers need points: this program has stamps only.")
        tiers = []
        for name, threshold, multiplier in rows:
            if not (name or "").strip():
                if (threshold or "").strip() or (multiplier or "").strip():
                    raise invalid("Every tier needs a name (or leave its whole row empty).")
                continue
            tiers.append({"name": name, "min_lifetime_points": _whole(threshold, f"{name.strip()}: lifetime points"),
                          "multiplier_percent": parse_multiplier(multiplier or "1")})
        tiers.sort(key=lambda t: (t["min_lifetime_points"] or 0, t["name"]))
        draft["settings"]["tiers"] = tiers

    return edit


def campaign_kinds(kind: ProgramKind) -> list[CampaignKind]:
    """The campaign kinds a program of ``kind`` runs (as the till's campaign page offers them)."""
    return [k for k in CampaignKind
            if (kind.has_stamps if k is CampaignKind.EXTRA_STAMP else kind.has_points or k.once)]


def _day(text: str | None, label: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise invalid(f"{label}: pick a date (year-month-day).") from None


def _clock(text: str | None, label: str) -> time | None:
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    try:
        return time.fromisoformat(cleaned).replace(second=0, microsecond=0)
    except ValueError:
        raise invalid(f"{label}: type a time like 17:30.") from None


def campaign_add(form: Mapping[str, str], weekdays: list[str]) -> Edit:
    """A new campaign from the campaign form (fields that do not fit its kind are ignored)."""

    def edit(draft: dict[str, Any], facts: Facts, now: datetime) -> None:
        kind = ProgramKind(draft["kind"])
        if draft["settings"].get("active") is False:
            raise invalid(f"{draft['name']} was retired; it takes no campaigns.")
        try:
            ckind = CampaignKind(form.get("kind") or "")
        except ValueError:
            raise invalid("Pick what the campaign gives.") from None
        if ckind not in campaign_kinds(kind):
            raise invalid("That kind of campaign does not fit this program.")
        days = sorted({_whole(d, "Weekdays") or 0 for d in weekdays})
        once_points, once_stamps = ckind.once and kind.has_points, ckind.once and kind.has_stamps
        campaign = Campaign(
            campaign_id=str(uuid.uuid4()),
            name=check_label(form.get("name"), "The campaign name", "A campaign needs a name."),
            kind=ckind, first_day=_day(form.get("first_day"), "First day"),
            last_day=_day(form.get("last_day"), "Last day"), weekdays=tuple(days),
            starts_at=_clock(form.get("starts_at"), "From"), ends_at=_clock(form.get("ends_at"), "Until"),
            multiplier_percent=(parse_multiplier(form.get("multiplier") or "")
                                if ckind is CampaignKind.MULTIPLIER else 100),
            points=(_whole(form.get("points"), "Bonus points", blank=0) or 0
                    if ckind in (CampaignKind.FIXED_BONUS, CampaignKind.SPEND_BONUS) or once_points else 0),
            stamps=(_whole(form.get("stamps"), "Bonus stamps", blank=0) or 0
                    if ckind is CampaignKind.EXTRA_STAMP or once_stamps else 0),
            min_spend_minor=(_amount(form.get("min_spend"), facts, "Purchase of at least", zero_ok=True) or 0
                             if ckind is CampaignKind.SPEND_BONUS else 0),
        ).check()
        today = now.astimezone(facts.tz).date()
        if campaign.last_day < today:
            raise invalid("That campaign's last day has passed. Pick later days.")
        current = [Campaign.from_settings(c) for c in draft["settings"].get("campaigns") or ()]
        if sum(not c.is_over(now, facts.tz) for c in current) >= MAX_CAMPAIGNS_PER_PROGRAM:
            raise invalid(f"{draft['name']} has {MAX_CAMPAIGNS_PER_PROGRAM} campaigns running or to come; "
                           "end one before adding another.")
        kept = [c for c in current if not c.is_over(now, facts.tz) or (today - c.last_day).days < _KEEP_OVER_DAYS]
        over = sorted((c for c in kept if c.is_over(now, facts.tz)), key=lambda c: c.last_day)
        for c in over[:max(0, len(kept) + 1 - _MAX_STORED_CAMPAIGNS)]:
            kept.remove(c)
        draft["settings"]["campaigns"] = [c.to_settings() for c in [*kept, campaign]]

    return edit


def campaign_end(campaign_id: str) -> Edit:
    """End a campaign now; it stays listed, as ended, for the reports."""

    def edit(draft: dict[str, Any], facts: Facts, now: datetime) -> None:
        stored = draft["settings"].get("campaigns") or []
        found = _find(stored, "campaign_id", campaign_id, "That campaign is not in this program.")
        campaign = Campaign.from_settings(found)
        if campaign.is_over(now, facts.tz):
            raise invalid(f"{campaign.name} has already ended.")
        stored[stored.index(found)] = campaign.end_at(now).to_settings()

    return edit


def _find(records: list[dict[str, Any]], key: str, ident: str, missing: str) -> dict[str, Any]:
    for record in records:
        if record.get(key) == ident:
            return record
    raise invalid(missing)
