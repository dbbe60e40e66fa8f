"""The clock rules (issue 12, item 5) and the escalating lockout (item 8), as pure functions."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.policy import (
    MAX_LOCKOUT,
    LockoutPolicy,
    check_clock_behind,
    check_clock_skew,
    effective_now,
)

times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))


@given(times, st.lists(st.none() | times, max_size=5))
def test_the_latest_known_time_is_never_earlier_than_anything_seen(now, seen):
    latest = effective_now(now, *seen)
    assert latest >= now and all(latest >= t for t in seen if t is not None)
    assert latest in [now, *seen]


@given(times, gaps, st.integers(1, 1440))
def test_a_clock_behind_the_last_entry_is_refused_beyond_the_tolerance(latest, behind, tolerance_minutes):
    tolerance = timedelta(minutes=tolerance_minutes)
    now = latest - behind
    if behind > tolerance:
        with pytest.raises(LoyaltyError) as err:
            check_clock_behind(now, latest, tolerance)
        assert err.value.code is ErrorCode.CLOCK_BEHIND
        assert err.value.message.startswith("This computer's clock is behind its last entry (")
        assert err.value.message.endswith("Check the computer's clock.")
    else:
        check_clock_behind(now, latest, tolerance)


@given(times, gaps)
def test_a_clock_ahead_of_the_last_entry_is_never_refused_by_it(latest, ahead):
    check_clock_behind(latest + ahead, latest, timedelta(minutes=5))
    check_clock_behind(latest, None, timedelta(minutes=5))


@given(st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)), st.integers(1, 1440))
def test_a_difference_from_the_hub_beyond_the_limit_is_refused_either_way(skew, limit_minutes):
    limit = timedelta(minutes=limit_minutes)
    if abs(skew) > limit:
        with pytest.raises(LoyaltyError) as err:
            check_clock_skew(skew, limit)
        assert err.value.code is ErrorCode.CLOCK_SKEW
        assert ("ahead of" if skew > timedelta(0) else "behind") in err.value.message
    else:
        check_clock_skew(skew, limit)
    check_clock_skew(None, limit)


@given(st.integers(1, 20), st.integers(1, 10_080), st.integers(1, 1000), times)
def test_failures_count_across_lockouts_and_each_lockout_doubles_up_to_the_cap(max_failed, minutes, disable, now):
    policy = LockoutPolicy(max_failed, timedelta(minutes=minutes), disable)
    failed, periods = 0, []
    while not policy.is_disabled(failed):
        failed, until = policy.after_failure(failed, now)
        if until is not None:
            periods.append(until - now)
            assert failed % max_failed == 0
        else:
            assert failed % max_failed or policy.is_disabled(failed)
    assert failed == disable  # the count never restarts on its own
    cap = max(timedelta(minutes=minutes), MAX_LOCKOUT)
    assert len(periods) == (disable - 1) // max_failed
    for i, period in enumerate(periods):
        assert period == (timedelta(minutes=minutes * 2 ** i) if minutes * 2 ** i < cap.total_seconds() / 60
                          else cap)


@given(st.integers(1, 20), st.integers(1, 1000), st.integers(0, 2000))
def test_attempts_left_reaches_zero_exactly_at_the_next_lock_or_the_disabling(max_failed, disable, failed):
    policy = LockoutPolicy(max_failed, timedelta(minutes=30), disable)
    left = policy.attempts_left(failed)
    if policy.is_disabled(failed):
        assert left == 0
        return
    assert 1 <= left <= max_failed
    after = failed
    for _ in range(left):
        after, until = policy.after_failure(after, datetime(2026, 1, 1, tzinfo=UTC))
    assert until is not None or policy.is_disabled(after)


def test_the_longest_settings_never_overflow():
    policy = LockoutPolicy(1, timedelta(minutes=10_080), 1000)
    assert policy.lock_period(999) == timedelta(minutes=10_080)
    assert LockoutPolicy(5, timedelta(minutes=30)).lock_period(20) == MAX_LOCKOUT
