"""The console's period figures (sync/hub/daily_totals.py) kept at ingest equal a recount from the entries.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL through the hub_engine fixture.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from real_terminal import RealTerminal

from sync.hub import hub_chain
from sync.hub.console import report_data
from sync.hub.daily_totals import Scope, recount, totals_snapshot
from sync.hub.db import reading, writing
from sync.hub.hub_chain import NewEntry
from sync.hub.migrations import SCHEMA_VERSION, migrate
from sync.hub.schema import daily_cards, daily_totals, daily_voided, entries, hub_schema, terminals

ALL_TIME = (date(2000, 1, 1), date(2100, 1, 1))


def _history(hub, hub_engine, merchant, tmp_path) -> str:
    """A real till (Europe/Berlin) enrolls, stamps, earns, voids and adjusts; the hub chain adds a
    redemption, a campaign bonus, a void of a till's entry and one expiry key written twice."""
    till = RealTerminal.founded(tmp_path / "till")
    try:
        till.pair(hub.url, hub_engine, merchant.store_id)
        code = till.enroll("Siti")
        other = till.enroll("Budi")
        till.services.counter.stamp(till.grant(), code)
        till.earn(code, 2000)
        till.earn(other, 1500)
        till.sync()
        wrong = till.services.counter.earn(till.grant(), other, 900)
        till.services.owner.void(till.grant(), wrong.entry.entry_id, "typed the wrong amount")
        till.services.owner.adjust(till.grant(), code, 3, "goodwill")
        till.sync()
    finally:
        till.close()
    with reading(hub_engine) as conn:
        earn_id = conn.execute(sa.select(entries.c.entry_id).where(entries.c.card == code, entries.c.kind == "earn")
                               ).scalar_one()
    key = Ed25519PrivateKey.generate()
    hub_chain.append(hub_engine, merchant.merchant_id, key, [
        NewEntry(code, "redeem", points=-5, reward_id="coffee"),
        NewEntry(other, "bonus", points=7, reason="campaign:double-tuesday"),
        NewEntry(code, "expire", points=-1, reason="expiry:age:2026-03-01"),
    ])
    hub_chain.append(hub_engine, merchant.merchant_id, key, [
        NewEntry(code, "void", points=-20, reverses=earn_id, reason="refund"),
        NewEntry(code, "void", points=-20, reverses=earn_id, reason="second void, flagged, takes nothing"),
        NewEntry(code, "expire", points=-1, reason="expiry:age:2026-03-01"),   # same key: counts zero
    ])
    return code


def _by_hand(hub_engine, merchant_id: str) -> dict[str, int]:
    """The till report's figures over every entry, counted in plain Python from the entries table."""
    with reading(hub_engine) as conn:
        rows = conn.execute(sa.select(entries).order_by(entries.c.change_id)).mappings().all()
    rows = [r for r in rows if r["merchant_id"] == merchant_id]
    voided = {r["reverses"] for r in rows if r["kind"] == "void"}
    first_of_key: dict[tuple[str, str], str] = {}
    for r in rows:
        if r["kind"] == "expire" and (r["reason"] or "").startswith("expiry:"):
            k = (r["card"], r["reason"])
            first_of_key[k] = min(first_of_key.get(k, r["entry_id"]), r["entry_id"])
    counted = [r for r in rows if r["kind"] != "void" and r["entry_id"] not in voided
               and not (r["kind"] == "expire" and (r["reason"] or "").startswith("expiry:")
                        and first_of_key[(r["card"], r["reason"])] != r["entry_id"])]
    f: dict[str, int] = defaultdict(int)
    for r in counted:
        f["stamps"] += r["stamps"] if r["kind"] == "stamp" else 0
        f["points_earned"] += r["points"] if r["kind"] in ("earn", "bonus") else 0
        f["points_spent"] -= r["points"] if r["kind"] == "redeem" else 0
        f["points_expired"] -= r["points"] if r["kind"] == "expire" else 0
        f["redemptions"] += r["kind"] in ("redeem", "stamp_redeem")
        f["new_cards"] += r["kind"] == "enroll"
    f["active_members"] = len({r["card"] for r in rows if r["kind"] not in ("expire", "void")})
    f["redeeming_cards"] = len({r["card"] for r in counted if r["kind"] in ("redeem", "stamp_redeem")})
    return dict(f)


