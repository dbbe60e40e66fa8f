"""Times the hub takes from tills: not ahead of its own clock, not before TIME_FLOOR.

A till's clock decides ``updated_at`` (which version of a record wins) and
an entry's ``at`` (cooldowns and daily limits on every till). A clock set
forward once let a record win for ever (9999-12-31 froze it) and froze a
card's cooldown on every till; a clock at 1970 made entries older than the
merchant. So the hub, whose clock is the one all tills share, refuses:

- a time more than ``max_ahead`` (5 minutes by default, ``loyalty-hub serve
  --max-clock-ahead-minutes``) ahead of its own clock: ``clock_ahead``;
- a time before ``TIME_FLOOR`` (2020-01-01, before this product existed;
  a fixed floor rather than the merchant's creation, because a store's
  first till may have worked for months before the hub was set up):
  ``clock_too_old``.

Entries and audit events are links of a hash chain: one cannot be dropped
or re-dated, so a push whose new chain records hold such a time is refused
whole for that stream (422, naming the seq) and the till holds it, retrying,
until the hub's clock reaches the time (a clock that was minutes or hours
fast) — its other streams go on. Card, program and staff records are
refused one by one (see record_rules.py).

The provisional card version (1970-01-01T00:00:00.000000Z, the oldest
possible, which loses to any real enrollment) is the one time before the
floor that is taken: it can never win over anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sync.hub.errors import HubError
from sync.protocol import TIME_FLOOR, AuditEvent, Entry

DEFAULT_MAX_AHEAD = timedelta(minutes=5)
PROVISIONAL_VERSION = "1970-01-01T00:00:00.000000Z"
_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class TimeRules:
    max_ahead: timedelta = DEFAULT_MAX_AHEAD
    # the hub's clock; tests that stand for days passing move it with the tills' clock
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def latest(self, now: datetime | None = None) -> str:
        """The latest time taken now, in the wire's text form (which sorts by time)."""
        return ((now or self.clock()) + self.max_ahead).strftime(_FORMAT)

    def problem(self, when: str, latest: str) -> tuple[str, str] | None:
        """``(code, sentence)`` when ``when`` is not a time the hub takes, else None."""
        if when > latest:
            minutes = int(self.max_ahead.total_seconds() // 60)
            return ("clock_ahead",
                    f"is dated {when}, more than {minutes} minutes ahead of the hub's clock "
                    f"(the hub takes times up to {latest}): check the computer's clock and time zone")
        if when < TIME_FLOOR:
            return ("clock_too_old",
                    f"is dated {when}, before {TIME_FLOOR[:10]}: the computer's clock is wrong; "
                    "check its date, time and time zone")
        return None


def check_chain(rules: TimeRules, stream: str, noun: str, records: Sequence[Entry | AuditEvent]) -> None:
    """Refuse the push (422) at the first new chain record whose ``at`` the hub does not take."""
    latest = rules.latest()
    for record in records:
        found = rules.problem(record.at, latest)
        if found is not None:
            code, sentence = found
            raise HubError(422, code,
                           f"{noun} seq {record.seq} {sentence}; nothing was stored: this till's "
                           f"{stream} wait until the clock is right (a record already made with a wrong "
                           "time is sent again once the hub's clock has reached it)",
                           stream=stream, expected_seq=record.seq)


def record_problem(rules: TimeRules, updated_at: str, latest: str, *,
                   provisional_ok: bool = False) -> tuple[str, str] | None:
    """The problem with a record's ``updated_at``, or None (see the module docstring)."""
    if provisional_ok and updated_at == PROVISIONAL_VERSION:
        return None
    return rules.problem(updated_at, latest)
