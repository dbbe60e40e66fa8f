"""A refunded order takes back lifetime points and tier at the hub and the till, as a till's void of the earn does.

Real till, real hub over loopback (SQLite and, with LOYALTY_TEST_PG_URL, PostgreSQL).
"""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from sync.hub import integration_credentials, webhooks
from sync.hub.db import writing
from sync.hub.schema import webhook_events
from terminal.store.models import LedgerRow

API = "/api/v1/integration"


@pytest.fixture
def shop(hub, hub_engine, merchant, tmp_path):
    till = RealTerminal.founded(tmp_path / "till")
    till.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    write = integration_credentials.create(hub_engine, merchant.merchant_id, "web shop", "write")
    with writing(hub_engine) as conn:  # tier.changed events are written only for a subscriber
        webhooks.add_endpoint(conn, merchant.merchant_id, "https://shop.example/hooks", ["tier.changed"])
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {write.secret}"}, timeout=30) as client:
        yield till, client
    till.close()


def _post(client: httpx.Client, path: str, body: dict) -> dict:
    answer = client.post(API + path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _lifetime(till: RealTerminal, code: str) -> int:
    return till.services.counter.card(code).balance.lifetime_points


def _earn_entry(till: RealTerminal, code: str) -> str:
    with till.services.ctx.db.read() as session:
        return session.execute(sa.select(LedgerRow.entry_id).where(LedgerRow.card == code,
                                                                   LedgerRow.kind == "earn")).scalar_one()


def test_a_refund_lowers_lifetime_and_tier_like_a_void_at_the_till(shop, hub_engine):
    till, client = shop
    # at the till: an earn makes a card Silver, and voiding the earn takes it back
    bob = till.enroll("Bob")
    till.earn(bob, 5000)
    earned = till.balance(bob)[1]
    till.services.owner.set_tiers(till.grant(), till.program_id(), [("Silver", earned, 100)])
    assert _lifetime(till, bob) == earned
    till.services.owner.void(till.grant(), _earn_entry(till, bob), "wrong card")
    assert _lifetime(till, bob) == 0

    # through the integration API: the same order makes a card Silver, refunds take it back the same way
    ann = till.enroll("Ann")
    till.sync()  # the hub gets the card and the program with its tier
    order = _post(client, "/orders", {"card": ann, "amount": 5000, "source": "web", "order_id": "T-1"})
    assert order["points"] == earned
    assert (order["card"]["lifetime_points"], order["card"]["tier"]) == (earned, "Silver")
    half = _post(client, "/refunds", {"source": "web", "order_id": "T-1", "amount": 2500})
    assert half["card"]["lifetime_points"] == earned - earned // 2
    assert half["card"]["tier"] is None
    rest = _post(client, "/refunds", {"source": "web", "order_id": "T-1", "amount": 2500})
    assert (rest["card"]["points"], rest["card"]["lifetime_points"]) == (0, 0)

    till.sync()  # the till counts the pulled refunds the same way, and its verify agrees with its cache
    assert _lifetime(till, ann) == 0
    report = till.services.reports.verify()
    assert report.ok, report.problems
    with hub_engine.connect() as conn:
        changes = [json.loads(p) for p in conn.execute(
            sa.select(webhook_events.c.payload).where(webhook_events.c.type == "tier.changed")
            .order_by(webhook_events.c.created_at)).scalars()]
    tiers = [(c["data"]["card"], c["data"]["from_tier"], c["data"]["to_tier"]) for c in changes]
    assert (ann, None, "Silver") in tiers and (ann, "Silver", None) in tiers
