"""Refund arithmetic: an order's points come back in proportion, exactly in total, never more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.hub.integration_rules import refund_points


@st.composite
def orders_and_refunds(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    amount = draw(st.integers(1, 10**12))
    earned = draw(st.integers(0, 10**9))
    parts: list[int] = []
    left = amount
    while left and len(parts) < 20 and draw(st.booleans()):
        part = draw(st.integers(1, left))
        parts.append(part)
        left -= part
    return amount, earned, parts


@given(orders_and_refunds())
def test_partial_refunds_never_take_back_more_than_earned_and_follow_the_amount(case):
    amount, earned, parts = case
    refunded = taken = 0
    for part in parts:
        back = refund_points(earned, amount, refunded, part)
        assert back >= 0
        refunded += part
        taken += back
        assert taken == earned * refunded // amount  # cumulative, rounded down once
        assert taken <= earned
    if refunded == amount:
        assert taken == earned


@given(st.integers(1, 10**12), st.integers(0, 10**9))
def test_a_full_refund_takes_back_exactly_what_was_earned(amount, earned):
    assert refund_points(earned, amount, 0, amount) == earned


@pytest.mark.parametrize(("before", "refund"), [(0, 0), (0, 101), (50, 51), (-1, 1)])
def test_a_refund_outside_the_order_is_refused(before, refund):
    with pytest.raises(ValueError):
        refund_points(10, 100, before, refund)


@given(orders_and_refunds(), st.integers(0, 10**9))
def test_the_earn_and_bonus_shares_each_follow_the_amount_and_add_up_on_a_full_refund(case, bonus):
    from sync.hub.integration_rules import refund_shares

    amount, earned, parts = case
    refunded = taken_earn = taken_bonus = 0
    for part in parts:
        earn_back, bonus_back = refund_shares(earned, earned + bonus, amount, refunded, part)
        assert earn_back >= 0 and bonus_back >= 0
        refunded += part
        taken_earn += earn_back
        taken_bonus += bonus_back
        assert (taken_earn, taken_bonus) == (earned * refunded // amount, bonus * refunded // amount)
    if refunded == amount:
        assert (taken_earn, taken_bonus) == (earned, bonus)
