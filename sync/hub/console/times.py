"""Wire times (UTC ISO text) shown in a store's time zone, as the tills show them."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(value: str | None, zone: str | None = None) -> str:
    """``2026-05-01 09:30 WIB`` for a UTC wire time in Asia/Jakarta; UTC when the zone is unknown."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    target = _zone(zone or "UTC") or UTC
    shown = moment.astimezone(target)
    return f"{shown:%Y-%m-%d %H:%M} {shown.tzname() or 'UTC'}"
