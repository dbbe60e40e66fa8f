"""Accepting a card only after consistent reads, and only once per visit. No Qt.

One read of a well-formed payload with a good check character is already
unlikely to be wrong, but a second matching read within a second costs a
cashier nothing (the camera sees 15-30 frames a second) and rules out the
rare misread. Once accepted, a card stays quiet until it has been out of
view for ``repeat_window_s``: a card held in front of the camera is one
scan, not one every two seconds.
"""

from __future__ import annotations


class Confirmer:
    def __init__(self, reads: int = 2, window_s: float = 1.0, repeat_window_s: float = 2.0) -> None:
        self.reads = reads
        self.window_s = window_s
        self.repeat_window_s = repeat_window_s
        self._candidate: str | None = None
        self._count = 0
        self._candidate_first = 0.0
        self._candidate_last = 0.0
        self._reported: dict[str, float] = {}  # key -> last seen after being reported

    def offer(self, key: str, now: float) -> bool:
        """A read of ``key`` at ``now``; True when it should be reported now."""
        self._forget_old(now)
        if key in self._reported:
            self._reported[key] = now
            return False
        if key != self._candidate or now - self._candidate_last > self.window_s:
            self._candidate, self._count, self._candidate_first = key, 0, now
        self._count += 1
        self._candidate_last = now
        if self._count < self.reads:
            return False
        self._reported[key] = now
        self._candidate = None
        return True

    def first_read_at(self) -> float:
        """When the candidate just confirmed was first read (for timings)."""
        return self._candidate_first

    def reset(self) -> None:
        self._candidate = None
        self._reported.clear()

    def _forget_old(self, now: float) -> None:
        stale = [k for k, seen in self._reported.items() if now - seen >= self.repeat_window_s]
        for key in stale:
            del self._reported[key]
