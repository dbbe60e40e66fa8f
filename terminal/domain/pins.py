"""What makes an acceptable staff PIN."""

from __future__ import annotations

from itertools import pairwise

from terminal.domain.errors import ErrorCode, LoyaltyError

MIN_LENGTH = 4
MAX_LENGTH = 8


def _is_sequence(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    return steps in ({1}, {-1})


# The most used PINs in published PIN-frequency studies beyond the repeated and
# sequential ones the rules below already catch.
_COMMON = frozenset({
    "1212", "1004", "2000", "6969", "1122", "1313", "4321", "2001", "1010",
    "2580", "0852", "1357", "2468", "1969", "2525", "7777", "121212", "112233",
    "123123", "159753", "654321", "696969", "131313", "2121", "0007", "1230",
    "12341234", "11223344", "147258", "147258369", "159357", "1478", "9630",
})


def check_pin(pin: str) -> None:
    """Refuse PINs that are malformed or too easy to guess."""
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit():
        raise LoyaltyError(ErrorCode.PIN_REJECTED, "A PIN is made of digits only.")
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise LoyaltyError(
            ErrorCode.PIN_REJECTED, f"A PIN has {MIN_LENGTH} to {MAX_LENGTH} digits."
        )
    if len(set(pin)) == 1 or _is_sequence(pin) or pin in _COMMON or _is_repeat(pin):
        raise LoyaltyError(
            ErrorCode.PIN_REJECTED,
            "That PIN is one of the most common and easy to guess. Choose another.",
        )


def _is_repeat(pin: str) -> bool:
    """Short patterns repeated, such as 1212 or 123123."""
    n = len(pin)
    return any(n % k == 0 and pin == pin[:k] * (n // k) for k in range(1, n // 2 + 1))
