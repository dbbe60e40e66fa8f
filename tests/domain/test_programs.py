from datetime import UTC, datetime

import pytest

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.programs import EarningRule, Reward, Tier, points_for_purchase, points_to_expire, tier_for

TIERS = (Tier("Silver", 1000, 125), Tier("Gold", 5000, 150))


def test_points_are_floored_and_capped():
    rule = EarningRule(points_per_unit=10, min_amount_minor=100, max_points_per_event=500)
    assert points_for_purchase(rule, 1259, 2, "EUR") == 125
    assert points_for_purchase(rule, 1259, 2, "EUR", 150) == 188
    assert points_for_purchase(rule, 1_000_000, 2, "EUR") == 500
    assert points_for_purchase(EarningRule(1), 15_000, 0, "IDR") == 15_000


def test_below_minimum_earns_nothing_and_says_so():
    with pytest.raises(LoyaltyError) as err:
        points_for_purchase(EarningRule(10, min_amount_minor=500), 499, 2, "EUR")
    assert err.value.code is ErrorCode.AMOUNT_BELOW_MINIMUM
    assert "5.00 EUR" in err.value.message


def test_tier_is_the_highest_reached():
    assert tier_for(TIERS, 999) is None
    assert tier_for(TIERS, 1000).name == "Silver"
    assert tier_for(TIERS, 10_000).name == "Gold"


def test_expiry_spends_oldest_points_first():
    assert points_to_expire(earned_before_cutoff=300, consumed_total=100, balance=500) == 200
    assert points_to_expire(earned_before_cutoff=300, consumed_total=400, balance=100) == 0
    assert points_to_expire(earned_before_cutoff=300, consumed_total=0, balance=50) == 50


def test_reward_validity_window():
    r = Reward("r", "Cake", cost_stamps=5, valid_from=datetime(2026, 1, 1, tzinfo=UTC),
               valid_until=datetime(2026, 2, 1, tzinfo=UTC))
    assert r.unavailable_reason(datetime(2026, 1, 15, tzinfo=UTC)) is None
    assert "from 2026-01-01" in r.unavailable_reason(datetime(2025, 12, 31, tzinfo=UTC))
    assert "until 2026-02-01" in r.unavailable_reason(datetime(2026, 2, 1, tzinfo=UTC))
