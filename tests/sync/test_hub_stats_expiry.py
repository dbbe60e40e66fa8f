"""The owner API's totals count a period's expiry once, however many tills wrote it (docs/sync.md)."""

from __future__ import annotations

from datetime import timedelta

import httpx


def _stats(hub, merchant, **query) -> dict:
    return httpx.get(f"{hub.url}/api/v1/stats", params=query,
                     headers={"Authorization": f"Bearer {merchant.owner_token}"}).json()


def test_points_taken_counts_one_expiry_per_card_and_period(real_tills, hub, merchant):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    code = a.enroll()
    a.earn(code, 1000)  # 100 points
    a.sync()
    b.sync()
    a.clock.advance(timedelta(days=31))
    assert [e.points for e in a.services.owner.expire_points()] == [-100]
    b.clock.advance(timedelta(seconds=1))  # B's entry comes later; the smaller entry id still decides
    assert [e.points for e in b.services.owner.expire_points()] == [-100]
    for _ in range(2):
        a.sync()
        b.sync()
    totals = _stats(hub, merchant)
    assert (totals["points_given"], totals["points_taken"]) == (100, 100)
    assert totals["by_kind"]["expire"] == 2  # both entries are still there, for the auditor


def test_a_duplicate_inside_the_period_counts_zero_when_the_first_lies_before_it(real_tills, hub, merchant):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    codes = [a.enroll() for _ in range(5)]
    for code in codes:
        a.earn(code, 1000)
    a.sync()
    b.sync()
    a.clock.advance(timedelta(days=31))
    first = {e.card: e for e in a.services.owner.expire_points()}
    a.clock.advance(timedelta(days=2))  # B was offline and expires the same days' points two days later
    second = {e.card: e for e in b.services.owner.expire_points()}
    for _ in range(2):
        a.sync()
        b.sync()
    # Entry ids are random: on some cards B's entry is the one that counts, on the others A's (before the period).
    since = (a.clock.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    totals = _stats(hub, merchant, since=since)
    assert "points_taken" in totals, totals
    assert totals["points_taken"] == 100 * sum(second[c].entry_id < first[c].entry_id for c in codes)
    assert _stats(hub, merchant)["points_taken"] == 500
