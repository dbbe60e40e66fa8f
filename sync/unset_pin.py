"""The PIN hash of a staff member added at the hub, whose PIN nobody knows yet.

The hub never sees a PIN, yet the wire wants an Argon2id hash for every
member. So the hub stores the hash of 32 random bytes, which no PIN matches
(a till keys a PIN with the store's secret before hashing it): an older till
shows the member and no PIN opens their account. Its salt starts with a
fixed tag, so a newer till can tell "no PIN yet" from a PIN it does not
know, and asks an owner to approve the first one.
"""

from __future__ import annotations

import base64
import secrets

from argon2.low_level import Type, hash_secret

_TAG = b"unset-pin"  # nine bytes: a whole number of base64 groups, so its text never varies
_TAG_TEXT = base64.b64encode(_TAG).decode()


def unset_pin_hash() -> str:
    """A fresh Argon2id hash that no PIN matches, marked as "no PIN yet"."""
    digest: bytes = hash_secret(secrets.token_bytes(32), _TAG + secrets.token_bytes(16), time_cost=2,
                                memory_cost=19456, parallelism=1, hash_len=32, type=Type.ID)
    return digest.decode()


def is_unset_pin_hash(pin_hash: str) -> bool:
    parts = pin_hash.split("$")
    return len(parts) == 6 and parts[1] == "argon2id" and parts[4].startswith(_TAG_TEXT)
