"""A lockout that holds (issue 12, item 8, the till's part): failures count across lockouts, each lockout
doubles, a total disables the PIN until an owner resets it, and moving the clock does not end a lockout."""

from datetime import timedelta

import pytest

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.facade import open_services
from tests.conftest import CASHIER_PIN, OWNER_PIN


def _wrong(services, staff_id, times=1):
    for _ in range(times):
        with pytest.raises(LoyaltyError) as err:
            services.auth.verify_pin(staff_id, "9999")
    return err.value


def test_a_lockout_survives_a_clock_moved_forward(services, cashier, clock):
    assert _wrong(services, cashier.staff_id, 5).code is ErrorCode.STAFF_LOCKED
    clock.advance(timedelta(minutes=31))  # the attack seen: the lockout ended after moving the clock
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    assert err.value.code is ErrorCode.STAFF_LOCKED


def test_a_lockout_survives_a_clock_moved_back(services, cashier, clock):
    _wrong(services, cashier.staff_id, 5)
    clock.advance(timedelta(minutes=-4))  # within the tolerance: still locked, by the latest known time
    assert _wrong(services, cashier.staff_id).code is ErrorCode.STAFF_LOCKED


def test_lockouts_double_as_failures_keep_counting(services, cashier, clock, data_dir):
    periods = []
    for _ in range(3):
        start = clock.now()
        error = _wrong(services, cashier.staff_id, 5)
        assert error.code is ErrorCode.STAFF_LOCKED
        periods.append(error.details["locked_until"] - start)
        services.close()  # only a restart lets the wall clock alone end a lockout
        services = open_services(data_dir, clock=clock)
        clock.set(error.details["locked_until"])
    assert periods == [timedelta(minutes=30), timedelta(minutes=60), timedelta(minutes=120)]
    assert services.auth.verify_pin(cashier.staff_id, CASHIER_PIN).role is Role.CASHIER  # a right PIN resets
    assert _wrong(services, cashier.staff_id).details["attempts_left"] == 4
    services.close()


def test_after_the_total_the_pin_is_disabled_until_an_owner_resets_it(data_dir, clock, services, owner, cashier):
    settings = services.ctx.settings.with_values(pin_disable_after_failures=7)
    services.close()
    services = open_services(data_dir, settings, clock)
    _wrong(services, cashier.staff_id, 5)
    services.close()
    services = open_services(data_dir, settings, clock)
    clock.advance(timedelta(minutes=31))
    assert _wrong(services, cashier.staff_id).details["attempts_left"] == 1
    error = _wrong(services, cashier.staff_id)
    assert error.code is ErrorCode.PIN_DISABLED and "An owner must reset" in error.message
    services.close()
    services = open_services(data_dir, settings, clock)
    clock.advance(timedelta(days=30))
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)  # even the right PIN, however long after
    assert err.value.code is ErrorCode.PIN_DISABLED
    owner = services.auth.verify_pin(owner.staff_id, OWNER_PIN)
    services.staff.unlock(owner, cashier.staff_id)
    assert services.auth.verify_pin(cashier.staff_id, CASHIER_PIN).role is Role.CASHIER
    services.close()


def test_an_owner_disabled_is_reset_by_another_and_the_last_owner_is_never_disabled(data_dir, clock, services,
                                                                                      owner):
    settings = services.ctx.settings.with_values(pin_disable_after_failures=3, pin_max_failed_attempts=2)
    services.close()
    services = open_services(data_dir, settings, clock)
    _wrong(services, owner.staff_id, 2)
    services.close()
    services = open_services(data_dir, settings, clock)
    clock.advance(timedelta(hours=1))
    error = _wrong(services, owner.staff_id)  # the total reached by the only owner: a day-long lockout instead
    assert error.code is ErrorCode.STAFF_LOCKED
    services.close()
    services = open_services(data_dir, settings, clock)
    clock.advance(timedelta(days=1, minutes=1))
    first = services.auth.verify_pin(owner.staff_id, OWNER_PIN)  # still recoverable with the right PIN
    second = services.staff.add(first, "Oskar", Role.OWNER, "8461").staff_id
    _wrong(services, first.staff_id, 2)
    services.close()
    services = open_services(data_dir, settings, clock)
    clock.advance(timedelta(hours=1))
    assert _wrong(services, first.staff_id).code is ErrorCode.PIN_DISABLED  # with another owner to reset it
    services.staff.unlock(services.auth.verify_pin(second, "8461"), first.staff_id)
    services.auth.verify_pin(first.staff_id, OWNER_PIN)
    services.close()
