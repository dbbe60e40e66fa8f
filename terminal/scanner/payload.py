"""Which decoded symbols are loyalty cards. No Qt.

A camera read is held to the strict rule of ``terminal.domain.codes.parse_payload``:
exactly ``LT1:`` and a code whose check character matches. Bytes that are
not text (a binary QR) are simply "not a loyalty card".
"""

from __future__ import annotations

from terminal.domain.codes import parse_payload
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.scanner.decoders import Detection


def card_code_of(detection: Detection) -> str:
    """The card code a symbol carries, or a ``LoyaltyError`` saying why not."""
    return card_code_from_payload(detection.data)


def card_code_from_payload(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise LoyaltyError(
                ErrorCode.NOT_A_LOYALTY_CARD,
                "That is not a loyalty card. Scan the QR code on the customer's loyalty card.",
            ) from None
    return parse_payload(data)
