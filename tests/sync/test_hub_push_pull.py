"""The hub's terminal endpoints over loopback: pairing, push rules, pull feed."""

from __future__ import annotations

import httpx
import pytest
from sync_helpers import hub_audit_count, hub_entries, pair_terminal
from terminal_double import TerminalDouble

import ledger_chain as chain
from sync.client import HubClient, HubRefused
from sync.hub import admin
from sync.protocol import PROTOCOL_VERSION, PushRequest


def _push(client: HubClient, terminal: TerminalDouble, entries=None, audit=None, **records):
    return client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(),
                                   entries=entries or [], audit=audit or [], **records))


def _made(terminal: TerminalDouble, n: int, card: str = "0000000001") -> list[dict]:
    return terminal.record([dict(card=card, kind="stamp", stamps=1) for _ in range(n)])


# ---- pairing -----------------------------------------------------------------

def test_pairing_binds_the_terminals_own_id_once(hub, hub_engine, merchant, tmp_path):
    terminal = TerminalDouble(tmp_path / "t.db")
    _made(terminal, 3)  # entries from before pairing
    pairing = admin.add_terminal(hub_engine, merchant.store_id, "Till 1")
    with HubClient(hub.url) as anonymous:
        answer = anonymous.pair(pairing.code.lower(), terminal.terminal_id())
        with pytest.raises(HubRefused) as again:
            anonymous.pair(pairing.code, terminal.terminal_id())
        with pytest.raises(HubRefused) as wrong:
            anonymous.pair("ABCDE-FGHJK", terminal.terminal_id())
    assert answer.terminal_id == terminal.terminal_id()
    assert (answer.merchant_name, answer.store_name) == ("Corner Café", "Main")
    assert answer.token.startswith("lt_term_") and len(answer.token) > 40
    assert (again.value.status, again.value.code) == (403, "pairing_code_used")
    assert (wrong.value.status, wrong.value.code) == (403, "pairing_code_invalid")
    with HubClient(hub.url, answer.token) as client:
        assert _push(client, terminal, terminal.outbox(10).entries).entries_through == 3


def test_expired_pairing_code_is_refused(hub, hub_engine, merchant, tmp_path):
    from datetime import timedelta
    pairing = admin.add_terminal(hub_engine, merchant.store_id, "Till", timedelta(microseconds=1))
    with HubClient(hub.url) as anonymous, pytest.raises(HubRefused) as refused:
        anonymous.pair(pairing.code, TerminalDouble(tmp_path / "t.db").terminal_id())
    assert refused.value.code == "pairing_code_expired"
    assert "ask the owner for a new one" in refused.value.body.message


def test_repairing_replaces_the_token_and_keeps_the_chain(hub, hub_engine, merchant, tmp_path):
    terminal, old_client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    with old_client:
        _push(old_client, terminal, _made(terminal, 2))
        pairing = admin.recover_terminal(hub_engine, terminal.terminal_id())  # see test_pairing_takeover
        with HubClient(hub.url) as anonymous:
            token = anonymous.pair(pairing.code, terminal.terminal_id()).token
        with pytest.raises(HubRefused) as refused:
            old_client.pull(0)
    assert refused.value.status == 401
    with HubClient(hub.url, token) as client:
        assert _push(client, terminal, _made(terminal, 1)).entries_through == 3


# ---- push ----------------------------------------------------------------------

@pytest.fixture
def paired(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    yield terminal, client
    client.close()


def test_push_stores_each_entry_once_and_acknowledges_duplicates(paired, hub_engine):
    terminal, client = paired
    first = _made(terminal, 5)
    answer = _push(client, terminal, first)
    assert (answer.entries_through, answer.entries_stored, answer.entries_duplicate) == (5, 5, 0)
    more = _made(terminal, 3)
    again = _push(client, terminal, first[2:] + more)  # a resend overlapping new ones
    assert (again.entries_through, again.entries_stored, again.entries_duplicate) == (8, 3, 3)
    assert _push(client, terminal, first).entries_duplicate == 5
    assert hub_entries(hub_engine, terminal.terminal_id()) == terminal.entries(local=True)


def test_push_with_a_gap_says_which_seq_it_expected(paired, hub_engine):
    terminal, client = paired
    made = _made(terminal, 6)
    _push(client, terminal, made[:2])
    with pytest.raises(HubRefused) as refused:
        _push(client, terminal, made[4:])
    body = refused.value.body
    assert (refused.value.status, body.code, body.stream, body.expected_seq) == (409, "chain_gap", "entries", 3)
    assert "expected seq 3" in body.message
    assert len(hub_entries(hub_engine)) == 2


def test_push_refuses_a_broken_chain_or_an_altered_entry(paired, hub_engine):
    terminal, client = paired
    made = _made(terminal, 4)
    _push(client, terminal, made[:2])
    forged = dict(made[2], points=1000)  # altered after hashing
    with pytest.raises(HubRefused) as altered:
        _push(client, terminal, [forged, made[3]])
    assert (altered.value.code, altered.value.body.expected_seq) == ("hash_mismatch", 3)
    relinked = dict(made[2], prev_hash="f" * 64)
    relinked["hash"] = chain.entry_hash(relinked["prev_hash"], relinked)
    with pytest.raises(HubRefused) as broken:
        _push(client, terminal, [relinked])
    assert (broken.value.status, broken.value.code, broken.value.body.expected_seq) == (422, "chain_broken", 3)
    assert "seq 3" in broken.value.body.message
    different = dict(made[1], card="0000000002")
    different["hash"] = chain.entry_hash(different["prev_hash"], different)
    with pytest.raises(HubRefused) as conflict:
        _push(client, terminal, [different])
    assert conflict.value.code == "chain_conflict"
    assert len(hub_entries(hub_engine)) == 2


def test_a_terminal_pushes_only_its_own_records(hub, hub_engine, merchant, paired, tmp_path):
    terminal, client = paired
    other = TerminalDouble(tmp_path / "other.db")
    theirs = _made(other, 1)
    with pytest.raises(HubRefused) as as_other:
        client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=other.terminal_id(), entries=theirs))
    with pytest.raises(HubRefused) as inside:
        _push(client, terminal, theirs)
    assert (as_other.value.status, as_other.value.code) == (403, "foreign_terminal")
    assert (inside.value.status, inside.value.body.stream) == (403, "entries")
    assert hub_entries(hub_engine) == []


