"""Lifetime points kept in the hub's balances at ingest (lifetime.py): they equal the till's rule
summed over each card's history (integration_rules.card_facts), survive a recount, are backfilled by
the schema step, and give the console report its tier mix."""

from __future__ import annotations

import re

import sqlalchemy as sa
from console_helpers import CHEAP_HASHER, add_owner, client, sign_in
from sync_helpers import pair_terminal

from sync.hub import hub_chain, hub_records, integration_rules, lifetime, owners
from sync.hub.app import create_app
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.migrations import migrate
from sync.hub.schema import balances, hub_schema
from sync.protocol import Card
from sync.syncer import Syncer
from terminal.domain.codes import new_code

TIERS = {"tiers": [{"name": "Silver", "min_lifetime_points": 100, "multiplier_percent": 100},
                   {"name": "Gold", "min_lifetime_points": 500, "multiplier_percent": 120}]}


def _kept(engine, merchant_id) -> dict[str, int]:
    with reading(engine) as conn:
        return dict(conn.execute(sa.select(balances.c.card, balances.c.lifetime_points)
                                 .where(balances.c.merchant_id == merchant_id)).all())


def _summed(engine, merchant_id, codes) -> dict[str, int]:
    with reading(engine) as conn:
        return {code: integration_rules.card_facts(conn, merchant_id, code).lifetime_points for code in codes}


def _history(hub, hub_engine, merchant, tmp_path) -> tuple[str, str, str]:
    """A till's earns and a void of one, then at the hub a refund and a replacement."""
    till, hub_client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    till.set_program("default", "Points", TIERS)
    with hub_client:
        sync = Syncer(till, hub_client)
        ana, budi = till.enroll(holder="Ana"), till.enroll(holder="Budi")
        till.earn(ana, points=400, amount=4000)
        till.earn(ana, points=200, amount=2000)
        till.earn(budi, points=150, amount=1500)
        sync.sync_once()
        with reading(hub_engine) as conn:
            last_earn = conn.execute(sa.text("SELECT entry_id FROM entries WHERE card = :c AND points = 200"),
                                     {"c": ana}).scalar_one()
        till.record([dict(card=ana, kind="void", points=-200, reverses=last_earn)])
        sync.sync_once()
        till.close()
    key = hub.app.state.hub_key()
    new = new_code()
    with writing(hub_engine) as conn:   # the new card's record, as the console's replace writes it
        counter = ChangeCounter(conn, merchant.merchant_id)
        now = "2026-03-10T09:00:00.000000Z"
        hub_records.write(conn, counter, key, Card(code=new, program_id="default", holder="Ana", status="active",
                                                   enrolled_at=now, updated_at=now), "owner@corner.example")
        counter.save()
    hub_chain.append(hub_engine, merchant.merchant_id, key, [
        hub_chain.NewEntry(budi, "adjust", points=-50, reason="refund:shop:1"),
        hub_chain.NewEntry(new, "enroll"),
        hub_chain.NewEntry(ana, "transfer_out", points=-400, amount=-400, reason="lost"),
        hub_chain.NewEntry(new, "transfer_in", points=400, amount=400, reason="lost")])
    return ana, budi, new


def test_lifetime_is_kept_at_ingest_as_the_tills_rule_counts_it(hub, hub_engine, merchant, tmp_path):
    ana, budi, new = _history(hub, hub_engine, merchant, tmp_path)
    kept = _kept(hub_engine, merchant.merchant_id)
    assert {c: kept[c] for c in (ana, budi, new)} == {ana: 0, budi: 100, new: 400}
    assert _summed(hub_engine, merchant.merchant_id, kept) == kept
    with writing(hub_engine) as conn:
        conn.execute(sa.update(balances).values(lifetime_points=12345))
        lifetime.recount(conn)
    assert _kept(hub_engine, merchant.merchant_id) == kept


def test_the_schema_step_backfills_lifetime_points(hub, hub_engine, merchant, tmp_path):
    _history(hub, hub_engine, merchant, tmp_path)
    kept = _kept(hub_engine, merchant.merchant_id)
    with writing(hub_engine) as conn:
        conn.execute(sa.text("ALTER TABLE balances DROP COLUMN lifetime_points"))
        conn.execute(sa.update(hub_schema).values(version=18))
    assert migrate(hub_engine) == 18
    assert _kept(hub_engine, merchant.merchant_id) == kept


def test_the_console_report_shows_the_tier_mix_of_the_periods_members(hub, hub_engine, merchant, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(owners, "password_hasher", CHEAP_HASHER)
    monkeypatch.setattr(owners, "_DUMMY_HASH", [])
    _history(hub, hub_engine, merchant, tmp_path)
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    with client(create_app(hub_engine, run_migrations=False)) as web:
        assert sign_in(web, owner.email).status_code == 303
        report = web.get("/console/reports").text
        link = re.search(r'href="(/console/reports/tiers\?[^"]+)"', report).group(1).replace("&amp;", "&")
        page = web.get(link).text
        other = web.get("/console/reports/tiers", params={"store": "0" * 36})
    # Ana (0 after the transfer) has no tier, Budi (100) is Silver, the new card (400) is Silver
    assert "<td data-label=\"Tier\">Silver</td><td data-label=\"Members\">2</td>" in page
    assert "<td data-label=\"Tier\">No tier yet</td><td data-label=\"Members\">1</td>" in page
    assert other.status_code == 404
