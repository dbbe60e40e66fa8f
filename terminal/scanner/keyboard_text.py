"""Turning what a keyboard-wedge scanner typed back into a card payload. No Qt.

A handheld scanner pretends to be a US keyboard: it sends the key *positions*
a US layout would use. On a host set to another layout those positions type
other characters, so ``LT1:M0TP65SFA5`` arrives on a French AZERTY host as
``LT&M?àTP-(SFQ(``. Each table below maps what the host received back to what
the scanner meant. Scanners may also add control characters (STX/ETX, GS,
CR, LF, Tab) and an AIM symbology identifier such as ``]Q1`` in front.
"""

from __future__ import annotations

import re
import unicodedata

from terminal.domain.codes import PAYLOAD_PREFIX, normalize_code, parse_payload
from terminal.domain.errors import ErrorCode, LoyaltyError

# received character -> the US character the scanner sent (only keys a payload uses)
_AZERTY = {
    # French number row types these unshifted; digits need Shift
    "&": "1", "é": "2", '"': "3", "'": "4", "(": "5", "-": "6", "è": "7", "_": "8", "ç": "9", "à": "0",
    # Belgian AZERTY differs from French on two digit keys
    "§": "6", "!": "8",
    "A": "Q", "Q": "A", "Z": "W", "W": "Z", "a": "q", "q": "a", "z": "w", "w": "z",
    # US ';' key is AZERTY 'm', US 'm' key is AZERTY ','
    "M": ":", "m": ";", "?": "M", ",": "m",
    "$": "]",  # start of an AIM identifier
}
_QWERTZ = {
    "Z": "Y", "Y": "Z", "z": "y", "y": "z",
    "Ö": ":", "ö": ";",
    "+": "]",
}
LAYOUTS: dict[str, dict[str, str]] = {"us": {}, "azerty": _AZERTY, "qwertz": _QWERTZ}
_TABLES = {name: str.maketrans(table) for name, table in LAYOUTS.items()}

# "]" + symbology letter + modifier, e.g. "]Q1" for QR, "]C0" for Code 128
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")



def _not_a_card() -> LoyaltyError:
    return LoyaltyError(
        ErrorCode.NOT_A_LOYALTY_CARD,
        "That is not a loyalty card. Scan the QR code on the customer's loyalty card.",
    )


def strip_controls(text: str) -> str:
    """``text`` without control and formatting characters (STX, GS, CR, Tab, BOM...)."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def _readings(text: str) -> list[str]:
    """Every way to read ``text``: each layout, as typed and with Caps Lock undone."""
    cleaned = strip_controls(text)
    seen: list[str] = []
    for table in _TABLES.values():
        meant = _AIM_PREFIX.sub("", cleaned.translate(table)).strip()
        for candidate in (meant, meant.upper()):
            if candidate not in seen:
                seen.append(candidate)
    return seen


def decode_scanned_text(text: str) -> str:
    """The card code a keyboard-wedge scanner typed, or a ``LoyaltyError``.

    Strict like a camera read: it must be a whole ``LT1:`` payload. A reading
    that has the prefix but a bad check character is a damaged card, which
    deserves a different message than a product barcode.
    """
    if not isinstance(text, str):
        raise _not_a_card()
    damaged: LoyaltyError | None = None
    for candidate in _readings(text):
        try:
            return parse_payload(candidate)
        except LoyaltyError as exc:
            if exc.code == ErrorCode.INVALID_CARD_CODE and damaged is None:
                damaged = exc
    raise damaged or _not_a_card()


def read_manual_entry(text: str) -> str:
    """The card code a person typed (or a scanner typed into the field), or a ``LoyaltyError``.

    Lenient for people: ``normalize_code`` accepts lower case, hyphens and
    look-alike letters. A scanner burst that landed in the field still works.
    """
    if not isinstance(text, str):
        raise LoyaltyError(ErrorCode.INVALID_CARD_CODE, "A card code must be text.")
    cleaned = strip_controls(text)
    if not any(r.startswith(PAYLOAD_PREFIX) for r in _readings(cleaned)):
        return normalize_code(cleaned)
    try:
        return decode_scanned_text(cleaned)
    except LoyaltyError as scanned_error:
        try:  # a person typing "lt1:" and a hyphen is still fine
            return normalize_code(cleaned)
        except LoyaltyError:
            raise scanned_error from None
