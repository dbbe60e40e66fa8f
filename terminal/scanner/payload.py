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


def is_customer_page(data: bytes | str) -> bool:
    """A card's second QR: the address of its customer page (``.../c/<120-character token>``).

    Printed beside the card's own QR for the customer's phone; the counter
    reads the card from the other one, so this one is no reason to refuse.
    """
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    head, _, token = text.rpartition("/c/")
    return head.startswith(("http://", "https://")) and len(token.rstrip("/")) == 120
