"""Card codes and the QR payload that carries them.

A card code is 10 characters of Crockford's base-32 alphabet (digits and
upper-case letters without I, L, O, U, so nothing reads as something else):
9 random characters and one check character computed with the Damm algorithm
over GF(32) (the quasigroup x*y = 2x XOR y, reduced by x^5 + x^2 + 1). Being
totally anti-symmetric, it catches every single-character error and every
swap of two neighbouring characters, including the 0/Z swap that Luhn mod 32
misses. It is shown in two groups, ``7K3QP-9ZX2M``.

The QR payload is exactly ``LT1:`` followed by the 10 characters, e.g.
``LT1:7K3QP9ZX2M``. ``LT`` names the product and ``1`` the format version.
Every character is in QR's alphanumeric set, so the symbol stays small.
Anything else a camera or scanner reads (a URL, a product barcode, a Wi-Fi
QR) is refused as "not a loyalty card" before any lookup.
"""

from __future__ import annotations

import re
import secrets

from terminal.domain.errors import ErrorCode, LoyaltyError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 9
CODE_LENGTH = BODY_LENGTH + 1
PAYLOAD_PREFIX = "LT1:"

_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's decoding rules: people and scanners confuse these.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-]+")


def _times_two(value: int) -> int:
    """Multiply by x in GF(2^5) with the modulus x^5 + x^2 + 1."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _damm(chars: str) -> int:
    interim = 0
    for ch in chars:
        interim = _times_two(interim) ^ _INDEX[ch]
    return interim


def check_character(body: str) -> str:
    """The check character that brings ``body``'s Damm interim to zero."""
    return ALPHABET[_times_two(_damm(body))]


def is_valid_code(code: str) -> bool:
    """True when ``code`` is a canonical 10-character code with a good check."""
    return len(code) == CODE_LENGTH and all(ch in _INDEX for ch in code) and _damm(code) == 0


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def format_code(code: str) -> str:
    """The form printed on cards and shown on screen: ``7K3QP-9ZX2M``."""
    return f"{code[:5]}-{code[5:]}"


def payload_for(code: str) -> str:
    """The text a card's QR symbol encodes."""
    if not is_valid_code(code):
        raise ValueError(f"not a valid card code: {code!r}")
    return PAYLOAD_PREFIX + code


def normalize_code(text: str) -> str:
    """Turn what a person typed into a canonical code, or refuse it.

    Accepts lower case, spaces and hyphens, Crockford's aliases (O for 0,
    I and L for 1) and a whole payload (``LT1:...``).
    """
    if not isinstance(text, str):
        raise LoyaltyError(ErrorCode.INVALID_CARD_CODE, "A card code must be text.")
    cleaned = text.strip().upper()
    if cleaned.startswith(PAYLOAD_PREFIX):
        cleaned = cleaned[len(PAYLOAD_PREFIX):]
    cleaned = _SEPARATORS.sub("", cleaned).translate(_ALIASES)
    if not cleaned:
        raise LoyaltyError(ErrorCode.INVALID_CARD_CODE, "Type or scan a card code.")
    bad = sorted({ch for ch in cleaned if ch not in _INDEX})
    if bad:
        shown = "".join(bad)[:10]
        raise LoyaltyError(
            ErrorCode.INVALID_CARD_CODE,
            f"A card code has only digits and letters (not U); {shown!r} is not allowed. "
            "Check the code on the card.",
        )
    if len(cleaned) != CODE_LENGTH:
        raise LoyaltyError(
            ErrorCode.INVALID_CARD_CODE,
            f"A card code has {CODE_LENGTH} characters; this has {len(cleaned)}. "
            "Check the code on the card.",
        )
    if not is_valid_code(cleaned):
        raise LoyaltyError(
            ErrorCode.INVALID_CARD_CODE,
            "This card code has a typo (its check character does not match). "
            "Check the code on the card and type it again.",
        )
    return cleaned


def parse_payload(text: str) -> str:
    """The card code carried by a scanned QR payload, or a refusal.

    Strict on purpose: a camera read must be exactly ``LT1:`` + a valid code,
    so a misread never turns into a lookup of some other card.
    """
    if not isinstance(text, str) or not text.startswith(PAYLOAD_PREFIX):
        raise LoyaltyError(
            ErrorCode.NOT_A_LOYALTY_CARD,
            "That is not a loyalty card. Scan the QR code on the customer's loyalty card.",
        )
    code = text[len(PAYLOAD_PREFIX):]
    if not is_valid_code(code):
        raise LoyaltyError(
            ErrorCode.INVALID_CARD_CODE,
            "This loyalty card could not be read correctly. Scan it again or type the code.",
        )
    return code
