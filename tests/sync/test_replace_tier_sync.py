"""A card replaced at one till keeps its tier and balance at the other till and at the hub.

The replacement pair moves the lifetime points in its ``amount``
(terminal/domain/replacement.py); each peer sums the same entries, so the
tills' balance caches, their verify and the hub's tier agree after sync, also
when the other till wrote a late entry on the old card while offline.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from sync.hub import integration_rules as rules
from terminal.domain.codes import new_code
from terminal.domain.ledger import Balance
from terminal.domain.programs import tier_for

TIERS = [("Silver", 100, 125), ("Gold", 400, 150)]


@pytest.fixture
def tills(hub, hub_engine, merchant, tmp_path):
    made = []
    a = RealTerminal.founded(tmp_path / "a")
    made.append(a)
    try:
        a.services.owner.set_tiers(a.grant(), a.program_id(), TIERS)
        a.pair(hub.url, hub_engine, merchant.store_id, "Till A")
        a.sync()
        made.append(RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id, a.clock))
        yield made
    finally:
        for term in made:
            term.close()


def _at_hub(engine, merchant_id, code):
    """(stamps, points, lifetime points, tier name) as the hub counts them."""
    with engine.connect() as conn:
        stamps, points = rules.balance(conn, merchant_id, code)
        lifetime = rules.card_facts(conn, merchant_id, code).lifetime_points
        program = rules.load_program(conn, merchant_id, rules.card_row(conn, merchant_id, code)["program_id"])
    tier = tier_for(program.program.tiers, lifetime)
    return stamps, points, lifetime, tier.name if tier else None


def _at_till(term, code):
    view = term.services.counter.card(code)
    return (view.balance.stamps, view.balance.points, view.balance.lifetime_points,
            view.tier.name if view.tier else None)


def test_the_new_card_has_the_same_tier_and_balance_on_both_tills_and_at_the_hub(tills, hub_engine, merchant):
    a, b = tills
    old = a.enroll("Ana Lima")
    for _ in range(3):
        a.earn(old, 1500)
    a.services.counter.stamp(a.grant(), old)
    a.services.owner.adjust(a.grant(), old, -300, "spent at the fair")
    a.sync()
    b.sync()
    before = _at_till(b, old)
    assert before[3] == "Gold" and before[1] < before[2]  # spent points: the balance is below the lifetime
    a.services.card_status.block(a.grant(), old, "lost on the bus")
    new = new_code()
    a.services.replace.replace(a.grant(), old, new, "lost on the bus")
    a.sync()
    b.sync()
    assert _at_till(a, new) == _at_till(b, new) == _at_hub(hub_engine, merchant.merchant_id, new) == before
    assert _at_till(a, old) == _at_till(b, old) == _at_hub(hub_engine, merchant.merchant_id, old) == (0, 0, 0, None)
    assert a.services.reports.verify().ok and b.services.reports.verify().ok
    with hub_engine.connect() as conn:
        amounts = dict(conn.execute(sa.text("SELECT kind, amount FROM entries WHERE kind LIKE 'transfer_%'")).all())
    assert amounts == {"transfer_out": -before[2], "transfer_in": before[2]}


def test_a_late_earn_on_the_old_card_stays_there_at_every_peer(tills, hub_engine, merchant):
    a, b = tills
    old = a.enroll("Ana Lima")
    for _ in range(3):
        a.earn(old, 1500)
    a.sync()
    b.sync()
    moved = _at_till(a, old)
    b.earn(old, 500)  # B has not heard of the block yet: its earn lands on the old card
    a.services.card_status.block(a.grant(), old, "stolen")
    new = new_code()
    a.services.replace.replace(a.grant(), old, new, "stolen")
    for term in (a, b, a):
        term.sync()
    hub_new, hub_old = (_at_hub(hub_engine, merchant.merchant_id, c) for c in (new, old))
    assert _at_till(a, new) == _at_till(b, new) == hub_new == moved
    assert _at_till(a, old) == _at_till(b, old) == hub_old
    late = hub_old[1]
    assert late == 75 and hub_old == (0, 75, 75, None)  # only the late earn (x1.5 at Gold), below Silver
    assert a.services.counter.card(old).balance == Balance(0, late, late)
    assert a.services.reports.verify().ok and b.services.reports.verify().ok


def test_the_pair_raises_a_tier_change_for_each_card_at_the_hub(tills, hub, hub_engine, merchant):
    import httpx

    from sync.hub.schema import webhook_events

    a, _b = tills
    answer = httpx.post(f"{hub.url}/api/v1/webhooks", headers={"Authorization": f"Bearer {merchant.owner_token}"},
                        json={"url": "http://127.0.0.1:9/hooks", "events": ["tier.changed"]})
    assert answer.status_code == 201, answer.text
    old = a.enroll("Ana Lima")
    for _ in range(3):
        a.earn(old, 1500)
    a.sync()  # the old card reached Gold in an earlier push
    a.services.card_status.block(a.grant(), old, "lost")
    new = new_code()
    a.services.replace.replace(a.grant(), old, new, "lost")
    a.sync()
    with hub_engine.connect() as conn:
        payloads = conn.execute(sa.select(webhook_events.c.payload)
                                .where(webhook_events.c.type == "tier.changed")).scalars().all()
    changes = [json.loads(p)["data"] for p in payloads]
    moves = {(c["card"], c["from_tier"], c["to_tier"], c["lifetime_points"]) for c in changes}
    lifetime = _at_till(a, new)[2]
    assert {(old, "Gold", None, 0), (new, None, "Gold", lifetime)} <= moves
