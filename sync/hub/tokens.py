"""Secrets the hub hands out: tokens and one-time pairing codes.

Tokens are 256 random bits, so one SHA-256 is enough to store them safely
(no slow hash is needed against guessing); the database keeps only hashes.
The prefix tells which kind a token is, so the hub checks one table.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TERMINAL_PREFIX = "lt_term_"
OWNER_PREFIX = "lt_owner_"
# No 0/O, 1/I/L, U: read aloud and typed on a terminal's touch screen.
PAIRING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PAIRING_LENGTH = 10  # 29**10, about 2**48, and each code lives a day at most


def new_terminal_token() -> str:
    return TERMINAL_PREFIX + secrets.token_urlsafe(32)


def new_owner_token() -> str:
    return OWNER_PREFIX + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_pairing_code() -> str:
    """A code like ``K7QM2-XR9TB``, shown once to the owner."""
    raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_pairing_code(text: str) -> str:
    """Upper case without spaces or dashes: what is hashed and compared."""
    return re.sub(r"[\s-]+", "", text).upper()
