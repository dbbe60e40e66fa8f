"""The customer page's token: a card code signed by the author (a till, or the hub) that made it.

Tills make cards offline, so the address printed on a card is made at the
till, with the Ed25519 chain key it already has (terminal/store/chain_key.py);
the hub checks it with that till's public key, bound at pairing
(``terminals.signing_key``; the merchant's hub author holds the hub's key).
The terminal id names the key, and through it the merchant: a till belongs to
one merchant, so a token can only ever open a card of its till's merchant.

Token bytes: the author's terminal id (16 bytes of its UUID), the card code
(10 ASCII characters) and the signature (64 bytes) over a prefixed text
naming both, written as unpadded base64url (120 characters). Ed25519
signatures are deterministic, so a reprint of a card gives the same address.
The code is readable in the token (as it is printed on the card beside the
QR): the address is as private as the card, and unguessable without a key.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX: Final = "loyalty-customer-page-v1"
CODE_LENGTH: Final = 10
TOKEN_BYTES: Final = 16 + CODE_LENGTH + 64
TOKEN_LENGTH: Final = 120  # base64url of TOKEN_BYTES, unpadded


def _message(terminal_id: str, code: str) -> bytes:
    return f"{PREFIX}\n{terminal_id}\n{code}".encode("ascii")


def make_token(key: Ed25519PrivateKey, terminal_id: str, code: str) -> str:
    """The token of card ``code`` signed by ``terminal_id``'s ``key``."""
    author = uuid.UUID(terminal_id)
    if len(code) != CODE_LENGTH or not code.isascii() or not code.isalnum():
        raise ValueError(f"a card code has {CODE_LENGTH} letters and digits, not {code!r}")
    raw = author.bytes + code.upper().encode("ascii") + key.sign(_message(str(author), code.upper()))
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def read_token(token: str) -> tuple[str, str, bytes] | None:
    """(terminal id, card code, signature) the token names, or None when it is not a token at all.

    Nothing is checked here but the shape: the signature is checked by ``token_signed``.
    """
    if len(token) != TOKEN_LENGTH or not token.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != TOKEN_BYTES or base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != token:
        return None  # a second spelling of the same bytes is not the token
    code_bytes = raw[16:16 + CODE_LENGTH]
    code = code_bytes.decode("ascii", errors="replace")
    if not code.isascii() or not code.isalnum() or code != code.upper():
        return None
    return str(uuid.UUID(bytes=raw[:16])), code, raw[16 + CODE_LENGTH:]


def token_signed(key: Ed25519PublicKey, terminal_id: str, code: str, signature: bytes) -> bool:
    """True when ``signature`` is ``key``'s over this terminal id and card code."""
    try:
        key.verify(signature, _message(terminal_id, code))
    except InvalidSignature:
        return False
    return True
