import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.facade import open_services
from terminal.services.pin_hasher import PinHasher
from terminal.store.models import AuditRow, StaffRow
from tests.conftest import CASHIER_PIN, OWNER_PIN


def _audit_kinds(services):
    with services.ctx.db.read() as s:
        return [r for r in s.execute(select(AuditRow.kind).order_by(AuditRow.seq)).scalars()]


def _staff_id(services, name):
    return next(s.staff_id for s in services.staff.list() if s.name == name)


def test_wrong_pin_says_how_many_tries_are_left(services, cashier):
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin(cashier.staff_id, "9999")
    assert err.value.code is ErrorCode.PIN_INVALID
    assert err.value.details["attempts_left"] == 4


def test_five_failures_lock_out_and_survive_a_restart(services, cashier, data_dir, clock):
    for _ in range(4):
        with pytest.raises(LoyaltyError):
            services.auth.verify_pin(cashier.staff_id, "9999")
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin(cashier.staff_id, "9999")
    assert err.value.code is ErrorCode.STAFF_LOCKED
    assert "until" in err.value.message
    services.close()
    restarted = open_services(data_dir, clock=clock)
    with pytest.raises(LoyaltyError) as err:
        restarted.auth.verify_pin(cashier.staff_id, CASHIER_PIN)  # even the right PIN
    assert err.value.code is ErrorCode.STAFF_LOCKED
    clock.advance(timedelta(minutes=30))
    assert restarted.auth.verify_pin(cashier.staff_id, CASHIER_PIN).role is Role.CASHIER
    restarted.close()


def test_owner_unlocks_and_every_step_is_audited(services, owner, cashier):
    for _ in range(5):
        with pytest.raises(LoyaltyError):
            services.auth.verify_pin(cashier.staff_id, "9999")
    owner = services.auth.verify_pin(owner.staff_id, OWNER_PIN)
    services.staff.unlock(owner, cashier.staff_id)
    services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    kinds = _audit_kinds(services)
    assert kinds.count("pin_failed") == 5
    assert kinds.count("staff_locked") == 1 and kinds[-1] == "staff_unlocked"


def test_a_lock_that_expired_keeps_counting(services, cashier, clock, data_dir):
    for _ in range(5):
        with pytest.raises(LoyaltyError):
            services.auth.verify_pin(cashier.staff_id, "9999")
    services.close()  # a new process: only the wall clock says when the lockout ended
    services = open_services(data_dir, clock=clock)
    clock.advance(timedelta(minutes=31))
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin(cashier.staff_id, "9999")
    # failures go on counting across lockouts (issue 12, item 8): four more before the next, longer lockout
    assert err.value.code is ErrorCode.PIN_INVALID and err.value.details["attempts_left"] == 4
    services.close()


def test_cashier_may_not_do_owner_things(services, cashier, card):
    with pytest.raises(LoyaltyError) as err:
        services.owner.adjust(cashier, card, 100, "goodwill")
    assert err.value.code is ErrorCode.NOT_PERMITTED
    with pytest.raises(LoyaltyError):
        services.staff.add(cashier, "Eve", Role.OWNER, "8461")


def test_grants_expire_and_cannot_be_forged(services, owner, card, clock):
    forged = dataclasses.replace(owner, role=Role.OWNER, staff_id=owner.staff_id, signature="0" * 64)
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(forged, card)
    assert err.value.code is ErrorCode.NOT_PERMITTED
    clock.advance(timedelta(seconds=services.ctx.settings.grant_seconds + 1))
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(owner, card)
    assert err.value.code is ErrorCode.GRANT_EXPIRED


def test_deactivated_staff_cannot_use_an_old_grant(services, owner, cashier, card):
    services.staff.deactivate(owner, cashier.staff_id)
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(cashier, card)
    assert err.value.code is ErrorCode.STAFF_INACTIVE


def test_pin_hash_is_argon2id_keyed_and_rehashed_when_parameters_change(services, owner, data_dir, clock):
    with services.ctx.db.read() as s:
        old_hash = s.get(StaffRow, owner.staff_id).pin_hash
    assert old_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # The same PIN without the store's key does not verify: the DB alone is not enough.
    bare = PinHasher(b"\0" * 32, 2, 19456, 1)
    assert not bare.verify(old_hash, OWNER_PIN)
    services.close()
    stronger = open_services(data_dir, services.ctx.settings.with_values(pin_time_cost=3), clock)
    stronger.auth.verify_pin(owner.staff_id, OWNER_PIN)
    with stronger.ctx.db.read() as s:
        assert ",t=3," in s.get(StaffRow, owner.staff_id).pin_hash
    assert "pin_rehashed" in _audit_kinds(stronger)
    stronger.close()


def test_argon2_parameters_below_owasp_are_refused():
    with pytest.raises(ValueError, match="OWASP"):
        PinHasher(b"k" * 32, 1, 19456, 1)
    with pytest.raises(ValueError, match="OWASP"):
        PinHasher(b"k" * 32, 2, 8192, 1)


def test_unknown_staff_is_a_clear_error(services):
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin("nobody", "2741")
    assert err.value.code is ErrorCode.STAFF_NOT_FOUND
