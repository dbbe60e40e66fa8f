"""Two terminals and one hub: what one does, the other sees, and balances agree."""

from __future__ import annotations

from sync_helpers import hub_entries, pair_terminal, wait_for

from sync.syncer import Syncer


def test_enroll_on_a_stamp_on_b_balances_agree(hub, hub_engine, merchant, tmp_path):
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "Till A")
    b, client_b = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "b.db", "Till B")
    with client_a, client_b:
        sync_a, sync_b = Syncer(a, client_a), Syncer(b, client_b)
        card = a.enroll(holder="Ada")
        a.stamp(card)
        sync_a.sync_once()
        sync_b.sync_once()
        assert card in {c["code"] for c in b.table("cards")}, "B got the enrollment"
        assert b.balance(card) == (1, 0)

        b.stamp(card, 2)
        b.earn(card, points=50, amount=500)
        sync_b.sync_once()
        sync_a.sync_once()

    assert a.balance(card) == b.balance(card) == (3, 50)
    on_hub = [e for e in hub_entries(hub_engine) if e["card"] == card]
    assert (sum(e["stamps"] for e in on_hub), sum(e["points"] for e in on_hub)) == (3, 50)
    assert sorted(e["entry_id"] for e in on_hub) == sorted(e["entry_id"] for e in a.entries())
    assert a.entries() == b.entries()


def test_background_syncers_converge(hub, hub_engine, merchant, tmp_path):
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "Till A")
    b, client_b = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "b.db", "Till B")
    sync_a = Syncer(a, client_a, pull_interval=0.05)
    sync_b = Syncer(b, client_b, pull_interval=0.05)
    sync_a.start()
    sync_b.start()
    try:
        card = a.enroll()
        sync_a.notify()
        wait_for(lambda: b.balance(card) == (0, 0) and card in {c["code"] for c in b.table("cards")},
                 what="B to see the enrollment")
        # B saw the card only through the merchant-wide card list: scanning it
        # there fetches its history and from then on the store sees it.
        assert sync_b.fetch_card(card).result(10).card.code == card
        b.stamp(card)
        sync_b.notify()
        a.stamp(card)
        sync_a.notify()
        wait_for(lambda: a.balance(card) == b.balance(card) == (2, 0), what="balances to agree")
        wait_for(lambda: sync_a.status.pending == 0 and sync_b.status.pending == 0, what="nothing pending")
    finally:
        assert sync_a.stop()
        assert sync_b.stop()
        client_a.close()
        client_b.close()
    assert sync_a.status.state == "online" and sync_a.status.last_sync_at is not None