def test_audit_events_have_their_own_chain(paired, hub_engine):
    terminal, client = paired
    for n in range(3):
        terminal.audit("pin_failed", {"attempt": n})
    events = terminal.outbox(10).audit
    assert _push(client, terminal, audit=events[:2]).audit_through == 2
    answer = _push(client, terminal, audit=events)
    assert (answer.audit_through, answer.audit_stored, answer.audit_duplicate) == (3, 1, 2)
    assert hub_audit_count(hub_engine, terminal.terminal_id()) == 3


def test_unknown_version_and_malformed_messages_are_refused_clearly(paired, hub):
    terminal, client = paired
    entry = _made(terminal, 1)[0]
    token = client._http.headers["Authorization"]
    with httpx.Client(base_url=hub.url, headers={"Authorization": token}) as http:
        newer = http.post("/sync/v1/push", json={"v": 2, "terminal_id": terminal.terminal_id()})
        assert newer.status_code == 400
        assert newer.json()["code"] == "unsupported_version"
        assert "speaks 1" in newer.json()["message"]
        old_pull = http.get("/sync/v1/pull", params={"v": 0})
        assert (old_pull.status_code, old_pull.json()["code"]) == (400, "unsupported_version")
        bad = http.post("/sync/v1/push", json={"v": 1, "terminal_id": terminal.terminal_id(),
                                               "entries": [dict(entry, seq="1")]})
        assert bad.status_code == 422
        assert set(bad.json()) == {"code", "message"} and bad.json()["code"] == "malformed"
        assert "entries.0.seq" in bad.json()["message"]
        garbage = http.post("/sync/v1/push", content=b"{not json",
                            headers={"Content-Type": "application/json"})
        assert (garbage.status_code, garbage.json()["code"]) == (422, "malformed")
        nobody = httpx.get(f"{hub.url}/sync/v1/pull")
        assert (nobody.status_code, nobody.json()["code"]) == (401, "unauthorized")


# ---- pull ----------------------------------------------------------------------

def test_pull_brings_other_terminals_entries_records_and_pages(hub, hub_engine, merchant, tmp_path):
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    b, client_b = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "b.db", "B")
    with client_a, client_b:
        card = a.enroll()
        a.record([dict(card=card, kind="stamp", stamps=1) for _ in range(5)])
        a.set_program("default", "Coffee club", {"stamp_target": 10})
        a.set_staff("s1", "Sam")
        box = a.outbox(100)
        _push(client_a, a, box.entries, cards=box.cards, programs=box.programs, staff=box.staff)
        a.record([dict(card=card, kind="stamp", stamps=1) for _ in range(20)])
        _push(client_a, a, a.outbox(100).entries)

        cursor, pages, got = 0, 0, []
        while True:
            page = client_b.pull(cursor, limit=10)
            b.apply_remote(page)
            got += page.entries
            pages += 1
            cursor = page.cursor
            if not page.has_more:
                break
        assert pages >= 3
        assert sorted(e.seq for e in got) == list(range(1, 27)), "each entry once"
        assert b.balance(card) == (25, 0)
        assert [p["settings"] for p in b.table("programs")] == ['{"stamp_target": 10}']
        assert [s["name"] for s in b.table("staff")] == ["Sam"]
        assert client_b.pull(cursor).entries == []
        # A never gets its own entries back.
        assert all(e.terminal_id != a.terminal_id() for e in client_a.pull(0, 5000).entries)


def test_cards_seen_only_in_another_store_come_on_demand(hub, hub_engine, merchant, tmp_path):
    other_store = admin.add_store(hub_engine, merchant.merchant_id, "Station kiosk")
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    _b, client_b = pair_terminal(hub.url, hub_engine, other_store, tmp_path / "b.db", "B")
    with client_a, client_b:
        card = a.enroll()
        a.stamp(card, 3)
        box = a.outbox(100)
        _push(client_a, a, box.entries, cards=box.cards)
        first = client_b.pull(0)
        assert [c.code for c in first.cards] == [card], "enrollments are merchant-wide"
        assert first.entries == [], "entries only for cards this store has seen"
        fetched = client_b.fetch_card(card)
        assert (fetched.card.code, len(fetched.entries), fetched.stamps_balance) == (card, 2, 3)
        assert client_b.fetch_card("ZZZZZZZZZZ") is None
        a.stamp(card)
        _push(client_a, a, a.outbox(100).entries)
        later = client_b.pull(first.cursor)
        assert [e.seq for e in later.entries] == [1, 2, 3], "history and the new stamp follow"
