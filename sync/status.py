"""The plain events the syncer reports; a Qt adapter turns them into signals."""

from __future__ import annotations

import enum
from dataclasses import dataclass

CLOCK_WARN_SECONDS = 120


class SyncState(enum.StrEnum):
    ONLINE = "online"      # the last exchange with the hub worked
    OFFLINE = "offline"    # the hub cannot be reached; retrying with backoff
    ERROR = "error"        # the hub refused something, or the local store failed


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    pending: int = 0
    last_sync_at: str | None = None   # UTC ISO time of the last successful exchange
    last_error: str | None = None     # for people: what went wrong, what to do
    catchup_done: int = 0             # records sent since this catch-up began
    catchup_total: int = 0            # catchup_done + what is still pending
    set_aside: tuple[str, ...] = ()   # streams held back after the hub refused them
    clock_skew_seconds: int | None = None  # this computer's clock minus the hub's, when known
    clock_refused: bool = False       # the hub refused times from this till: its clock must be fixed
    records_refused: int = 0          # records the hub did not take in the last push (see the sync page)

    @property
    def clock_warning(self) -> bool:
        """The clocks differ by more than two minutes: the status bar warns."""
        return self.clock_skew_seconds is not None and abs(self.clock_skew_seconds) > CLOCK_WARN_SECONDS

    @property
    def catchup_fraction(self) -> float:
        """0.0 to 1.0 while catching up; 1.0 when nothing is pending."""
        if self.catchup_total <= 0:
            return 1.0
        return self.catchup_done / self.catchup_total
