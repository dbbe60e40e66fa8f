"""Points as money: integer minor units, rounding in the customer's disfavour but never by a point."""

from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.points_money import PointsMoney, discount_for
from terminal.domain.programs import (
    TIMES,
    EarningRule,
    format_multiplier,
    format_rate,
    parse_multiplier,
    points_for_purchase,
)


def test_examples():
    rule = PointsMoney(points=100, value_minor=100, max_percent=50)  # 100 points = 1.00 EUR
    d = discount_for(rule, bill_minor=1000, balance_points=250)
    assert (d.discount_minor, d.points, d.cap_minor) == (250, 250, 500)
    d = discount_for(rule, bill_minor=1000, balance_points=5000)
    assert (d.discount_minor, d.points) == (500, 500)  # at most half the bill
    idr = PointsMoney(points=1, value_minor=100, max_percent=30)  # 1 point = Rp 100
    d = discount_for(idr, bill_minor=25_050, balance_points=1000)
    assert (d.discount_minor, d.points) == (7_515, 76)  # 76 points are worth 7,600: 85 rupiah above


@given(points=st.integers(1, 1000), value=st.integers(1, 100_000), pct=st.integers(1, 100),
       bill=st.integers(1, 10**9), balance=st.integers(0, 10**7))
def test_rounding_never_beyond_a_point(points, value, pct, bill, balance):
    rule = PointsMoney(points, value, pct)
    d = discount_for(rule, bill, balance)
    assert 0 <= d.discount_minor <= bill * pct // 100          # never more than the cap
    assert 0 <= d.points <= balance                             # never more than the card holds
    # the points given are worth at least the discount (disfavour) ...
    assert d.points * value >= d.discount_minor * points
    # ... but less than one point more
    assert (d.points - 1) * value < d.discount_minor * points or d.points == 0
    # and the discount is the largest the cap and the balance allow
    assert d.discount_minor == min(bill * pct // 100, balance * value // points)


def test_multipliers_read_and_written_as_times():
    written = [format_multiplier(p) for p in (100, 125, 150, 200, 105)]
    assert written == [TIMES + t for t in ("1", "1.25", "1.5", "2", "1.05")]
    assert [parse_multiplier(t) for t in (TIMES + "1.25", "x1,5", "2", " 1.05 ")] == [125, 150, 200, 105]


def test_rates_suit_any_currency():
    idr = EarningRule(points_per_unit=1, per_minor=1000)
    assert points_for_purchase(idr, 25_999, 0, "IDR") == 25
    assert format_rate(idr, "IDR", 0) == "1 point per 1,000 IDR"
    assert format_rate(EarningRule(10), "EUR", 2) == "10 points per 1.00 EUR"
    assert points_for_purchase(EarningRule(10), 1259, 2, "EUR") == 125
