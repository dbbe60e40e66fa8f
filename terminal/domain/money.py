"""Money as integer minor units, and parsing what a cashier types."""

from __future__ import annotations

import re

from terminal.domain.errors import ErrorCode, LoyaltyError

# ISO 4217 minor-unit digits for currencies where it is not 2. Rupiah is
# officially 2 but cents are not used at any counter.
_EXPONENTS = {"IDR": 0, "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0,
              "HUF": 0, "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3, "JOD": 3}

_AMOUNT = re.compile(r"^(\d{1,15})(?:[.,](\d+))?$")


def minor_digits(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def parse_amount(text: str, currency: str, maximum_minor: int) -> int:
    """Parse ``12.50`` or ``12,50`` into minor units (1250), or refuse clearly."""
    digits = minor_digits(currency)
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        raise LoyaltyError(ErrorCode.INVALID_AMOUNT, "Type the purchase amount.")
    if cleaned.startswith("-"):
        raise LoyaltyError(ErrorCode.INVALID_AMOUNT, "The amount cannot be negative.")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise LoyaltyError(
            ErrorCode.INVALID_AMOUNT,
            f"{text.strip()!r} is not an amount. Type digits, for example 12.50.",
        )
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > digits:
        raise LoyaltyError(
            ErrorCode.INVALID_AMOUNT,
            f"{currency} amounts have {digits} decimal places at most.",
        )
    scale: int = 10**digits  # int ** int is typed Any (a negative exponent gives a float)
    minor = int(whole) * scale + int(fraction.ljust(digits, "0") or 0)
    check_amount(minor, currency, maximum_minor)
    return minor


def check_amount(minor: int, currency: str, maximum_minor: int) -> None:
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise LoyaltyError(ErrorCode.INVALID_AMOUNT, "The amount must be a whole number of minor units.")
    if minor <= 0:
        raise LoyaltyError(ErrorCode.INVALID_AMOUNT, "The amount must be more than zero.")
    if minor > maximum_minor:
        raise LoyaltyError(
            ErrorCode.INVALID_AMOUNT,
            f"{format_money(minor, currency)} is more than the allowed maximum of "
            f"{format_money(maximum_minor, currency)}. Check the amount.",
        )


def format_money(minor: int, currency: str) -> str:
    digits = minor_digits(currency)
    if digits == 0:
        return f"{minor:,} {currency}"
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**digits)
    return f"{sign}{whole:,}.{fraction:0{digits}d} {currency}"
