import pytest

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.demo import DEMO_CASHIER, POINTS_CARDS, STAMP_CARDS, seed_demo
from terminal.services.facade import open_services


@pytest.mark.parametrize("kwargs,fragment", [
    ({"timezone": "Mars/Olympus"}, "not a time zone"), ({"currency": "EURO"}, "3-letter"),
    ({"owner_pin": "1111"}, "most common"), ({"template": "nope"}, "template"), ({"name": " "}, "needs a name"),
])
def test_setup_refuses_bad_input_and_writes_nothing(data_dir, clock, kwargs, fragment):
    s = open_services(data_dir, clock=clock)
    args = {"name": "Shop", "timezone": "Asia/Jakarta", "currency": "IDR", "owner_name": "Ida",
            "owner_pin": "5173", "template": "points", **kwargs}
    with pytest.raises(LoyaltyError) as err:
        s.init_store(**args)
    assert fragment in err.value.message
    assert not s.initialised
    s.close()


def test_a_second_setup_is_refused(services):
    with pytest.raises(LoyaltyError) as err:
        services.init_store(name="Again", timezone="UTC", currency="EUR", owner_name="X",
                            owner_pin="5173", template="coffee")
    assert err.value.code is ErrorCode.STORE_EXISTS


def test_demo_store_verifies_and_works(data_dir):
    s = open_services(data_dir)
    seed_demo(s)
    assert s.reports.verify().ok
    sam = next(x for x in s.staff.list() if x.name == DEMO_CASHIER[0])
    grant = s.auth.verify_pin(sam.staff_id, DEMO_CASHIER[1])
    for code in STAMP_CARDS:
        s.counter.stamp(grant, code)  # every demo card can be stamped right away
    for code in POINTS_CARDS:
        s.counter.earn(grant, code, 1000)
    assert s.reports.verify().ok
    s.close()
