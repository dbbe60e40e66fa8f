"""Argon2id PIN hashing, with the PIN first keyed by a secret outside the DB."""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
OWASP_MIN_MEMORY_KIB = 19456
OWASP_MIN_TIME_COST = 2


class PinHasher:
    def __init__(self, key: bytes, time_cost: int, memory_kib: int, parallelism: int) -> None:
        if time_cost < OWASP_MIN_TIME_COST or memory_kib < OWASP_MIN_MEMORY_KIB or parallelism < 1:
            raise ValueError(
                f"Argon2id parameters below OWASP's minimum (t>={OWASP_MIN_TIME_COST}, "
                f"m>={OWASP_MIN_MEMORY_KIB} KiB, p>=1)."
            )
        self._key = key
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)

    def _keyed(self, pin: str) -> str:
        return hmac.new(self._key, pin.encode(), hashlib.sha256).hexdigest()

    def hash(self, pin: str) -> str:
        return self._hasher.hash(self._keyed(pin))

    def verify(self, pin_hash: str, pin: str) -> bool:
        try:
            return self._hasher.verify(pin_hash, self._keyed(pin))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, pin_hash: str) -> bool:
        return self._hasher.check_needs_rehash(pin_hash)
