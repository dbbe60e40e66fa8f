import pytest

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.pins import check_pin


@pytest.mark.parametrize("pin", ["0000", "1234", "1111", "4321", "123456", "1212", "2580", "12345678", "987654"])
def test_common_pins_are_refused(pin):
    with pytest.raises(LoyaltyError) as err:
        check_pin(pin)
    assert err.value.code is ErrorCode.PIN_REJECTED


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "١٢٣٤٥", " 2741"])
def test_malformed_pins_are_refused(pin):
    with pytest.raises(LoyaltyError):
        check_pin(pin)


@pytest.mark.parametrize("pin", ["2741", "90817", "58203174"])
def test_ordinary_pins_pass(pin):
    check_pin(pin)
