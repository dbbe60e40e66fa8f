"""Names, reasons and other free text as typed at the till, checked by the wire's own rule.

``text_rules`` holds the one rule the protocol also applies, so what is
accepted here can always be pushed to the hub.
"""

from __future__ import annotations

import text_rules
from terminal.domain.errors import ErrorCode, LoyaltyError

MAX_NAME = 120  # store, program, reward and tier names: well inside the wire's 200


def check_text(value: str | None, what: str) -> str:
    """``value`` normalised (NFC, single spaces, trimmed; None is ""), or a refusal saying what is wrong.

    ``what`` names the field for the message ("The holder's name"); lengths are the caller's to check.
    """
    if value is not None and not isinstance(value, str):
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"{what} must be text.", field=what)
    try:
        return text_rules.clean(value or "")
    except ValueError as exc:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"{what} {exc}, which cannot be stored or synced. Retype it without that character.",
                           field=what) from None


def check_label(value: str | None, what: str, empty: str) -> str:
    """A store, program, reward or tier name: :func:`check_text`, then 1 to :data:`MAX_NAME` characters.

    ``empty`` is the refusal for a blank name ("A reward needs a name.").
    """
    cleaned = check_text(value, what)
    if not cleaned:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, empty, field=what)
    if len(cleaned) > MAX_NAME:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"{what} has at most {MAX_NAME} characters.", field=what)
    return cleaned
