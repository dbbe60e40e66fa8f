"""A token of merchant A reaches nothing of merchant B, on any endpoint."""

from __future__ import annotations

import httpx
import pytest
from conftest import make_merchant
from sync_helpers import pair_terminal

from sync.hub import admin, integration_credentials, webhooks
from sync.hub.app import create_app
from sync.hub.db import reading, writing
from sync.protocol import PROTOCOL_VERSION
from sync.syncer import Syncer


def _populate(hub, engine, merchant, path, name):
    terminal, client = pair_terminal(hub.url, engine, merchant.store_id, path, name)
    card = terminal.enroll(holder=f"holder of {name}")
    terminal.earn(card, points=10, amount=100)
    terminal.redeem(card, 30)  # overdraws: a flag exists for each merchant
    terminal.set_program("default", f"program of {name}", {"secret": name})
    terminal.set_staff(f"staff-{name}", f"staff of {name}")
    terminal.audit("pin_failed", {"who": name})
    Syncer(terminal, client).sync_once()
    return terminal, client, card


def test_merchant_a_gets_nothing_of_merchant_b_on_any_endpoint(hub, hub_engine, tmp_path):
    a = make_merchant(hub_engine, "Alpha Bakery", "Alpha main")
    b = make_merchant(hub_engine, "Beta Books", "Beta main")
    hooks = {}
    for m, name in ((a, "alpha"), (b, "beta")):  # each merchant's pushes fill its own webhook outbox
        with writing(hub_engine) as conn:
            hooks[name] = webhooks.add_endpoint(conn, m.merchant_id, f"https://{name}.example/hook", ["*"])
    term_a, client_a, card_a = _populate(hub, hub_engine, a, tmp_path / "a.db", "alpha")
    term_b, client_b, card_b = _populate(hub, hub_engine, b, tmp_path / "b.db", "beta")
    client_a.close()
    client_b.close()
    token_a = client_a._http.headers["Authorization"].removeprefix("Bearer ")
    made_b = integration_credentials.create(hub_engine, b.merchant_id, "beta shop", "write")
    cred_b = made_b.credential_id
    enrolled_b = httpx.post(f"{hub.url}/api/v1/integration/cards", json={"source": "t", "order_id": "b"},
                            headers={"Authorization": f"Bearer {made_b.secret}", "Idempotency-Key": "b"})
    assert enrolled_b.status_code == 201, enrolled_b.text
    int_card_b = enrolled_b.json()["code"]  # a code with a valid check character (the double's are random)
    int_a = {"Authorization": "Bearer " + integration_credentials.create(hub_engine, a.merchant_id, "alpha shop",
                                                                         "write").secret}
    with reading(hub_engine) as conn:
        b_delivery = webhooks.list_deliveries(conn, b.merchant_id, limit=1)[0]["delivery_id"]
    b_secrets = [b.merchant_id, b.store_id, term_b.terminal_id(), card_b, "Beta", "beta",
                 admin.owner_token_id(b.owner_token), cred_b, int_card_b,
                 hooks["beta"].endpoint_id, hooks["beta"].secret, b_delivery,
                 *(e["entry_id"] for e in term_b.entries())]

    terminal_a = {"Authorization": f"Bearer {token_a}"}
    owner_a = {"Authorization": f"Bearer {a.owner_token}"}
    b_entries = term_b.outbox(100).entries or term_b.entries(local=True)
    calls = {
        ("get", "/sync/v1/pull"): [dict(params={"cursor": 0, "limit": 5000}, headers=terminal_a)],
        ("get", "/sync/v1/cards/{code}"): [dict(url=f"/sync/v1/cards/{card_b}", headers=terminal_a,
                                                expect=404)],
        ("post", "/sync/v1/push"): [
            dict(json={"v": PROTOCOL_VERSION, "terminal_id": term_b.terminal_id(), "entries": b_entries},
                 headers=terminal_a, expect=403),
            dict(json={"v": PROTOCOL_VERSION, "terminal_id": term_a.terminal_id(), "entries": b_entries},
                 headers=terminal_a, expect=403),
        ],
        ("post", "/sync/v1/pair"): [dict(
            json={"v": PROTOCOL_VERSION, "terminal_id": term_b.terminal_id(),
                  "code": admin.add_terminal(hub_engine, a.store_id, "hijack").code},
            expect=409)],
        ("get", "/sync/v1/overdrafts"): [dict(headers=terminal_a), dict(headers=owner_a, expect=403)],
        ("get", "/api/v1/cards"): [dict(headers=owner_a), dict(headers=terminal_a, expect=403)],
        ("get", "/api/v1/cards/{code}"): [dict(url=f"/api/v1/cards/{card_b}", headers=owner_a, expect=404)],
        ("get", "/api/v1/transactions"): [
            dict(headers=owner_a),
            dict(params={"terminal_id": term_b.terminal_id()}, headers=owner_a),
            dict(params={"card": card_b}, headers=owner_a),
            dict(params={"store_id": b.store_id}, headers=owner_a)],
        ("get", "/api/v1/stats"): [dict(headers=owner_a)],
        ("get", "/api/v1/overdrafts"): [dict(headers=owner_a)],
        ("get", "/api/v1/flags"): [dict(headers=owner_a)],
        ("get", "/sync/v1/flags"): [dict(headers=terminal_a), dict(headers=owner_a, expect=403)],
        ("get", "/api/v1/stores"): [dict(headers=owner_a)],
        ("post", "/api/v1/terminals/{terminal_id}/revoke"): [
            dict(url=f"/api/v1/terminals/{term_b.terminal_id()}/revoke", headers=owner_a, expect=404),
            dict(url=f"/api/v1/terminals/{term_b.terminal_id()}/revoke", headers=terminal_a, expect=403)],
        ("post", "/api/v1/terminals/{terminal_id}/recover"): [
            dict(url=f"/api/v1/terminals/{term_b.terminal_id()}/recover", headers=owner_a, expect=404)],
        ("get", "/api/v1/tokens"): [dict(headers=owner_a)],
        ("post", "/api/v1/tokens/{token_id}/revoke"): [
            dict(url=f"/api/v1/tokens/{admin.owner_token_id(b.owner_token)}/revoke", headers=owner_a,
                 expect=404)],
        # both merchants have a program "default": A's owner sees and changes only A's
        ("get", "/api/v1/programs"): [dict(headers=owner_a)],
        ("get", "/api/v1/programs/{program_id}/stores"): [
            dict(url="/api/v1/programs/default/stores", headers=owner_a),
            dict(url="/api/v1/programs/default/stores", headers=terminal_a, expect=403)],
        ("post", "/api/v1/programs/{program_id}/stores/{store_id}"): [
            dict(url=f"/api/v1/programs/default/stores/{b.store_id}", headers=owner_a, expect=404)],
        ("delete", "/api/v1/programs/{program_id}/stores/{store_id}"): [
            dict(url=f"/api/v1/programs/default/stores/{b.store_id}", headers=owner_a, expect=404)],
        ("get", "/health"): [dict()],
        # integration API: A's credential finds none of B's cards or orders; A's owner none of B's credentials
        ("get", "/api/v1/integration/cards/{code}"): [
            dict(url=f"/api/v1/integration/cards/{int_card_b}", headers=int_a, expect=404)],
        ("get", "/api/v1/integration/cards/{code}/history"): [
            dict(url=f"/api/v1/integration/cards/{int_card_b}/history", headers=int_a, expect=404)],
        ("post", "/api/v1/integration/cards/{code}/stamps"): [
            dict(url=f"/api/v1/integration/cards/{int_card_b}/stamps", json={"source": "t", "order_id": "1"},
                 headers={**int_a, "Idempotency-Key": "iso-1"}, expect=404)],
        ("post", "/api/v1/integration/orders"): [
            dict(json={"card": int_card_b, "amount": 100, "source": "t", "order_id": "2"},
                 headers={**int_a, "Idempotency-Key": "iso-2"}, expect=404)],
        ("post", "/api/v1/integration/redemptions"): [
            dict(json={"card": int_card_b, "reward_id": "r", "source": "t", "order_id": "3"},
                 headers={**int_a, "Idempotency-Key": "iso-3"}, expect=404)],
        ("post", "/api/v1/integration/refunds"): [
            dict(json={"source": "t", "order_id": "2", "amount": 1},
                 headers={**int_a, "Idempotency-Key": "iso-4"}, expect=404)],
        ("post", "/api/v1/integration/cards"): [
            dict(json={"code": int_card_b, "program_id": "nope", "source": "t", "order_id": "5"},
                 headers={**int_a, "Idempotency-Key": "iso-5"}, expect=404),
            dict(json={"source": "t", "order_id": "5"}, headers={**owner_a, "Idempotency-Key": "iso-6"},
                 expect=403)],
        ("get", "/api/v1/integrations"): [dict(headers=owner_a), dict(headers=int_a, expect=403)],
        ("post", "/api/v1/integrations"): [dict(json={"name": "till sync"}, headers=owner_a, expect=201)],
        ("post", "/api/v1/integrations/{credential_id}/revoke"): [
            dict(url=f"/api/v1/integrations/{cred_b}/revoke", headers=owner_a, expect=404)],
        ("get", "/api/v1/webhooks"): [dict(headers=owner_a), dict(headers=terminal_a, expect=403)],
        ("post", "/api/v1/webhooks"): [dict(json={"url": "https://a.example/h", "events": ["*"]},
                                            headers=owner_a, expect=201)],
        ("delete", "/api/v1/webhooks/{endpoint_id}"): [
            dict(url=f"/api/v1/webhooks/{hooks['beta'].endpoint_id}", headers=owner_a, expect=404)],
        ("get", "/api/v1/webhooks/deliveries"): [
            dict(headers=owner_a), dict(params={"endpoint_id": hooks["beta"].endpoint_id}, headers=owner_a)],
        ("get", "/api/v1/webhooks/deliveries/{delivery_id}/attempts"): [
            dict(url=f"/api/v1/webhooks/deliveries/{b_delivery}/attempts", headers=owner_a, expect=404)],
        ("post", "/api/v1/webhooks/deliveries/{delivery_id}/replay"): [
            dict(url=f"/api/v1/webhooks/deliveries/{b_delivery}/replay", headers=owner_a, expect=404)],
    }
    every = {(method, path) for path, ops in create_app(hub_engine, run_migrations=False)
             .openapi()["paths"].items() for method in ops}
    assert every == set(calls), "each endpoint needs an isolation check here"

    with httpx.Client(base_url=hub.url) as http:
        for (method, path), variants in calls.items():
            for variant in variants:
                sent = str(variant)  # what the caller sent may be echoed in an error
                variant = dict(variant)
                expect = variant.pop("expect", 200)
                response = http.request(method.upper(), variant.pop("url", path), **variant)
                assert response.status_code == expect, (path, response.text)
                leaked = [s for s in b_secrets if s in response.text and s not in sent]
                assert not leaked, f"{method} {path} leaked {leaked}"
        # A's own data is there, so the check above is not vacuous.
        assert card_a in http.get("/api/v1/cards", headers=owner_a).text
        assert http.get("/api/v1/stats", headers=owner_a).json()["overdrafts"] == 1
    assert term_b.entries() == term_b.entries(local=True), "B received nothing of A either"


@pytest.mark.sqlite_only
@pytest.mark.parametrize("path", ["/sync/v1/pull", "/api/v1/cards"])
def test_unknown_tokens_get_nothing(hub, path):
    for header in ("Bearer lt_term_nope", "Bearer lt_owner_nope", "Basic YTpi", "Bearer"):
        response = httpx.get(f"{hub.url}{path}", headers={"Authorization": header})
        assert response.status_code in (401, 403)
        assert set(response.json()) == {"code", "message"}
