"""The program page's refusals in the page's language.

A program form is checked by the till's own rules (terminal/domain: names,
amounts, multipliers, campaigns, the whole record) and by
``sync.hub.console_programs``; both word their refusals in English, which the
till, its logs and the tests read too, so those words stay. The page names
each refusal by a code read from that English and says it with
``refusal_program_<code>`` (words/refusals.py), the details (a name, a field,
a length, the typed value) carried over; a field's name is said with
``refusal_label_<field>``. A refusal with no code yet is shown in its English
inside the page's sentence. tests/sync/test_console_refusals.py makes every
refusal the forms can meet say exactly its English on an English page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sync.hub.console.i18n import MESSAGES, translator
from sync.hub.console.refusals import fits
from terminal.domain.programs import TIMES

_NAMES = r"(?P<what>The program name|The reward name|The campaign name|The tier name)"
# Labels a form's field is named by in a refusal (console_programs, program_settings.check_int).
_WHOLE = ("Stamps for a reward", "Points earned", "Most points per purchase", "Points expire after (days)",
          "Cost in stamps", "Cost in points", "Stock", "Weekdays", "Bonus points", "Bonus stamps")
_AMOUNTS = ("Spent for those points", "Minimum purchase", "Purchase of at least")
_DAYS = ("First day", "Last day")
_CLOCKS = ("From", "Until")
_SETTINGS = ("Stamps target", "Points per unit", "Earn per minor", "Min amount minor", "Max points per event",
             "Points expiry days", "Cooldown minutes", "Daily stamp limit", "Tier threshold",
             "Tier multiplier (percent)", "Cost in stamps", "Cost in points", "Stock")
_BONUSES = ("Bonus points", "Bonus stamps", "The minimum spend")
_CHARACTERS = {"a control character": "control", "an invisible formatting character": "format",
               "a broken character (a lone surrogate)": "surrogate"}


def _one_of(name: str, labels: tuple[str, ...] | list[str]) -> str:
    return f"(?P<{name}>" + "|".join(re.escape(label) for label in labels) + ")"


def _field(labels: tuple[str, ...]) -> str:
    """A field's label, or a tier's lifetime points (the label carries the tier's name)."""
    return "(?:" + _one_of("label", labels) + r"|(?P<tier>.+?): lifetime points)"


_AMOUNT = _one_of("label", _AMOUNTS)
_CODES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(pattern)) for code, pattern in (
    ("tiers_form", r"Send the tiers form as the page shows it\."),   # program_routes.py
    ("weekdays_twice", r"Pick each weekday at most once\."),
    ("expiry_mode", r"Pick how expiry days are counted: from the day earned or the last visit\."),
    ("reward_missing", r"That reward is not in this program\."),
    ("campaign_missing", r"That campaign is not in this program\."),
    ("reward_retired", r"(?P<name>.+) is already retired\."),
    ("tiers_stamps_only", r"Tiers need points: this program has stamps only\."),
    ("tier_row_name", r"Every tier needs a name \(or leave its whole row empty\)\."),
    ("program_retired", r"(?P<name>.+) was retired; it takes no campaigns\."),
    ("campaign_kind_missing", r"Pick what the campaign gives\."),
    ("campaign_kind_unfit", r"That kind of campaign does not fit this program\."),
    ("campaign_past", r"That campaign's last day has passed\. Pick later days\."),
    ("campaigns_full", r"(?P<name>.+) has (?P<most>\d+) campaigns running or to come; "
                       r"end one before adding another\."),
    ("campaign_ended", r"(?P<name>.+) has already ended\."),
    ("text_character", _NAMES + " contains " + _one_of("character", list(_CHARACTERS))
     + r" \(U\+(?P<point>[0-9A-F]+)\), which cannot be stored or synced\. Retype it without that character\."),
    ("program_name_missing", r"A program needs a name\."),
    ("reward_name_missing", r"A reward needs a name\."),
    ("campaign_name_missing", r"A campaign needs a name\."),
    ("tier_name_missing", r"Every tier needs a name\."),
    ("name_long", _NAMES + r" has at most (?P<most>\d+) characters\."),
    ("multiplier_bad", rf"(?P<given>.+) is not a multiplier\. Type it like {TIMES}1\.25 \(at most two decimals\)\."),
    ("campaign_days_order", r"A campaign's last day cannot be before its first day\."),
    ("weekdays", r"Weekdays are numbers 0 \(Monday\) to 6 \(Sunday\), each once\."),
    ("times_both", r"Give both the start and the end time, or neither \(all day\)\."),
    ("times_order", r"The end time must be after the start time on the same day \(for a night, make two campaigns\)\."),
    ("bonus_range", _one_of("label", _BONUSES) + r" must be between 0 and (?P<number>[\d,]+)\."),
    ("multiplier_range", rf"A points multiplier is between {TIMES}1\.01 and {TIMES}10\."),
    ("fixed_bonus", r"Give the bonus points, at least 1\."),
    ("spend_bonus", r"Give the bonus points and the amount a purchase must reach\."),
    ("extra_stamp", r"Give the extra stamps, at least 1\."),
    ("once_bonus", r"Give the bonus points or stamps\."),
    ("setting_least", _one_of("label", _SETTINGS) + r" must be a whole number of at least (?P<least>\d+)\."),
    ("tiers_same_name", r"Two tiers have the same name\. Give each its own\."),
    ("reward_costs", r"A reward costs stamps or points\."),
    ("whole", _field(_WHOLE) + r": type a whole number \(digits only\), like 10\."),
    ("day", _one_of("label", _DAYS) + r": pick a date \(year-month-day\)\."),
    ("clock", _one_of("label", _CLOCKS) + r": type a time like 17:30\."),
    ("amount_empty", _AMOUNT + r": Type the purchase amount\."),
    ("amount_negative", _AMOUNT + r": The amount cannot be negative\."),
    ("amount_bad", _AMOUNT + r": (?P<given>.+) is not an amount\. Type digits, for example 12\.50\."),
    ("amount_decimals", _AMOUNT + r": (?P<currency>[A-Z]{3}) amounts have (?P<digits>\d+) decimal places at most\."),
    ("amount_zero", _AMOUNT + r": The amount must be more than zero\."),
    ("amount_most", _AMOUNT + r": (?P<amount>.+) is more than the allowed maximum of (?P<most>.+)\. "
                              r"Check the amount\."),
))


