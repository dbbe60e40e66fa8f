"""Clock discipline at the till (issue 12, item 5): a clock moved back is refused, a clock moved forward
is caught by the hub's time, and nothing that waits for time to pass is shortened by moving the clock."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.store.models import LedgerRow
from tests.conftest import CASHIER_PIN, OWNER_PIN


def _entries(services) -> int:
    with services.ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(LedgerRow)).scalar_one()


def _refused(code, call):
    with pytest.raises(LoyaltyError) as err:
        call()
    assert err.value.code is code, err.value.message
    return err.value


def test_every_action_is_refused_while_the_clock_is_behind_the_last_entry(services, owner, cashier, card, clock):
    services.counter.stamp(cashier, card)
    earned = services.counter.earn(cashier, card, 5_000).entry
    before = _entries(services)
    owner_id, cashier_id = owner.staff_id, cashier.staff_id
    clock.advance(timedelta(minutes=-6))  # more than the 5 minutes of tolerance
    for call in (
        lambda: services.counter.stamp(cashier, card),
        lambda: services.counter.earn(cashier, card, 1_000),
        lambda: services.counter.redeem(cashier, card, "no-such-reward"),
        lambda: services.owner.adjust(owner, card, 10, "goodwill"),
        lambda: services.owner.void(owner, earned.entry_id, "mistake"),
        lambda: services.auth.verify_pin(cashier_id, CASHIER_PIN),
        lambda: services.auth.verify_pin(owner_id, OWNER_PIN),
    ):
        error = _refused(ErrorCode.CLOCK_BEHIND, call)
        assert error.message.startswith("This computer's clock is behind its last entry (")
        assert error.message.endswith("Check the computer's clock.")
    assert _entries(services) == before  # nothing written


def test_a_clock_moved_back_a_day_gives_no_fresh_daily_limit(services, cashier, card, clock):
    for _ in range(5):
        services.counter.stamp(cashier, card)
        clock.advance(timedelta(minutes=16))
        cashier = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    clock.advance(timedelta(days=-1))
    _refused(ErrorCode.CLOCK_BEHIND, lambda: services.auth.verify_pin(cashier.staff_id, CASHIER_PIN))


def test_within_the_tolerance_entries_are_dated_at_the_latest_known_time(services, cashier, card, clock):
    first = services.counter.earn(cashier, card, 1_000).entry
    clock.advance(timedelta(minutes=-4))
    cashier = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    second = services.counter.earn(cashier, card, 1_000).entry
    assert second.at == first.at  # never earlier than the till's last entry: the clock cannot ratchet back
    clock.advance(timedelta(minutes=-2))  # 6 minutes behind the last entry now
    _refused(ErrorCode.CLOCK_BEHIND, lambda: services.counter.earn(cashier, card, 1_000))


def test_the_cooldown_holds_against_a_clock_moved_back_within_the_tolerance(services, cashier, card, clock):
    services.counter.stamp(cashier, card)
    clock.advance(timedelta(minutes=14))
    cashier = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    _refused(ErrorCode.COOLDOWN_ACTIVE, lambda: services.counter.stamp(cashier, card))
    clock.advance(timedelta(minutes=2))
    services.counter.stamp(cashier, card)


def test_a_clock_far_ahead_of_the_hub_cannot_stamp_but_a_small_difference_can(services, cashier, card, clock):
    # the attack seen: +1 day, then +16 minutes per stamp gave 15 stamps in seconds
    before = _entries(services)
    services.counter.hub_skew = timedelta(days=1)  # as the sync measured it from the hub's Date header
    clock.advance(timedelta(days=1))
    cashier = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    error = _refused(ErrorCode.CLOCK_SKEW, lambda: services.counter.stamp(cashier, card))
    assert "ahead of the hub" in error.message and "Check the computer's clock." in error.message
    assert _entries(services) == before
    services.counter.hub_skew = timedelta(minutes=3)  # warned in the status bar, but allowed
    services.counter.stamp(cashier, card)
    services.counter.hub_skew = timedelta(minutes=-16)
    clock.advance(timedelta(minutes=16))
    cashier = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    _refused(ErrorCode.CLOCK_SKEW, lambda: services.counter.stamp(cashier, card))


def test_the_tolerance_is_a_setting_with_a_range(services, cashier, card, clock):
    from terminal.settings import SettingsError, load_settings

    assert load_settings(environ={}).clock_tolerance_minutes == 5
    assert load_settings(environ={}).hub_clock_refuse_minutes == 15
    with pytest.raises(SettingsError, match="clock_tolerance_minutes must be from 1 to 1440"):
        load_settings(environ={"LOYALTY_CLOCK_TOLERANCE_MINUTES": "100000"})
