"""Time: always aware UTC inside; a controllable clock for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)


def to_iso(when: datetime) -> str:
    """Fixed-width, sortable UTC text: ``2026-11-22T09:30:00.000000Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    # fromisoformat is C and many times faster than strptime; the shape checks
    # keep it as strict as the format to_iso writes.
    if len(text) != 27 or text[10] != "T" or text[19] != "." or text[-1] != "Z":
        raise ValueError(f"not a UTC time as to_iso writes it: {text!r}")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


__all__ = ["Clock", "ManualClock", "SystemClock", "from_iso", "timedelta", "to_iso"]
