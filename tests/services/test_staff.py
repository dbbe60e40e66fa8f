import pytest

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from tests.conftest import OWNER_PIN


def test_add_rename_reset_deactivate(services, owner):
    info = services.staff.add(owner, "  Dina   Sari ", Role.CASHIER, "5173")
    assert info.name == "Dina Sari"
    services.staff.rename(owner, info.staff_id, "Dina")
    services.staff.reset_pin(owner, info.staff_id, "8406")
    with pytest.raises(LoyaltyError):
        services.auth.verify_pin(info.staff_id, "5173")
    dina = services.auth.verify_pin(info.staff_id, "8406")
    services.staff.change_own_pin(dina, "6392")
    services.auth.verify_pin(info.staff_id, "6392")
    services.staff.deactivate(owner, info.staff_id)
    assert [s.name for s in services.staff.list()] == ["Olga"]


def test_weak_pins_and_duplicate_names_are_refused(services, owner):
    with pytest.raises(LoyaltyError) as err:
        services.staff.add(owner, "Eko", Role.CASHIER, "1234")
    assert err.value.code is ErrorCode.PIN_REJECTED
    with pytest.raises(LoyaltyError) as err:
        services.staff.add(owner, "olga", Role.CASHIER, "5173")
    assert "already a staff member" in err.value.message


def test_the_last_owner_cannot_be_deactivated(services, owner):
    with pytest.raises(LoyaltyError) as err:
        services.staff.deactivate(owner, owner.staff_id)
    assert err.value.code is ErrorCode.LAST_OWNER
    second = services.staff.add(owner, "Omar", Role.OWNER, "7305")
    services.staff.deactivate(owner, second.staff_id)
    services.auth.verify_pin(owner.staff_id, OWNER_PIN)
