"""Which keyed expire entry counts, the same rule at every till and at the hub.

An ``expire`` entry whose reason starts with ``expiry:`` carries a period
key (``expiry:age:2026-11-30``, ``expiry:inactive:2026-05-02``). Tills that
run expiry while offline may each write one for the same card and key;
of all entries with the same card and key only the one with the smallest
``entry_id`` counts toward the balance, the others count zero. The order is
total and needs nothing but the entries, so every peer agrees once it holds
the same entries, whichever arrived first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

KEY_PREFIX = "expiry:"
EXPIRE_KIND = "expire"


def is_keyed(kind: str, reason: str | None) -> bool:
    """True for an expire entry that follows the once-per-key rule (older ones count as written)."""
    return kind == EXPIRE_KIND and reason is not None and reason.startswith(KEY_PREFIX)


def counted_points(group: Iterable[tuple[str, int]]) -> int:
    """The points that count for one card and key: those of the smallest entry id (0 for none)."""
    winner = min(group, default=None)
    return winner[1] if winner is not None else 0


def counted_change(before: Iterable[tuple[str, int]], added: Iterable[tuple[str, int]]) -> int:
    """How the counted points of one card and key move when ``added`` joins ``before``.

    Both are (entry_id, points) pairs; ``added`` holds only entries not in ``before``.
    """
    old = list(before)
    return counted_points([*old, *added]) - counted_points(old)


def not_counted(group: Iterable[tuple[str, int]]) -> set[str]:
    """Ids of the entries of one card and key that count zero."""
    ids = sorted(entry_id for entry_id, _points in group)
    return set(ids[1:])


def age_cohort(key: str) -> date:
    """The earning day an age expiry key names (``expiry:age:2026-11-30#2`` -> 2026-11-30)."""
    return date.fromisoformat(key.removeprefix(f"{KEY_PREFIX}age:").partition("#")[0])


def cohorts_left(entries: Iterable[tuple[date, int, str | None]]) -> dict[date, int]:
    """What is left of each earning day's points: spending takes the oldest first, a keyed age
    expiry takes exactly its own day. ``entries`` are (local day, points, expiry key) in ledger
    order, counted entries only; the till's expiry and the hub's customer page both read it."""
    left: dict[date, int] = {}
    for day, points, key in entries:
        if points > 0:
            left[day] = left.get(day, 0) + points
        elif key is not None and key.startswith(f"{KEY_PREFIX}age:"):
            cohort = age_cohort(key)
            left[cohort] = max(0, left.get(cohort, 0) + points)
        else:
            owed = -points
            for cohort in sorted(left):
                take = min(owed, left[cohort])
                left[cohort] -= take
                owed -= take
                if not owed:
                    break
    return {day: n for day, n in left.items() if n > 0}
