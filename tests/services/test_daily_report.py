"""Today's report: per-staff figures from the ledger and audit log, and suspicious patterns."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.catalog import list_programs
from terminal.services.counter import AUDITED_REFUSALS
from terminal.services.daily_report import SuspicionKind, day_bounds_utc
from terminal.services.facade import open_services

BERLIN = ZoneInfo("Europe/Berlin")
ISO = "%Y-%m-%dT%H:%M:%S.%fZ"  # how the store writes times


def test_day_bounds_follow_the_store_time_zone_across_dst() -> None:
    start, end = day_bounds_utc(date(2026, 3, 29), BERLIN)  # clocks go forward: a 23-hour day
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)


def test_seeded_day(services, owner, cashier, card, clock) -> None:
    other = services.enrollment.enroll(owner, list_programs_of(services)[0], "Bo").code
    for _ in range(3):  # Carl stamps one card three times (cooldown waited out each time)
        services.counter.stamp(cashier, card)
        clock.advance(timedelta(minutes=20))
        cashier = services.auth.verify_pin(cashier.staff_id, "5820")
    services.counter.stamp(cashier, other)
    services.counter.earn(cashier, card, 1250)
    for _ in range(2):  # inside the cooldown: refused and audited
        with pytest.raises(LoyaltyError):
            services.counter.stamp(cashier, other)
    owner = services.auth.verify_pin(owner.staff_id, "2741")
    last = services.owner.last_entry(card)
    services.owner.void(owner, last.entry_id, "typed the wrong amount")
    for _ in range(3):
        with pytest.raises(LoyaltyError):
            services.auth.verify_pin(cashier.staff_id, "0000")
    clock.advance(timedelta(days=1))  # tomorrow's entries must not count for today
    owner = services.auth.verify_pin(owner.staff_id, "2741")
    services.counter.stamp(owner, other)

    report = services.daily_report.report(date(2026, 3, 10))
    by_name = {r.name: r for r in report.staff}
    carl, olga = by_name["Carl"], by_name["Olga"]
    assert (carl.stamps, carl.earns, carl.points_earned, carl.refusals, carl.pin_failures) == (4, 1, 125, 2, 3)
    assert (olga.stamps, olga.voids, olga.enrollments) == (0, 1, 2)
    assert report.totals.stamps == 4 and report.totals.enrollments == 2
    kinds = {(s.kind, s.staff_name, s.card) for s in report.suspicions}
    assert kinds == {(SuspicionKind.REPEAT_STAMPS, "Carl", card), (SuspicionKind.MANY_PIN_FAILURES, "Carl", None)}
    assert services.daily_report.report(date(2026, 3, 11)).totals.stamps == 1


def list_programs_of(services) -> list[str]:
    with services.ctx.db.read() as session:
        return [p.program_id for p in list_programs(session)]


def test_empty_day_has_no_rows(services) -> None:
    report = services.daily_report.report(date(2026, 1, 1))
    assert report.staff == () and report.suspicions == () and report.totals.stamps == 0


@pytest.fixture
def roomy_store(data_dir, clock, monkeypatch):
    """A store whose grants outlive the test and whose rules never lock anyone out, so examples can use new days."""
    monkeypatch.setenv("LOYALTY_GRANT_SECONDS", str(10**8))
    monkeypatch.setenv("LOYALTY_DEFAULT_COOLDOWN_MINUTES", "0")
    monkeypatch.setenv("LOYALTY_MAX_DAILY_STAMPS", "1000")
    monkeypatch.setenv("LOYALTY_PIN_MAX_FAILED_ATTEMPTS", "1000")  # wrong PINs are counted, never lock
    s = open_services(data_dir, clock=clock)
    s.init_store(name="Sums", timezone="Asia/Jakarta", currency="EUR", owner_name="Olga",
                 owner_pin="2741", template="hybrid")
    owner_id = s.staff.list()[0].staff_id
    owner = s.auth.verify_pin(owner_id, "2741")
    cashiers = [s.staff.add(owner, name, Role.CASHIER, pin) for name, pin in (("Ida", "3816"), ("Joe", "6093"))]
    grants = [owner] + [s.auth.verify_pin(c.staff_id, pin) for c, pin in zip(cashiers, ("3816", "6093"), strict=True)]
    program = list_programs_of(s)[0]
    cards = [s.enrollment.enroll(owner, program, f"C{i}").code for i in range(3)]
    reward = s.owner.save_reward(owner, program, "Cake", cost_points=40)
    yield s, grants, cards, reward
    s.close()


ACTIONS = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["stamp", "earn", "redeem", "bad_pin"]),
                             st.integers(0, 2), st.integers(1, 5000)), max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_per_staff_sums_match_the_ledger(roomy_store, clock, actions) -> None:
    s, grants, cards, reward = roomy_store
    clock.advance(timedelta(days=1))  # every example is a fresh store-local day
    day = s.daily_report.today()
    expected: dict[str, Counter] = {g.staff_id: Counter() for g in grants}
    for who, action, card_index, amount in actions:
        grant, code = grants[who], cards[card_index]
        clock.advance(timedelta(seconds=30))
        try:
            if action == "stamp":
                s.counter.stamp(grant, code)
                expected[grant.staff_id]["stamps"] += 1
            elif action == "earn":
                result = s.counter.earn(grant, code, amount)
                expected[grant.staff_id]["points_earned"] += result.entry.points
            elif action == "redeem":
                s.counter.redeem(grant, code, reward)
                expected[grant.staff_id]["redemptions"] += 1
            else:
                s.auth.verify_pin(grant.staff_id, "0000")
        except LoyaltyError as exc:
            if exc.code in AUDITED_REFUSALS:
                expected[grant.staff_id]["refusals"] += 1
            elif exc.code is ErrorCode.PIN_INVALID:
                expected[grant.staff_id]["pin_failures"] += 1
    report = s.daily_report.report(day)
    got = {r.staff_id: r for r in report.staff}
    for staff_id, want in expected.items():
        row = got.get(staff_id)
        for name in ("stamps", "points_earned", "redemptions", "refusals", "pin_failures"):
            assert (getattr(row, name) if row else 0) == want[name], name
    # and the report agrees with the ledger read independently, straight from SQLite
    start, end = day_bounds_utc(day, ZoneInfo("Asia/Jakarta"))
    conn = sqlite3.connect(s.ctx.db.path)
    try:
        rows = conn.execute(
            "SELECT staff_id, SUM(kind='stamp'), COALESCE(SUM(CASE WHEN kind='earn' THEN points END), 0) "
            "FROM ledger WHERE at >= ? AND at < ? GROUP BY staff_id",
            (start.strftime(ISO), end.strftime(ISO))).fetchall()
    finally:
        conn.close()
    assert {sid: (st_, pts) for sid, st_, pts in rows} == {
        r.staff_id: (r.stamps, r.points_earned) for r in report.staff if r.stamps or r.earns or r.redemptions}
