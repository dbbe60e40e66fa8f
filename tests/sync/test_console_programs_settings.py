"""terminal/domain/program_settings.py: what a till pushes passes, what a till would refuse or misread does not.

The console checks every program it writes with ``check_settings``; these tests hold it to the
till's own records (each template, with tiers, rewards and a campaign) and to the refusals.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from real_terminal import RealTerminal

from terminal.domain.campaigns import Campaign, CampaignKind
from terminal.domain.errors import LoyaltyError
from terminal.domain.program_settings import EXPIRY_MODES, check_settings
from terminal.services.expiry import ExpiryMode


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    """The program records a real till pushes: its hybrid program, a coffee card and a points program,
    with tiers, points as money and a campaign set on the till."""
    till = RealTerminal.founded(tmp_path_factory.mktemp("till"))
    try:
        grant = till.grant()
        for template in ("coffee", "points"):
            till.services.programs.add(grant, template)
        points_id = till.program_id()
        till.services.programs.save(grant, points_id, tiers=[("Silver", 100, 125), ("Gold", 1000, 150)])
        day = till.clock.now().date()
        till.services.campaigns.add(grant, points_id, Campaign("", "Double days", CampaignKind.MULTIPLIER, day,
                                                               day + timedelta(days=3), multiplier_percent=200))
        records = till.port.outbox(100).programs
    finally:
        till.close()
    assert len(records) == 3
    return [(r["name"], r["kind"], r["settings"]) for r in records]


def test_every_record_a_till_pushes_passes(pushed):
    for name, kind, settings in pushed:
        check_settings(name, kind, settings)
    assert any(s["tiers"] for _n, _k, s in pushed) and any(s["campaigns"] for _n, _k, s in pushed)


def _broken(settings, change):
    broken = copy.deepcopy(settings)
    change(broken)
    return broken


CHANGES = [
    (lambda s: s.update(stamps_target=0), "at least 1"),
    (lambda s: s.update(points_per_unit=True), "whole number"),
    (lambda s: s.update(earn_per_minor=10**13), "whole number"),
    (lambda s: s.update(active="yes"), "active or retired"),
    (lambda s: s.update(points_expiry_mode="forever"), "by age or by inactivity"),
    (lambda s: s.update(money_points=10, money_value_minor=None, money_max_percent=50), "whole number"),
    (lambda s: s.update(money_points=10, money_value_minor=100, money_max_percent=120), "100 %"),
    (lambda s: s.update(tiers=[{"name": "Gold", "min_lifetime_points": 5}]), "multiplier"),
    (lambda s: s.update(tiers="Gold"), "list of records"),
    (lambda s: s["rewards"][0].pop("cost_points"), "Cost in points"),
    (lambda s: s["rewards"][0].update(cost_stamps=0, cost_points=0), "costs stamps or points"),
    (lambda s: s["rewards"][0].update(active=None), "active or retired"),
    (lambda s: s["rewards"][0].update(stock=-1), "Stock"),
    (lambda s: s["rewards"][0].update(valid_from="2026-05-01T00:00:00Z", valid_until="2026-04-01T00:00:00Z"),
     "must end after"),
    (lambda s: s["rewards"][0].update(valid_from="May"), "not a date"),
    (lambda s: s["rewards"].append(dict(s["rewards"][0])), "same id"),
    (lambda s: s.update(campaigns=[{"name": "No kind"}]), "could not be read"),
    (lambda s: s.update(campaigns=[_campaign(multiplier_percent=100)]), "multiplier"),
    (lambda s: s.update(campaigns=[_campaign(), _campaign()]), "same id"),
]


def _campaign(**change):
    day = date(2026, 5, 1)
    values = {"campaign_id": "c1", "name": "Double", "kind": CampaignKind.MULTIPLIER, "first_day": day,
              "last_day": day, "multiplier_percent": 200, **change}
    return Campaign(**values).to_settings()


@pytest.mark.parametrize(("change", "says"), CHANGES)
def test_what_a_till_would_refuse_or_misread_is_refused(pushed, change, says):
    name, kind, settings = next(p for p in pushed if p[1] == "hybrid")
    with pytest.raises(LoyaltyError) as refused:
        check_settings(name, kind, _broken(settings, change))
    assert says in refused.value.message


def test_name_and_kind_are_checked(pushed):
    name, kind, settings = pushed[0]
    for bad_name, bad_kind, says in (("", kind, "needs a name"), ("x" * 121, kind, "at most"),
                                     (name, "lottery", "not a kind")):
        with pytest.raises(LoyaltyError, match=says):
            check_settings(bad_name, bad_kind, settings)


def test_the_expiry_modes_are_the_tills():
    assert set(EXPIRY_MODES) == {m.value for m in ExpiryMode}
