"""Telling a keyboard-wedge scanner from a person typing. No Qt.

A scanner types a key every few milliseconds (under 10 ms) and ends with
Enter; even a fast typist leaves 30-60 ms between keys. So a scan is a run of
at least ``min_length`` characters, each within ``max_interval_s`` (25 ms by
default, between the two) of the one before, followed by Enter just as fast.
Any slower gap starts a new run, so typing never adds up to a scan.
"""

from __future__ import annotations

import dataclasses

from terminal.domain.errors import LoyaltyError
from terminal.scanner.events import CardScan, Rejection
from terminal.scanner.keyboard_text import decode_scanned_text


@dataclasses.dataclass(frozen=True)
class WedgeOutcome:
    """What an Enter key meant: a card, a refused scan, or plain typing (both None)."""

    card: CardScan | None = None
    rejection: Rejection | None = None

    @property
    def is_scan(self) -> bool:
        return self.card is not None or self.rejection is not None


class WedgeDecoder:
    def __init__(self, max_interval_s: float = 0.025, min_length: int = 8) -> None:
        self.max_interval_s = max_interval_s
        self.min_length = min_length
        self._chars: list[str] = []
        self._first_at = 0.0
        self._last_at = 0.0

    @property
    def pending(self) -> str:
        """Characters of the current fast run (for replaying them as typing)."""
        return "".join(self._chars)

    def is_burst_continuing(self, now: float) -> bool:
        return bool(self._chars) and now - self._last_at <= self.max_interval_s

    def key(self, text: str, now: float) -> None:
        """A key that produced ``text`` (may be several characters, or a control character)."""
        if not self.is_burst_continuing(now):
            self._chars.clear()
            self._first_at = now
        self._chars.extend(text)
        self._last_at = now

    def reset(self) -> None:
        self._chars.clear()

    def enter(self, now: float) -> WedgeOutcome:
        """Enter was pressed: decide whether the run before it was a scan."""
        typed = self.pending
        is_scan = self.is_burst_continuing(now) and len(typed) >= self.min_length
        started = self._first_at
        self._chars.clear()
        if not is_scan:
            return WedgeOutcome()
        try:
            code = decode_scanned_text(typed)
        except LoyaltyError as exc:
            return WedgeOutcome(rejection=Rejection("wedge", exc.code.value, exc.message, at=now))
        timings = {"burst": (now - started) * 1000.0}
        return WedgeOutcome(card=CardScan(code, "wedge", decoder="keyboard", timings=timings, at=now))