def label_key(label: str) -> str:
    """The words naming a field: "Points expire after (days)" -> refusal_label_points_expire_after_days."""
    return "refusal_label_" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def code_of(message: str) -> tuple[str, dict[str, str]] | None:
    """The refusal's code and details, or None for one the page has no words for."""
    for code, pattern in _CODES:
        found = pattern.fullmatch(message)
        if found:
            return code, {k: v for k, v in found.groupdict().items() if v is not None}
    return None


def _details(t: Callable[..., str], language: str, found: dict[str, str]) -> dict[str, str] | None:
    """The details in the page's words: labels and characters named, numbers and amounts written its way."""
    said = dict(found)
    for name in ("label", "what"):
        if name in said:
            key = label_key(said[name])
            if key not in MESSAGES["en"]:
                return None
            said[name] = t(key)
    if "tier" in said:
        said["label"] = t("refusal_label_tier_points", tier=said.pop("tier"))
    if "character" in said:
        said["character"] = t("refusal_character_" + _CHARACTERS[said["character"]])
    if language == "id":   # 1,000,000 and 1,000.00 IDR are written 1.000.000 and 1.000,00 IDR
        for name in ("number", "amount", "most"):
            if name in said:
                said[name] = said[name].translate(str.maketrans(",.", ".,"))
    return said


def say(language: str, message: str) -> str:
    """The page's sentence for a refusal whose English is ``message``."""
    t = translator(language)
    known = code_of(message)
    details = _details(t, language, known[1]) if known else None
    if known is not None and details is not None and fits(f"refusal_program_{known[0]}", details):
        return t(f"refusal_program_{known[0]}", **details)
    return t("refusal_unworded", reason=message)
