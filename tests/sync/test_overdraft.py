"""Offline double spend: two terminals redeem the same balance; the hub flags it."""

from __future__ import annotations

import json

import httpx
from sync_helpers import pair_terminal

from sync.hub import admin
from sync.protocol import PROTOCOL_VERSION, PushRequest
from sync.syncer import Syncer


def test_double_spend_offline_is_flagged_for_owner_and_terminals(hub, hub_engine, merchant, tmp_path):
    kiosk = admin.add_store(hub_engine, merchant.merchant_id, "Station kiosk")
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    b, client_b = pair_terminal(hub.url, hub_engine, kiosk, tmp_path / "b.db", "B")
    with client_a, client_b:
        sync_a, sync_b = Syncer(a, client_a), Syncer(b, client_b)
        card = a.enroll()
        a.earn(card, points=100, amount=1000)
        sync_a.sync_once()
        assert client_b.fetch_card(card).points_balance == 100  # first scan at the kiosk
        sync_b.sync_once()
        assert b.balance(card) == (0, 100)

        # Both offline: each sees 100 points and lets 80 go.
        a.redeem(card, 80)
        b.redeem(card, 80)
        a_redeem = a.entries(local=True)[-1]["entry_id"]
        b_redeem = b.entries(local=True)[-1]["entry_id"]

        sync_a.sync_once()
        assert a.table("overdrafts") == []
        sync_b.sync_once()
        sync_a.sync_once()

    for terminal in (a, b):
        assert terminal.balance(card) == (0, -60), "the overdraft is shown, not absorbed"
        flags = terminal.table("overdrafts")
        assert [(f["card"], f["points_balance"]) for f in flags] == [(card, -60)]
        assert sorted(json.loads(flags[0]["entry_ids"])) == sorted([a_redeem, b_redeem])

    owner = httpx.get(f"{hub.url}/api/v1/overdrafts",
                      headers={"Authorization": f"Bearer {merchant.owner_token}"}).json()
    [flag] = owner["overdrafts"]
    assert (flag["card"], flag["points_balance"], flag["stamps_balance"]) == (card, -60, 0)
    assert flag["entry_ids"] == [a_redeem, b_redeem]
    stats = httpx.get(f"{hub.url}/api/v1/stats",
                      headers={"Authorization": f"Bearer {merchant.owner_token}"}).json()
    assert (stats["overdrafts"], stats["points_given"], stats["points_taken"]) == (1, 100, 160)


def test_spending_within_the_balance_is_not_flagged_and_seen_debits_are_not_blamed(hub, hub_engine, merchant, tmp_path):
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    b, client_b = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "b.db", "B")
    with client_a, client_b:
        sync_a, sync_b = Syncer(a, client_a), Syncer(b, client_b)
        card = a.enroll()
        a.stamp(card, 10)
        sync_a.sync_once()
        sync_b.sync_once()
        a.record([dict(card=card, kind="stamp_redeem", stamps=-5, reward_id="coffee")])
        b.record([dict(card=card, kind="stamp_redeem", stamps=-5, reward_id="coffee")])
        sync_a.sync_once()
        sync_b.sync_once()
        assert b.table("overdrafts") == [] and b.balance(card) == (0, 0)
        b.record([dict(card=card, kind="stamp_redeem", stamps=-1, reward_id="coffee")])
        answer_overdrafts = client_b.push(PushRequest(
            v=PROTOCOL_VERSION, terminal_id=b.terminal_id(), entries=b.outbox(10).entries)).overdrafts
    assert [(o.card, o.stamps_balance) for o in answer_overdrafts] == [(card, -1)]
    assert len(answer_overdrafts[0].entry_ids) == 1, "B had pulled A's redemption: only its own is involved"
