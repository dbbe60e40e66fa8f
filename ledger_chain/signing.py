"""Ed25519 signatures over chain hashes and over the hub's receipts.

A record's chain hash already covers every field and the hash before it,
so a signature over that hash binds the author's key to the record and to
the whole chain up to it. What is signed is a short text with a prefix
naming what it is (domain separation): a signature made for one purpose
can never be replayed as another, e.g. an entry's as an audit event's or
a receipt's. The prefixes carry their own version, so the hash format
(``CHAIN_VERSION``) and the signature format move independently.

Keys and signatures travel as standard base64 (44 and 88 characters).
The author of a chain is a till's terminal id today; a hub-authored chain
per merchant later signs with the hub's key under the same scheme.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, Final, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

RECORD_PREFIX: Final = "loyalty-chain-sig-v1"
RECEIPT_PREFIX: Final = "loyalty-receipt-sig-v1"
Stream = Literal["entries", "audit"]
STREAMS: Final[tuple[Stream, ...]] = ("entries", "audit")


class SigningError(ValueError):
    """A key or signature that cannot be decoded."""


def new_private_key() -> str:
    """A fresh Ed25519 private key (the 32-byte seed), base64."""
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def _decode(value: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise SigningError(f"the {what} is damaged (not {size} bytes of base64)")
    return raw


def private_key(encoded: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_decode(encoded, 32, "signing key"))


def public_key_of(key: Ed25519PrivateKey) -> str:
    """The public key of ``key``, base64: what a verifier is given."""
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_key(encoded: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_decode(encoded, 32, "public key"))


def _record_message(stream: Stream, digest: str) -> bytes:
    return f"{RECORD_PREFIX}\n{stream}\n{digest}".encode("ascii")


def sign_record(key: Ed25519PrivateKey, stream: Stream, digest: str) -> str:
    """Signature over a record's chain hash (``digest``) in ``stream``, base64."""
    return base64.b64encode(key.sign(_record_message(stream, digest))).decode()


def _check(key: Ed25519PublicKey, signature: str | None, message: bytes) -> bool:
    if not signature:
        return False
    try:
        key.verify(_decode(signature, 64, "signature"), message)
    except (InvalidSignature, SigningError):
        return False
    return True


def record_signed(key: Ed25519PublicKey, stream: Stream, digest: str, signature: str | None) -> bool:
    """True when ``signature`` is ``key``'s over the record hash ``digest`` of ``stream``."""
    return _check(key, signature, _record_message(stream, digest))


# ---- receipts: "I, the hub, hold this chain up to here" ------------------------

RECEIPT_FIELDS: Final = ("author", "stream", "seq", "hash", "at")


def _receipt_message(receipt: Mapping[str, Any]) -> bytes:
    values = [receipt[name] for name in RECEIPT_FIELDS]
    return (RECEIPT_PREFIX + "\n" + json.dumps(values, separators=(",", ":"), ensure_ascii=True)).encode("ascii")


def sign_receipt(key: Ed25519PrivateKey, receipt: Mapping[str, Any]) -> str:
    """Signature over a receipt's RECEIPT_FIELDS (author = the chain's terminal id), base64."""
    return base64.b64encode(key.sign(_receipt_message(receipt))).decode()


def receipt_signed(key: Ed25519PublicKey, receipt: Mapping[str, Any], signature: str | None) -> bool:
    return _check(key, signature, _receipt_message(receipt))
