"""The customers' refusals (contact details, card status, replacement) in the window's language.

Same approach as :mod:`terminal.ui.refusals` (the services word refusals in
English; the window matches the English template and fills the translated
one), kept here so the customer screens add their wording in one place.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from terminal.domain.errors import LoyaltyError
from terminal.ui.refusals import _catalogue_loaded, _fill, _pattern, describe

TEMPLATES: tuple[object, ...] = (  # object: QT_TRANSLATE_NOOP's stub type
    QT_TRANSLATE_NOOP("CustomerRefusal", "The phone number has %1 digits; a phone number has %2 to %3."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "The phone number may hold only digits, spaces, a leading + and "
                                         "- ( ) . / (for example +62 812-3456-7890)."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "The e-mail address should look like name@example.com."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Type the birthday as YYYY-MM-DD, or MM-DD without the year."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "%1 is not a date in the calendar."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "A birthday of %1 is not plausible (in the future or over 130 years ago)."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "The customer's name has at most %1 characters."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 is already %2; nothing changed."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 was replaced by %2, which holds its balance now; it stays blocked."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 was already replaced by %2."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 is %2: block it first (lost or stolen), then replace it."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "The new card must be a different card from the one it replaces."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 belongs to another program; use a card of the same program, "
                                         "or a new pre-printed card."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 already holds %2 stamps and %3 points; use a new card."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Card %1 is %2; the new card must be an active card."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Say why (at least a few words); it goes in the ledger."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Say why (at least a few words); it goes in the audit log."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Type a name, phone number or card code to search."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "%1 is %2 KB; a logo file has at most %3 MB. Save a smaller copy (PNG or "
                                         "JPEG) and pick that."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "%1 is not an image this program can read. Pick a PNG or JPEG file."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "%1 is %2 x %3 pixels; a logo has at most %4 pixels a side. Save a smaller "
                                         "copy and pick that."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "%1 is only %2 x %3 pixels; it would print as a blur. Pick a larger image."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "%1 could not be read as an image (%2). Pick a PNG or JPEG file."),
    QT_TRANSLATE_NOOP("CustomerRefusal", "Could not write the logo into %1. Check that the data folder can be "
                                         "written."),
)
_MATCHERS = tuple((_pattern(str(template)), str(template)) for template in TEMPLATES)
_STATUS_WORDS = {"active": QT_TRANSLATE_NOOP("CustomerRefusal", "active"),
                 "suspended": QT_TRANSLATE_NOOP("CustomerRefusal", "suspended"),
                 "blocked": QT_TRANSLATE_NOOP("CustomerRefusal", "blocked")}


def _value(text: str) -> str:
    word = _STATUS_WORDS.get(text)
    return QCoreApplication.translate("CustomerRefusal", str(word)) if word is not None else text


def describe_customer(error: LoyaltyError | str) -> str:
    """A refusal of the customer screens in the current language (the English message without a catalogue)."""
    if isinstance(error, str):
        return error
    if _catalogue_loaded():
        for pattern, template in _MATCHERS:
            if match := pattern.fullmatch(error.message):
                translated = QCoreApplication.translate("CustomerRefusal", template)
                return _fill(translated, *(_value(v) for v in match.groups()))
    return describe(error)
