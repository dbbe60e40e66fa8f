"""A program's settings as they travel between tills and the hub, checked the way a till reads them.

A till stores a pulled program's ``settings`` dict column by column (terminal/store/sync_port.py
``_apply_program``): rules by name, tiers and rewards by their keys, campaigns through
``Campaign.from_settings``. Whoever writes settings a till will pull (the till's own program page,
the hub's console) checks them here first, so a till never meets settings it would refuse or
misread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from terminal.domain.campaigns import Campaign
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.points_money import PointsMoney
from terminal.domain.programs import ProgramKind
from terminal.domain.text import check_label

# Settings saved together by a program page, each with its smallest value and whether it may be
# cleared (None).
RULE_FIELDS: dict[str, tuple[int, bool]] = {
    "stamps_target": (1, False), "points_per_unit": (0, False), "earn_per_minor": (1, True),
    "min_amount_minor": (0, False), "max_points_per_event": (1, True), "points_expiry_days": (1, True),
    "cooldown_minutes": (0, True), "daily_stamp_limit": (1, True),
}
MONEY_FIELDS = ("money_points", "money_value_minor", "money_max_percent")
EXPIRY_MODES = ("age", "inactivity")  # terminal/services/expiry.py ExpiryMode
MAX_VALUE = 10**12


def _invalid(message: str) -> LoyaltyError:
    return LoyaltyError(ErrorCode.INVALID_INPUT, message)


def check_int(name: str, value: Any, minimum: int, nullable: bool) -> int | None:
    """``value`` when it is a whole number from ``minimum`` to :data:`MAX_VALUE` (or None when allowed)."""
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= MAX_VALUE:
        raise _invalid(f"{name.replace('_', ' ').capitalize()} must be a whole number of at least {minimum}.")
    return value


def checked_rules(rules: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise _invalid(f"Unknown program settings: {', '.join(sorted(unknown))}.")
    for field, value in rules.items():
        check_int(field, value, *RULE_FIELDS[field])
    return dict(rules)


def checked_tiers(tiers: Sequence[tuple[Any, Any, Any]]) -> list[tuple[str, int, int]]:
    """(name, lifetime points threshold, multiplier percent) each, names cleaned and distinct."""
    cleaned = [(check_label(n, "The tier name", "Every tier needs a name."), t, m) for n, t, m in tiers]
    for _n, threshold, multiplier in cleaned:
        check_int("tier threshold", threshold, 0, False)
        check_int("tier multiplier (percent)", multiplier, 100, False)
    if len({n.casefold() for n, _t, _m in cleaned}) != len(cleaned):
        raise _invalid("Two tiers have the same name. Give each its own.")
    return cleaned


def check_reward(reward: Mapping[str, Any]) -> None:
    """One reward as a till stores it: id, name, costs (stamps or points), stock, validity, active."""
    if not isinstance(reward, Mapping):
        raise _invalid("A reward must be a record of its fields.")
    reward_id = reward.get("reward_id")
    if not isinstance(reward_id, str) or not 1 <= len(reward_id) <= 64:
        raise _invalid("A reward needs an id of 1 to 64 characters.")
    check_label(reward.get("name"), "The reward name", "A reward needs a name.")
    stamps = check_int("cost in stamps", reward.get("cost_stamps"), 0, False)
    points = check_int("cost in points", reward.get("cost_points"), 0, False)
    check_int("stock", reward.get("stock"), 0, True)
    if not stamps and not points:
        raise _invalid("A reward costs stamps or points.")
    if not isinstance(reward.get("active"), bool):
        raise _invalid("A reward is active or retired (true or false).")
    valid_from, valid_until = (_moment(reward.get(k), k) for k in ("valid_from", "valid_until"))
    if valid_from and valid_until and valid_until <= valid_from:
        raise _invalid("A reward's validity must end after it starts.")


def _moment(value: Any, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(f"The reward's {what.replace('_', ' ')} is not a date and time.") from None


def check_settings(name: str, kind: str, settings: Mapping[str, Any]) -> None:
    """The whole program record, or a LoyaltyError saying what a till would refuse or misread."""
    check_label(name, "The program name", "A program needs a name.")
    if kind not in {k.value for k in ProgramKind}:
        raise _invalid(f"{kind!r} is not a kind of program (stamps, points or hybrid).")
    _check_rules(settings)
    tiers = _records(settings, "tiers", "Tiers")
    checked_tiers([(t.get("name"), t.get("min_lifetime_points"), t.get("multiplier_percent")) for t in tiers])
    rewards = _records(settings, "rewards", "Rewards")
    for reward in rewards:
        check_reward(reward)
    if len({r["reward_id"] for r in rewards}) != len(rewards):
        raise _invalid("Two rewards have the same id.")
    read = [Campaign.from_settings(c) for c in _records(settings, "campaigns", "Campaigns")]
    for campaign in read:
        check_label(campaign.name, "The campaign name", "A campaign needs a name.")
    if len({c.campaign_id for c in read}) != len(read):
        raise _invalid("Two campaigns have the same id.")


def _check_rules(settings: Mapping[str, Any]) -> None:
    checked_rules({k: settings[k] for k in RULE_FIELDS if k in settings})
    if not isinstance(settings.get("active", True), bool):
        raise _invalid("A program is active or retired (true or false).")
    money = [settings.get(k) for k in MONEY_FIELDS]
    if any(v is not None for v in money):
        points, value_minor, max_percent = (check_int(f, v, 0, False) or 0
                                            for f, v in zip(MONEY_FIELDS, money, strict=True))
        PointsMoney(points, value_minor, max_percent).check()
    if settings.get("points_expiry_mode") not in (None, *EXPIRY_MODES):
        raise _invalid("Points expire by age or by inactivity.")


def _records(settings: Mapping[str, Any], key: str, label: str) -> list[Mapping[str, Any]]:
    found = settings.get(key) or []
    if not isinstance(found, list) or not all(isinstance(r, Mapping) for r in found):
        raise _invalid(f"{label} must be a list of records.")
    return found
