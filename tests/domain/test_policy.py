from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.policy import LockoutPolicy, StampLimits, check_stamp_allowed, local_day_bounds

BERLIN = ZoneInfo("Europe/Berlin")
LIMITS = StampLimits(timedelta(minutes=15), 5, BERLIN)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 14:00 in Berlin


def test_cooldown_refusal_says_when_the_next_stamp_is_possible():
    with pytest.raises(LoyaltyError) as err:
        check_stamp_allowed(LIMITS, NOW, NOW - timedelta(minutes=4), 1)
    assert err.value.code is ErrorCode.COOLDOWN_ACTIVE
    assert err.value.message == "Stamped 4 minutes ago — next stamp from 14:11."
    assert err.value.details["allowed_at"] == NOW + timedelta(minutes=11)


def test_cooldown_ends_exactly_at_its_length():
    check_stamp_allowed(LIMITS, NOW, NOW - timedelta(minutes=15), 1)


def test_daily_limit_refusal_says_when_it_resets():
    with pytest.raises(LoyaltyError) as err:
        check_stamp_allowed(LIMITS, NOW, NOW - timedelta(hours=1), 5)
    assert err.value.code is ErrorCode.DAILY_LIMIT_REACHED
    assert err.value.details["allowed_at"] == datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize("day,hours", [((2026, 3, 29), 23), ((2026, 10, 25), 25), ((2026, 6, 1), 24)])
def test_local_day_follows_daylight_saving(day, hours):
    start, end = local_day_bounds(datetime(*day, 11, tzinfo=UTC), BERLIN)
    # aware datetimes in one zone subtract as wall-clock time; real elapsed time needs UTC
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == hours * 3600
    assert start.astimezone(BERLIN).hour == end.astimezone(BERLIN).hour == 0


def test_lockout_after_the_configured_number_of_failures():
    policy = LockoutPolicy(3, timedelta(minutes=30))
    assert policy.after_failure(0, NOW) == (1, None)
    assert policy.after_failure(2, NOW) == (3, NOW + timedelta(minutes=30))
