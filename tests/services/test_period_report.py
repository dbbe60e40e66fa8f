"""The period report against a ledger built entry by entry, with known figures."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.services.period_report import (
    PeriodKind,
    PeriodReportService,
    period_bounds,
    previous_period,
    report_table,
)
from terminal.store import ledger
from terminal.store.models import CardBalance, CardRow


def _at(y: int, m: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


def _write(services, card, kind, at, *, points=0, stamps=0, staff=None, reason=None, reverses=None,
           reverses_kind=None):
    with services.ctx.db.write() as session:
        return ledger.append(session, terminal_id=services.ctx.store.terminal_id, card=card, kind=kind, at=at,
                             points=points, stamps=stamps, staff_id=staff, reason=reason, reverses=reverses,
                             reverses_kind=reverses_kind)


@pytest.fixture
def march(services, owner, program_id):
    """Three cards enrolled on 10 March 2026 (Berlin) and a month of entries with known figures."""
    services.owner.set_tiers(owner, program_id, [("Silver", 100, 110), ("Gold", 500, 125)])
    a, b, c = (services.enrollment.enroll(owner, program_id, name).code for name in ("Ann", "Ben", "Cid"))
    olga = owner.staff_id
    _write(services, a, EntryKind.EARN, _at(2026, 2, 5), points=40, staff=olga)           # February
    _write(services, a, EntryKind.EARN, _at(2026, 3, 10), points=200, staff=olga)
    _write(services, a, "bonus", _at(2026, 3, 10), points=20, staff=olga, reason="campaign:tue2x")
    _write(services, a, EntryKind.REDEEM, _at(2026, 3, 12), points=-50, staff=olga)
    _write(services, a, EntryKind.STAMP, _at(2026, 3, 12), stamps=1, staff=olga)
    _write(services, b, EntryKind.EARN, _at(2026, 3, 11), points=600, staff=olga)
    _write(services, b, EntryKind.STAMP_REDEEM, _at(2026, 3, 15), stamps=-8, staff=olga)
    wrong = _write(services, c, EntryKind.EARN, _at(2026, 3, 20), points=100, staff=olga)
    _write(services, c, EntryKind.VOID, _at(2026, 3, 20, 13), points=-100, staff=olga, reverses=wrong.entry_id,
           reverses_kind=EntryKind.EARN)
    _write(services, b, EntryKind.EXPIRE, _at(2026, 3, 31, 3), points=-30, reason="expiry:age:2026-02-28")
    _write(services, a, EntryKind.EARN, _at(2026, 3, 31, 21, 30), points=15, staff=olga)  # 23:30 in Berlin
    _write(services, c, EntryKind.EARN, _at(2026, 3, 31, 22, 30), points=99, staff=olga)  # 1 April in Berlin
    return PeriodReportService(services.ctx).report(*period_bounds(PeriodKind.MONTH, date(2026, 3, 17)))


def test_a_months_figures(march):
    f = march.figures
    assert (march.first, march.last) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (f.stamps, f.points_earned, f.points_spent, f.points_expired) == (1, 835, 50, 30)
    assert (f.redemptions, f.redeeming_cards, f.active_members, f.new_cards) == (2, 2, 3, 3)
    assert f.earn_burn_ratio == pytest.approx(835 / 50)
    assert f.breakage == pytest.approx(30 / 835)
    assert f.redemption_rate == pytest.approx(2 / 3)


def test_the_month_before_and_the_days(march):
    p = march.previous
    assert (p.points_earned, p.active_members, p.points_spent, p.new_cards) == (40, 1, 0, 0)
    assert p.earn_burn_ratio is None and p.breakage == 0
    assert len(march.days) == 31 and len(march.previous_days) == 28
    assert march.days[9].day == date(2026, 3, 10) and march.days[9].points_earned == 220
    assert march.days[30].points_earned == 15  # the earn at 23:30 Berlin time, not the one after midnight
    assert sum(d.points_earned for d in march.days) == march.figures.points_earned


def test_tiers_staff_and_campaigns(march):
    assert dict(march.tier_mix) == {"Gold": 1, "Silver": 1, "": 1}
    (olga,) = march.staff
    assert (olga.name, olga.stamps, olga.points_earned, olga.redemptions, olga.new_cards) == ("Olga", 1, 835, 2, 3)
    (campaign,) = march.campaigns
    assert (campaign.campaign_id, campaign.bonuses, campaign.points, campaign.cards) == ("tue2x", 1, 20, 1)


def test_the_table_for_a_spreadsheet(march):
    headers, rows = report_table(march)
    assert headers[:2] == ["Section", "Item"] and "2026-03-01" in headers[2]
    figures = {r[1]: (r[2], r[3]) for r in rows if r[0] == "Figures"}
    assert figures["Points earned"] == (835, 40) and figures["Breakage"] == (round(30 / 835, 4), 0.0)
    assert ["Campaigns", "tue2x", 20, None] in rows


def test_periods_weeks_months_and_the_one_before():
    assert period_bounds(PeriodKind.WEEK, date(2026, 3, 12)) == (date(2026, 3, 9), date(2026, 3, 15))
    assert period_bounds(PeriodKind.MONTH, date(2026, 12, 5)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_bounds(PeriodKind.MONTH, date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert previous_period(date(2026, 3, 9), date(2026, 3, 15)) == (date(2026, 3, 2), date(2026, 3, 8))
    with pytest.raises(LoyaltyError) as err:
        period_bounds(PeriodKind.CUSTOM, date(2026, 3, 9), date(2026, 3, 1))
    assert err.value.code is ErrorCode.INVALID_INPUT and "before its start" in err.value.message


_EVENT = st.tuples(st.sampled_from(["stamp", "earn", "redeem", "bonus"]), st.integers(0, 2), st.integers(0, 13),
                   st.integers(1, 300))


_WINDOWS = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(_EVENT, max_size=25), split=st.integers(1, 13))
def test_additive_figures_of_two_halves_add_up_to_the_whole(services, owner, program_id, events, split):
    # Each example writes into its own fortnight (the store outlives the examples); the report needs
    # only the ledger, so the cards are codes of that fortnight.
    first = date(2027, 1, 4) + timedelta(days=14 * next(_WINDOWS))
    first_moment = datetime.combine(first, time(0), UTC)
    cards = [f"H{first:%y%m%d}{n}" for n in range(3)]
    with services.ctx.db.write() as session:
        session.add_all(CardRow(code=code, program_id=program_id, enrolled_at=first_moment) for code in cards)
        session.flush()  # the cards before their balances (foreign key)
        session.add_all(CardBalance(code=code, stamps=0, points=0, lifetime_points=0) for code in cards)
        for kind, card, day, n in events:
            at = datetime.combine(first + timedelta(days=day), time(10), UTC)
            sign = -1 if kind == "redeem" else 1
            ledger.append(session, terminal_id=services.ctx.store.terminal_id, card=cards[card], kind=kind, at=at,
                          stamps=1 if kind == "stamp" else 0, points=0 if kind == "stamp" else sign * n,
                          staff_id=owner.staff_id, reason="campaign:x" if kind == "bonus" else None)
    svc = PeriodReportService(services.ctx)
    whole = svc.report(first, first + timedelta(days=13)).figures
    one = svc.report(first, first + timedelta(days=split - 1)).figures
    two = svc.report(first + timedelta(days=split), first + timedelta(days=13)).figures
    for name in ("stamps", "points_earned", "points_spent", "redemptions"):
        assert getattr(whole, name) == getattr(one, name) + getattr(two, name)
    assert whole.points_earned == sum(n for k, _c, _d, n in events if k in ("earn", "bonus"))
    assert whole.points_spent == sum(n for k, _c, _d, n in events if k == "redeem")
    assert whole.active_members == len({c for _k, c, _d, _n in events})
    assert max(one.active_members, two.active_members) <= whole.active_members
    assert whole.active_members <= one.active_members + two.active_members
