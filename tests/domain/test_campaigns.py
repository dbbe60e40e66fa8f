"""Campaign rules: the days, weekdays and hours a campaign runs (store time, DST), and its bonuses."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from terminal.domain.campaigns import (
    Campaign,
    CampaignKind,
    Visit,
    campaign_of_reason,
    campaign_reason,
    purchase_bonuses,
    stamp_bonuses,
)
from terminal.domain.errors import LoyaltyError
from terminal.domain.programs import EarningRule, points_for_purchase

BERLIN = ZoneInfo("Europe/Berlin")
JAKARTA = ZoneInfo("Asia/Jakarta")


def _campaign(**kw) -> Campaign:
    base = {"campaign_id": "c1", "name": "Tuesday double", "kind": CampaignKind.MULTIPLIER,
            "first_day": date(2026, 3, 1), "last_day": date(2026, 3, 31), "multiplier_percent": 200}
    return Campaign(**{**base, **kw}).check()


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_first_and_last_day_count_in_the_store_time_zone():
    c = _campaign()
    # 2026-02-28 23:30 UTC is already 1 March 00:30 in Berlin
    assert c.is_active(_utc(2026, 2, 28, 23, 30), BERLIN)
    assert not c.is_active(_utc(2026, 2, 28, 22, 59), BERLIN)
    # the last day counts to its end: 31 March 23:59 Berlin (summer time, UTC+2) is 21:59 UTC
    assert c.is_active(_utc(2026, 3, 31, 21, 59), BERLIN)
    assert not c.is_active(_utc(2026, 3, 31, 22, 0), BERLIN)
    # the same instant is another day in Jakarta
    assert not c.is_active(_utc(2026, 2, 28, 16, 59), JAKARTA)
    assert c.is_active(_utc(2026, 2, 28, 17, 0), JAKARTA)


def test_weekdays_and_hours_boundaries():
    c = _campaign(weekdays=(1,), starts_at=time(9, 0), ends_at=time(17, 0))  # Tuesdays 9-17
    tuesday = date(2026, 3, 10)
    assert tuesday.weekday() == 1
    at = lambda h, m: datetime(2026, 3, 10, h, m, tzinfo=BERLIN)  # noqa: E731
    assert not c.is_active(at(8, 59), BERLIN)
    assert c.is_active(at(9, 0), BERLIN)
    assert c.is_active(at(16, 59), BERLIN)
    assert not c.is_active(at(17, 0), BERLIN)
    assert not c.is_active(datetime(2026, 3, 11, 10, 0, tzinfo=BERLIN), BERLIN)  # Wednesday
    assert c.active_until(at(12, 0), BERLIN) == at(17, 0)


def test_hours_follow_daylight_saving_changes():
    # Berlin switches to summer time on Sunday 29 March 2026 at 02:00 -> 03:00
    c = _campaign(weekdays=(5, 6), starts_at=time(10, 0), ends_at=time(12, 0))
    assert c.is_active(_utc(2026, 3, 28, 9, 0), BERLIN)      # Saturday 10:00 CET = 09:00 UTC
    assert not c.is_active(_utc(2026, 3, 29, 10, 0), BERLIN)  # Sunday 12:00 CEST: over
    assert c.is_active(_utc(2026, 3, 29, 8, 0), BERLIN)      # Sunday 10:00 CEST = 08:00 UTC
    assert not c.is_active(_utc(2026, 3, 29, 7, 59), BERLIN)
    # the night clocks go back (25 October 2026, 03:00 -> 02:00): 02:30 happens twice, both count
    night = _campaign(first_day=date(2026, 10, 25), last_day=date(2026, 10, 25),
                      starts_at=time(2, 0), ends_at=time(3, 0))
    assert night.is_active(_utc(2026, 10, 25, 0, 30), BERLIN)  # 02:30 CEST
    assert night.is_active(_utc(2026, 10, 25, 1, 30), BERLIN)  # 02:30 CET
    assert not night.is_active(_utc(2026, 10, 25, 2, 0), BERLIN)  # 03:00 CET


def test_all_day_window_runs_until_the_end_of_consecutive_days():
    c = _campaign(first_day=date(2026, 3, 9), last_day=date(2026, 3, 13))
    until = c.active_until(datetime(2026, 3, 10, 8, 0, tzinfo=BERLIN), BERLIN)
    assert until == datetime(2026, 3, 14, 0, 0, tzinfo=BERLIN)
    assert c.active_until(datetime(2026, 3, 20, 8, 0, tzinfo=BERLIN), BERLIN) is None


def test_ended_early_stops_at_that_instant():
    c = _campaign().end_at(_utc(2026, 3, 10, 12, 0))
    assert c.is_active(_utc(2026, 3, 10, 11, 59), BERLIN)
    assert not c.is_active(_utc(2026, 3, 10, 12, 0), BERLIN)
    assert c.is_over(_utc(2026, 3, 10, 12, 0), BERLIN)


@pytest.mark.parametrize("bad", [
    {"last_day": date(2026, 2, 1)}, {"weekdays": (7,)}, {"starts_at": time(9, 0)},
    {"starts_at": time(17, 0), "ends_at": time(9, 0)}, {"multiplier_percent": 100}, {"name": "  "},
    {"kind": CampaignKind.SPEND_BONUS, "points": 10}, {"kind": CampaignKind.FIXED_BONUS},
    {"kind": CampaignKind.BIRTHDAY},
])
def test_bad_campaigns_are_refused_with_a_reason(bad):
    with pytest.raises(LoyaltyError) as err:
        _campaign(**bad)
    assert err.value.message.endswith(".")


def test_settings_round_trip_and_reason_convention():
    c = _campaign(weekdays=(1, 3), starts_at=time(9, 30), ends_at=time(17, 0)).end_at(_utc(2026, 3, 12, 8, 0))
    assert Campaign.from_settings(c.to_settings()) == c
    assert campaign_reason("abc") == "campaign:abc"
    assert campaign_of_reason("campaign:abc") == "abc" and campaign_of_reason("Undone") is None


RULE = EarningRule(points_per_unit=10)


def test_multiplier_applies_to_base_then_tier_and_the_bonus_is_the_difference():
    now = datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    visit = Visit(now, BERLIN)
    earned = points_for_purchase(RULE, 1259, 2, "EUR", 125)  # 12.59 EUR x 10 x 1.25 = 157
    assert earned == 157
    [bonus] = purchase_bonuses([_campaign()], visit, RULE, 1259, 2, 125, earned)
    # 12.59 x 10 x 2 x 1.25 = 314.75 -> 314, rounded once on the total
    assert earned + bonus.points == 314
    assert bonus.reason == "campaign:c1"


def test_only_the_highest_multiplier_applies_and_fixed_bonuses_add_without_tier():
    now = datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    campaigns = [_campaign(), _campaign(campaign_id="c2", multiplier_percent=300),
                 _campaign(campaign_id="c3", kind=CampaignKind.FIXED_BONUS, points=50, multiplier_percent=100),
                 _campaign(campaign_id="c4", kind=CampaignKind.SPEND_BONUS, points=100, min_spend_minor=2000,
                           multiplier_percent=100)]
    bonuses = purchase_bonuses(campaigns, Visit(now, BERLIN), RULE, 1000, 2, 150, 150)
    assert {b.campaign.campaign_id: b.points for b in bonuses} == {"c2": 300, "c3": 50}
    bonuses = purchase_bonuses(campaigns, Visit(now, BERLIN), RULE, 2000, 2, 100, 200)
    assert {b.campaign.campaign_id: b.points for b in bonuses} == {"c2": 400, "c3": 50, "c4": 100}


def test_the_per_purchase_cap_bounds_the_total():
    rule = EarningRule(points_per_unit=10, max_points_per_event=150)
    now = datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    earned = points_for_purchase(rule, 1000, 2, "EUR")
    assert earned == 100
    [bonus] = purchase_bonuses([_campaign()], Visit(now, BERLIN), rule, 1000, 2, 100, earned)
    assert bonus.points == 50


def test_first_visit_birthday_and_extra_stamp():
    now = datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    first = _campaign(campaign_id="f", kind=CampaignKind.FIRST_VISIT, points=20, stamps=1)
    birthday = _campaign(campaign_id="b", kind=CampaignKind.BIRTHDAY, points=100)
    extra = _campaign(campaign_id="x", kind=CampaignKind.EXTRA_STAMP, stamps=1)
    visit = Visit(now, BERLIN, first_visit=True, birthday=date(1990, 3, 10))
    got = {b.campaign.campaign_id: (b.points, b.stamps) for b in stamp_bonuses([first, birthday, extra], visit)}
    assert got == {"f": (0, 1), "x": (0, 1)}  # a stamps-only program gets no points from them
    got = {b.campaign.campaign_id: (b.points, b.stamps)
           for b in stamp_bonuses([first, birthday, extra], visit, has_points=True)}
    assert got == {"f": (20, 1), "b": (100, 0), "x": (0, 1)}
    given = Visit(now, BERLIN, first_visit=True, birthday=date(1990, 3, 10), given=frozenset({"f", "b"}))
    assert [b.campaign.campaign_id for b in stamp_bonuses([first, birthday, extra], given, True)] == ["x"]
    other_day = Visit(now, BERLIN, birthday=date(1990, 3, 11))
    assert purchase_bonuses([birthday], other_day, RULE, 1000, 2, 100, 100) == []


def test_a_29_february_birthday_counts_on_28_february_in_other_years():
    birthday = _campaign(kind=CampaignKind.BIRTHDAY, points=100, first_day=date(2026, 1, 1),
                         last_day=date(2028, 12, 31))
    on = lambda y, m, d: Visit(datetime(y, m, d, 12, tzinfo=BERLIN), BERLIN, birthday=date(2000, 2, 29))  # noqa: E731
    assert purchase_bonuses([birthday], on(2027, 2, 28), RULE, 1000, 2, 100, 100)
    assert not purchase_bonuses([birthday], on(2028, 2, 28), RULE, 1000, 2, 100, 100)
    assert purchase_bonuses([birthday], on(2028, 2, 29), RULE, 1000, 2, 100, 100)
