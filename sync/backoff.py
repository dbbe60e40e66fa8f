"""Retry delays: exponential backoff with full jitter.

Full jitter (a uniform pick between 0 and the exponential ceiling) spreads
the retries of many terminals that lost the hub at the same moment, so they
do not all come back in the same second when it returns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 180.0
    # Longest a hub's Retry-After is obeyed; a bad header must not park a
    # terminal for a day.
    max_retry_after: float = 600.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        """Count one more failure and return how long to wait before retrying."""
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 30))
        delay = self.rng.uniform(0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after))
        return delay

    def reset(self) -> None:
        self.failures = 0
