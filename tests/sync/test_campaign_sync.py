"""Campaigns travel with their program; bonus entries reach the hub and the other till, balances agree."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sync_helpers import hub_entries

from terminal.domain.campaigns import Campaign, CampaignKind


def test_a_campaign_added_on_a_applies_on_b_and_its_bonus_reaches_everyone(real_tills, hub_engine):
    a, b = real_tills
    code = a.enroll("Ann")
    campaign_id = a.services.campaigns.add(a.grant(), a.program_id(), Campaign(
        "", "Double March", CampaignKind.MULTIPLIER, date(2026, 3, 1), date(2026, 3, 31), multiplier_percent=200))
    a.sync()
    b.sync()
    assert [c.campaign_id for _p, c in b.services.campaigns.list_campaigns()] == [campaign_id]
    b.earn(code, 1000)  # 10.00 EUR: 100 points, and 100 more from the campaign
    b.sync()
    a.sync()
    assert a.balance(code) == b.balance(code) == (0, 200)
    on_hub = hub_entries(hub_engine, b.terminal_id)
    assert [(e["kind"], e["points"], e["reason"]) for e in on_hub] == [
        ("earn", 100, None), ("bonus", 100, f"campaign:{campaign_id}")]
    with hub_engine.connect() as conn:
        assert tuple(conn.execute(sa.text("SELECT stamps, points FROM balances WHERE card = :c"),
                                  {"c": code}).one()) == (0, 200)
    # ended on A: B stops giving the bonus once it has heard
    a.services.campaigns.end(a.grant(), campaign_id)
    a.sync()
    b.sync()
    a.clock.advance(timedelta(minutes=1))
    b.earn(code, 1000)
    assert b.balance(code) == (0, 300)
    for term in (a, b):
        assert term.services.reports.verify().ok
