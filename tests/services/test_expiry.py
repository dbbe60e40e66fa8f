"""Points expiry by age and by inactivity, its period keys, duplicates, and what expires soon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger_chain.expiry import counted_change, not_counted
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.services.expiry import ExpiryService, cohorts_left
from tests.conftest import OWNER_PIN


def _regrant(services, owner):
    return services.auth.verify_pin(owner.staff_id, OWNER_PIN)


def test_age_expiry_takes_each_days_points_once_oldest_spent_first(services, owner, card, program_id, clock):
    services.owner.edit_program(owner, program_id, points_expiry_days=30)
    services.counter.earn(owner, card, 1000)  # 100 points, day 0
    clock.advance(timedelta(days=10))
    owner = _regrant(services, owner)
    services.counter.earn(owner, card, 500)   # 50 points, day 10
    services.owner.adjust(owner, card, -120, "spent")  # takes day 0's 100 and 20 of day 10
    clock.advance(timedelta(days=25))         # day 35: day 0 is due but fully spent
    assert services.owner.expire_points() == []
    clock.advance(timedelta(days=6))          # day 41: day 10 is due
    expired = services.owner.expire_points()
    assert [(e.kind, e.points) for e in expired] == [(EntryKind.EXPIRE, -30)]
    assert expired[0].reason.startswith("expiry:age:") and expired[0].staff_id is None
    assert services.owner.expire_points() == []
    assert services.counter.card(card).balance.points == 0
    assert services.reports.verify().ok


def test_inactivity_expiry_takes_the_whole_balance_once(services, owner, card, program_id, clock):
    services.owner.edit_program(owner, program_id, points_expiry_days=90, points_expiry_mode="inactivity")
    services.counter.earn(owner, card, 1000)
    clock.advance(timedelta(days=60))
    owner = _regrant(services, owner)
    services.counter.earn(owner, card, 500)   # activity: the 90 days start again
    clock.advance(timedelta(days=89))
    assert services.owner.expire_points() == []
    expiry = ExpiryService(services.ctx)
    soon = expiry.expiring_soon(card)
    assert soon.points == 150 and soon.first_day == expiry.today() + timedelta(days=1)
    clock.advance(timedelta(days=1))
    assert [e.points for e in services.owner.expire_points()] == [-150]
    assert services.owner.expire_points() == []
    assert expiry.expiring_soon(card).points == 0
    assert services.reports.verify().ok


def test_expiring_soon_by_age_names_the_points_and_the_first_day(services, owner, card, program_id, clock):
    expiry = ExpiryService(services.ctx)
    assert expiry.expiring_soon(card).points == 0  # no expiry set
    services.owner.edit_program(owner, program_id, points_expiry_days=40)
    services.counter.earn(owner, card, 1000)  # day 0: expires on day 40
    clock.advance(timedelta(days=20))
    owner = _regrant(services, owner)
    services.counter.earn(owner, card, 300)   # day 20: expires on day 60
    assert expiry.expiring_soon(card, days=30) == type(expiry.expiring_soon(card))(
        100, expiry.today() + timedelta(days=20))
    assert expiry.expiring_soon(card, days=40).points == 130


def test_a_wrong_expiry_mode_is_refused_and_nothing_is_written(services, owner, program_id):
    with pytest.raises(LoyaltyError) as err:
        services.owner.edit_program(owner, program_id, points_expiry_mode="weekly")
    assert err.value.code is ErrorCode.INVALID_INPUT and "inactivity" in err.value.message


@given(st.lists(st.tuples(st.uuids().map(str), st.integers(-500, -1)), min_size=1, max_size=6,
                unique_by=lambda p: p[0]),
       st.integers(0, 5))
def test_the_counted_expiry_is_the_smallest_id_whatever_order_entries_arrive(group, split):
    before, added = group[:split], group[split:]
    total = counted_change([], before) + counted_change(before, added)
    assert total == min(group)[1]
    assert len(not_counted(group)) == len(group) - 1 and min(group)[0] not in not_counted(group)


def test_cohorts_spend_oldest_first_and_a_keyed_expiry_takes_its_own_day(clock):
    d0, d1 = clock.now().date(), clock.now().date() + timedelta(days=1)
    assert cohorts_left([(d0, 100, None), (d1, 50, None), (d1, -120, None)]) == {d1: 30}
    assert cohorts_left([(d0, 100, None), (d1, 50, None), (d1, -50, f"expiry:age:{d1}")]) == {d0: 100}
    assert cohorts_left([(d0, 100, None), (d1, -60, f"expiry:age:{d0}"), (d1, -40, f"expiry:age:{d0}#2")]) == {}
