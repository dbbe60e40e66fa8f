"""Refusals in the window's language.

The services word their refusals in English (tests, logs, the CLI and the
hub read them). The window shows the same facts in the chosen language:
each refusal the counter meets has a translatable template here, filled
from the error's structured details. With no translation loaded, or when a
detail the template needs is missing, the service's own English message is
shown unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Balance
from terminal.services.counter import RewardOption
from terminal.ui.context import number

_SENTINEL = "%1 is out of stock."


def _catalogue_loaded() -> bool:
    # Without a catalogue for refusals (English), the services' own wording is richer: keep it.
    return QCoreApplication.translate("Refusal", _SENTINEL) != _SENTINEL


def _fill(template: str, *values: object) -> str:
    for n, value in enumerate(values, start=1):
        template = template.replace(f"%{n}", str(value))
    return template


def _time(moment: Any, tz: tzinfo | None, with_day: bool = False) -> str | None:
    if not isinstance(moment, datetime) or tz is None:
        return None
    local = moment.astimezone(tz)
    return f"{local:%H:%M} ({local:%d.%m})" if with_day else f"{local:%H:%M}"


# Each returns (translated template, values), or None when the details do not fit.
Builder = Callable[[dict, tzinfo | None], tuple[str, tuple] | None]


def _cooldown(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:
    when = _time(d.get("allowed_at"), tz)
    if when is None or "minutes_ago" not in d:
        return None
    if d["minutes_ago"] < 1:
        return QCoreApplication.translate("Refusal", "Stamped less than a minute ago — next stamp from %1."), (when,)
    return QCoreApplication.translate("Refusal", "Stamped %1 min ago — next stamp from %2."), (d["minutes_ago"], when)


def _daily(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:
    when = _time(d.get("allowed_at"), tz, with_day=True)
    if when is None or "stamps_today" not in d:
        return None
    template = QCoreApplication.translate(
        "Refusal", "This card has had %1 stamps today, the daily limit. Stamps are possible again from %2.")
    return template, (d["stamps_today"], when)


def _wrong_pin(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    if "name" not in d or "attempts_left" not in d:
        return None
    template = QCoreApplication.translate("Refusal", "Wrong PIN for %1. Tries left before lockout: %2.")
    return template, (d["name"], d["attempts_left"])


def _locked(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:
    when = _time(d.get("locked_until"), tz)
    if when is None or "name" not in d:
        return None
    template = QCoreApplication.translate(
        "Refusal", "%1 is locked out after too many wrong PINs until %2. An owner can unlock.")
    return template, (d["name"], when)


def _clock_behind(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:
    when = _time(d.get("latest"), tz, with_day=True)
    if when is None:
        return None
    return QCoreApplication.translate(
        "Refusal", "This computer's clock is behind its last entry (%1). Check the computer's clock."), (when,)


def _clock_skew(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    if "minutes" not in d or "skew_seconds" not in d:
        return None
    if d["skew_seconds"] > 0:
        return QCoreApplication.translate(
            "Refusal", "This computer's clock is %1 minutes ahead of the hub's: stamps are refused until it is "
                       "right. Check the computer's clock."), (d["minutes"],)
    return QCoreApplication.translate(
        "Refusal", "This computer's clock is %1 minutes behind the hub's: stamps are refused until it is "
                   "right. Check the computer's clock."), (d["minutes"],)


def _pin_disabled(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    if "name" not in d:
        return None
    return QCoreApplication.translate(
        "Refusal", "%1's PIN is disabled after too many wrong PINs. An owner must unlock it or set a new PIN."), (
        d["name"],)


def _balance(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    if not {"reward", "unit", "need", "have"} <= d.keys():
        return None
    if d["unit"] == "stamps":
        template = QCoreApplication.translate("Refusal", "%1 needs %2 stamps; the card has %3.")
        return template, (d["reward"], d["need"], d["have"])
    template = QCoreApplication.translate("Refusal", "%1 needs %2 points; the card has %3.")
    return template, (d["reward"], number(d["need"]), number(d["have"]))


def _stock(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    return (QCoreApplication.translate("Refusal", "%1 is out of stock."), (d["reward"],)) if "reward" in d else None


def _offline(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    if "stock_share" in d:  # the till's share of a reward's stock while offline
        return QCoreApplication.translate(
            "Refusal", "This terminal cannot reach the hub: it may give at most %1 of the %2 %3 left until it "
                       "syncs again (the other tills may give the rest). Check the network, then try again."), (
            d["allowed"], d["left"], d.get("reward", ""))
    if "used" not in d:  # a card collecting offline before the hub knows it
        return QCoreApplication.translate(
            "Refusal", "This card is not known to the hub yet and the terminal is offline: it can collect now "
                       "and redeem once the terminal has synced."), ()
    return QCoreApplication.translate(
        "Refusal", "This terminal cannot reach the hub: each card may redeem at most %1 time(s) until it syncs "
                   "again, and this card has. Check the network, then try again."), (d.get("allowance", 0),)


def _not_permitted(d: dict, tz: tzinfo | None) -> tuple[str, tuple] | None:  # noqa: ARG001
    if d.get("undo") == "not_own":
        return QCoreApplication.translate(
            "Refusal", "Only the cashier who made this entry can undo it; otherwise an owner confirms."), ()
    if d.get("undo") == "too_late" and "window_seconds" in d:
        minutes = max(1, d["window_seconds"] // 60)
        if minutes == 1:
            return QCoreApplication.translate(
                "Refusal", "A cashier can undo their own action for 1 minute after it; now an owner confirms."), ()
        return QCoreApplication.translate(
            "Refusal", "A cashier can undo their own action for %1 minutes after it; now an owner confirms."), (
            minutes,)
    return QCoreApplication.translate("Refusal", _OWNER_ONLY), ()


_OWNER_ONLY = QT_TRANSLATE_NOOP("Refusal", "Only an owner may do this. Ask an owner to confirm with their PIN.")


def _fixed(text: str) -> Builder:
    return lambda d, tz: (QCoreApplication.translate("Refusal", text), ())  # noqa: ARG005


BUILDERS: dict[ErrorCode, Builder] = {
    ErrorCode.COOLDOWN_ACTIVE: _cooldown,
    ErrorCode.DAILY_LIMIT_REACHED: _daily,
    ErrorCode.PIN_INVALID: _wrong_pin,
    ErrorCode.STAFF_LOCKED: _locked,
    ErrorCode.CLOCK_BEHIND: _clock_behind,
    ErrorCode.CLOCK_SKEW: _clock_skew,
    ErrorCode.PIN_DISABLED: _pin_disabled,
    ErrorCode.INSUFFICIENT_BALANCE: _balance,
    ErrorCode.REWARD_OUT_OF_STOCK: _stock,
    ErrorCode.OFFLINE_LIMIT: _offline,
    ErrorCode.CARD_NOT_FOUND: _fixed(QT_TRANSLATE_NOOP(
        "Refusal", "This card is not known here. Enroll the customer, or check the code.")),
    ErrorCode.CARD_SUSPENDED: _fixed(QT_TRANSLATE_NOOP("Refusal", "This card is suspended. Ask an owner.")),
    ErrorCode.CARD_BLOCKED: _fixed(QT_TRANSLATE_NOOP("Refusal", "This card is blocked and cannot be used.")),
    ErrorCode.NOT_A_LOYALTY_CARD: _fixed(QT_TRANSLATE_NOOP(
        "Refusal", "That is not a loyalty card. Scan the QR code on the customer's loyalty card.")),
    ErrorCode.INVALID_CARD_CODE: _fixed(QT_TRANSLATE_NOOP(
        "Refusal", "That is not a valid card code. Check it and type it again.")),
    ErrorCode.GRANT_EXPIRED: _fixed(QT_TRANSLATE_NOOP(
        "Refusal", "The PIN confirmation has expired. Enter the PIN again.")),
    ErrorCode.NOT_PERMITTED: _not_permitted,
    ErrorCode.INVALID_AMOUNT: _fixed(QT_TRANSLATE_NOOP(
        "Refusal", "Check the amount: type it as a number, for example 4.50.")),
    ErrorCode.AMOUNT_BELOW_MINIMUM: _fixed(QT_TRANSLATE_NOOP("Refusal", "This amount is too small to earn a point.")),
    ErrorCode.UNEXPECTED: _fixed(QT_TRANSLATE_NOOP(
        "Refusal", "Something went wrong and nothing was changed. Try again; if it keeps happening, "
                   "ask the owner to check the log.")),
}


# Input checks the services word without structured details (the setup wizard and the owner pages meet
# them): known by their exact English wording; a value inside one, like a mistyped time zone, is kept.
WORDED_TEMPLATES: tuple[object, ...] = (  # object: QT_TRANSLATE_NOOP's stub type
    QT_TRANSLATE_NOOP("Refusal", "A PIN is made of digits only."),
    QT_TRANSLATE_NOOP("Refusal", "A PIN has %1 to %2 digits."),
    QT_TRANSLATE_NOOP("Refusal", "That PIN is one of the most common and easy to guess. Choose another."),
    QT_TRANSLATE_NOOP("Refusal", "%1 is not a time zone. Use a name like Europe/Berlin or Asia/Jakarta."),
    QT_TRANSLATE_NOOP("Refusal", "A currency is a 3-letter code such as EUR or IDR."),
    QT_TRANSLATE_NOOP("Refusal", "The store needs a name."),
    QT_TRANSLATE_NOOP("Refusal", "A program needs a name."),
    QT_TRANSLATE_NOOP("Refusal", "A reward needs a name."),
    QT_TRANSLATE_NOOP("Refusal", "A reward costs stamps or points."),
    QT_TRANSLATE_NOOP("Refusal", "A reward's validity must end after it starts."),
    QT_TRANSLATE_NOOP("Refusal", "Every tier needs a name."),
    QT_TRANSLATE_NOOP("Refusal", "A staff name has %1 to %2 characters."),
    QT_TRANSLATE_NOOP("Refusal", "There is already a staff member called %1."),
    QT_TRANSLATE_NOOP("Refusal", "An adjustment must change points or stamps."),
    QT_TRANSLATE_NOOP("Refusal", "The end of the date range must be after its start."),
    QT_TRANSLATE_NOOP("Refusal", "Two loyalty cards are in view. Show the camera one card at a time."),
    # a new PIN asked at the hub, a first PIN approved by an owner (StaffService)
    QT_TRANSLATE_NOOP("Refusal", "%1 must choose a new PIN first. Sign in again to choose it."),
    QT_TRANSLATE_NOOP("Refusal", "Choose a PIN different from your old one."),
    QT_TRANSLATE_NOOP("Refusal", "%1 already has a PIN. They sign in with it; an owner can reset it on the "
                                 "Staff page."),
)


def _pattern(template: str) -> re.Pattern[str]:
    """The English template as a pattern: each %N stands for a value the message carries."""
    return re.compile("(.+?)".join(re.escape(part) for part in re.split(r"%\d", template)))


WORDED = tuple((_pattern(str(template)), template) for template in WORDED_TEMPLATES)


def _worded(message: str) -> str | None:
    for pattern, template in WORDED:
        if match := pattern.fullmatch(message):
            return _fill(QCoreApplication.translate("Refusal", str(template)), *match.groups())
    return None


def refusal_text(code: ErrorCode | str, message: str, details: dict | None = None,
                 tz: tzinfo | None = None) -> str:
    """The refusal in the current language; ``message`` (English) when there is no translation."""
    try:
        code = ErrorCode(code)
    except ValueError:
        return message
    if not _catalogue_loaded():
        return message
    builder = BUILDERS.get(code)
    built = builder(details or {}, tz) if builder is not None else None
    if built is None:
        return _worded(message) or message
    template, values = built
    return _fill(template, *values)


def reward_reason(option: RewardOption, balance: Balance) -> str:
    """Why a reward cannot be redeemed now, in the current language ('' when it can)."""
    reward, why = option.reward, option.why
    if option.reason is None:
        return ""
    if not _catalogue_loaded() or why is None:
        return option.reason
    templates = {
        "inactive": (QCoreApplication.translate("Refusal", "%1 is no longer offered."), (reward.name,)),
        "not_yet": (QCoreApplication.translate("Refusal", "%1 is available from %2."),
                    (reward.name, f"{reward.valid_from:%Y-%m-%d}" if reward.valid_from else "")),
        "expired": (QCoreApplication.translate("Refusal", "%1 was available until %2."),
                    (reward.name, f"{reward.valid_until:%Y-%m-%d}" if reward.valid_until else "")),
        "out_of_stock": (QCoreApplication.translate("Refusal", "%1 is out of stock."), (reward.name,)),
        "stamps": (QCoreApplication.translate("Refusal", "Needs %1 stamps; the card has %2."),
                   (reward.cost_stamps, balance.stamps)),
        "points": (QCoreApplication.translate("Refusal", "Needs %1 points; the card has %2."),
                   (number(reward.cost_points), number(balance.points))),
    }
    template, values = templates.get(why, (option.reason, ()))
    return _fill(template, *values)


def describe(error: LoyaltyError, tz: tzinfo | None = None) -> str:
    return refusal_text(error.code, error.message, error.details, tz)
