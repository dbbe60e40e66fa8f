"""Expiry run by every till, online or offline: one counted expire entry per card and period,
at each till and at the real hub over loopback."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from real_terminal import RealTerminal
from sync_helpers import hub_entries

from sync.hub.schema import balances
from terminal.domain.ledger import EntryKind
from terminal.store import ledger as ledger_module


def _hub_points(engine, card: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(balances.c.points).where(balances.c.card == card)).scalar_one()


def _expiries(term: RealTerminal, card: str) -> list:
    return [e for e in term.services.reports.history() if e.card == card and e.kind is EntryKind.EXPIRE]


def test_two_offline_tills_expire_the_same_points_and_only_one_entry_counts(real_tills, hub_engine):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    code = a.enroll()
    a.earn(code, 1000)  # 100 points on day 0
    a.sync()
    b.sync()
    a.clock.advance(timedelta(days=31))
    # both offline: each writes its expiry of the day-0 points, under the same period key
    assert [e.points for e in a.services.owner.expire_points()] == [-100]
    assert [e.points for e in b.services.owner.expire_points()] == [-100]
    assert a.services.owner.expire_points() == [] == b.services.owner.expire_points()  # idempotent
    for _ in range(2):
        a.sync()
        b.sync()
    on_hub = [e for e in hub_entries(hub_engine) if e["card"] == code and e["kind"] == "expire"]
    assert len(on_hub) == 2 and len({e["reason"] for e in on_hub}) == 1
    assert a.balance(code) == b.balance(code) == (0, 0)
    assert _hub_points(hub_engine, code) == 0
    for term in (a, b):
        assert len(_expiries(term, code)) == 2
        report = term.services.reports.verify()
        assert report.ok, report.problems
        assert term.services.owner.expire_points() == []  # the period is done everywhere


def test_different_amounts_agree_on_the_first_entry_and_the_rest_expires_later(real_tills, hub_engine):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    code = a.enroll()
    a.earn(code, 1000)   # 100 points, seen by both
    a.sync()
    b.sync()
    b.earn(code, 500)    # 50 more the same day, on B only (offline)
    a.clock.advance(timedelta(days=31))
    from_a = a.services.owner.expire_points()
    from_b = b.services.owner.expire_points()
    assert [e.points for e in from_a] == [-100] and [e.points for e in from_b] == [-150]
    for _ in range(2):
        a.sync()
        b.sync()
    winner = min((from_a[0], from_b[0]), key=lambda e: e.entry_id)
    left = 150 + winner.points
    assert a.balance(code) == b.balance(code) == (0, left)
    assert _hub_points(hub_engine, code) == left
    # what the first entry left of day 0 expires on the next run, on whichever till runs it
    again = a.services.owner.expire_points()
    assert [e.points for e in again] == ([-left] if left else [])
    a.sync()
    b.sync()
    assert a.balance(code) == b.balance(code) == (0, 0)
    assert _hub_points(hub_engine, code) == 0
    assert b.services.owner.expire_points() == []
    for term in (a, b):
        report = term.services.reports.verify()
        assert report.ok, report.problems


def test_a_card_enrolled_on_a_till_that_is_gone_still_expires(real_tills, hub_engine):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    code = a.enroll()
    a.earn(code, 1000)
    a.sync()
    b.sync()
    a.close()  # till A is never heard of again
    b.clock.advance(timedelta(days=31))
    assert [e.points for e in b.services.owner.expire_points()] == [-100]
    b.sync()
    assert b.balance(code) == (0, 0)
    assert _hub_points(hub_engine, code) == 0
    a.services = RealTerminal(a.data_dir, a.clock).services  # so the fixture can close it again


def test_what_a_smaller_first_entry_left_expires_under_the_next_key(real_tills, hub_engine, monkeypatch):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    code = a.enroll()
    a.earn(code, 1000)   # 100 points, seen by both
    a.sync()
    b.sync()
    b.earn(code, 500)    # 50 more the same day, on B only
    a.clock.advance(timedelta(days=31))
    # A's entry gets the smallest id there is, so A's -100 is the one that counts, not B's -150
    first_id = uuid.UUID("00000000-0000-4000-8000-000000000000")
    with monkeypatch.context() as patched:
        patched.setattr(ledger_module.uuid, "uuid4", lambda: first_id)
        assert [e.points for e in a.services.owner.expire_points()] == [-100]
    assert [e.points for e in b.services.owner.expire_points()] == [-150]
    for _ in range(2):
        a.sync()
        b.sync()
    assert a.balance(code) == b.balance(code) == (0, 50)
    assert _hub_points(hub_engine, code) == 50
    again = b.services.owner.expire_points()
    assert [(e.points, e.reason.rsplit("#", 1)[-1]) for e in again] == [(-50, "2")]
    b.sync()
    a.sync()
    assert a.balance(code) == b.balance(code) == (0, 0)
    assert _hub_points(hub_engine, code) == 0
    assert a.services.owner.expire_points() == []
    for term in (a, b):
        report = term.services.reports.verify()
        assert report.ok, report.problems


def test_inactivity_expiry_on_two_offline_tills_counts_once(real_tills, hub_engine):
    a, b = real_tills
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=60,
                                  points_expiry_mode="inactivity")
    code = a.enroll()
    a.earn(code, 800)
    a.clock.advance(timedelta(days=10))
    a.earn(code, 400, grant=a.grant())  # the last activity: 120 points in all
    a.sync()
    b.sync()
    assert b.services.counter.card(code).expiring.points == 0  # 60 days away
    a.clock.advance(timedelta(days=45))
    assert b.services.counter.card(code).expiring.points == 120  # within 30 days now
    a.clock.advance(timedelta(days=15))
    from_a = a.services.owner.expire_points()
    from_b = b.services.owner.expire_points()
    assert [e.points for e in from_a] == [e.points for e in from_b] == [-120]
    assert from_a[0].reason == from_b[0].reason and from_a[0].reason.startswith("expiry:inactive:")
    for _ in range(2):
        a.sync()
        b.sync()
    assert a.balance(code) == b.balance(code) == (0, 0)
    assert _hub_points(hub_engine, code) == 0
    assert a.services.owner.expire_points() == [] == b.services.owner.expire_points()