def _figures(hub_engine, merchant_id: str) -> dict[str, int]:
    with reading(hub_engine) as conn:
        got = report_data.figures(conn, Scope(merchant_id, *ALL_TIME))
    return {k: getattr(got, k) for k in ("stamps", "points_earned", "points_spent", "points_expired",
                                         "redemptions", "new_cards", "active_members", "redeeming_cards")}


def test_figures_kept_at_ingest_equal_a_recount(hub, hub_engine, merchant, tmp_path):
    _history(hub, hub_engine, merchant, tmp_path)
    expected = _by_hand(hub_engine, merchant.merchant_id)
    assert expected["points_earned"] == 150 + 7 and expected["points_expired"] == 1   # the sums mean something
    assert expected["stamps"] == 1 and expected["new_cards"] == 2 and expected["redemptions"] == 1
    assert _figures(hub_engine, merchant.merchant_id) == expected
    with reading(hub_engine) as conn:
        incremental = totals_snapshot(conn, merchant.merchant_id)
        days = {row[2] for row in incremental[0]}
        staff = {row[3] for row in incremental[0]}
    with writing(hub_engine) as conn:
        recount(conn, merchant.merchant_id)
    with reading(hub_engine) as conn:
        assert totals_snapshot(conn, merchant.merchant_id) == incremental
        voided = conn.execute(sa.select(sa.func.count()).select_from(daily_voided)).scalar_one()
    assert voided == 2   # the till's void and the hub's first void; the second void took nothing
    # Days are Berlin days of the entries' times; the till's staff member is named, hub entries name none.
    with reading(hub_engine) as conn:
        ats = conn.execute(sa.select(entries.c.at)).scalars().all()
    assert days == {_berlin_day(at) for at in ats}
    assert "" in staff and len(staff) == 2


def _berlin_day(at: str) -> str:
    from datetime import datetime
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()


def test_schema_step_backfills_the_figures_from_entries(hub, hub_engine, merchant, tmp_path):
    _history(hub, hub_engine, merchant, tmp_path)
    expected = _figures(hub_engine, merchant.merchant_id)
    with reading(hub_engine) as conn:
        before = totals_snapshot(conn, merchant.merchant_id)
    # A database of schema 17: no figures tables at all.
    with writing(hub_engine) as conn:
        for table in (daily_totals, daily_cards, daily_voided):
            table.drop(conn)
        conn.execute(sa.update(hub_schema).values(version=17))
    assert migrate(hub_engine) == 17
    with reading(hub_engine) as conn:
        assert totals_snapshot(conn, merchant.merchant_id) == before
        assert conn.execute(sa.select(hub_schema.c.version)).scalar_one() == SCHEMA_VERSION
    assert _figures(hub_engine, merchant.merchant_id) == expected
    # An entry pushed after the upgrade is counted on top.
    with reading(hub_engine) as conn:
        store = conn.execute(sa.select(terminals.c.store_id).where(terminals.c.is_hub.is_(False))).scalar_one()
    assert store == merchant.store_id


def test_cards_seen_out_of_order_count_once_in_every_range(hub_engine, merchant):
    """Entries of earlier days arriving after later ones (an offline till) keep each card counted once."""
    import random

    from sync.hub.db import ChangeCounter
    from sync.hub.hub_chain import append_locked

    key = Ed25519PrivateKey.generate()
    rng = random.Random(7)
    visits = [(card, day) for card in ("AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC") for day in rng.sample(range(1, 11), 5)]
    rng.shuffle(visits)
    for card, day in visits:
        with writing(hub_engine) as conn:
            counter = ChangeCounter(conn, merchant.merchant_id)
            append_locked(conn, counter, key, [NewEntry(card, "adjust", points=1, reason="visit")],
                          now=f"2026-05-{day:02d}T10:00:00.000000Z")
            counter.save()
    with reading(hub_engine) as conn:
        incremental = totals_snapshot(conn, merchant.merchant_id)
        for first in range(1, 11):
            for last in range(first, 11):
                scope = Scope(merchant.merchant_id, date(2026, 5, first), date(2026, 5, last))
                expected = len({card for card, day in visits if first <= day <= last})
                assert report_data.figures(conn, scope).active_members == expected, (first, last)
                assert report_data.figures(conn, Scope(merchant.merchant_id, scope.first, scope.last,
                                                       merchant.store_id)).active_members == expected
    with writing(hub_engine) as conn:
        recount(conn, merchant.merchant_id)
    with reading(hub_engine) as conn:
        assert totals_snapshot(conn, merchant.merchant_id) == incremental   # prev_day included
