"""The integration API against the real hub over loopback, with a real till pulling what it writes.

Each test runs on SQLite and, with LOYALTY_TEST_PG_URL set, on PostgreSQL.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from ledger_chain import signing
from sync.hub import hub_chain, integration_credentials
from sync.hub.schema import entries, terminals
from sync.hub.signing import default_signing_key_path, load_hub_key

API = "/api/v1/integration"


@dataclass
class Shop:
    till: RealTerminal
    card: str
    client: httpx.Client
    read_client: httpx.Client
    merchant_id: str
    write_id: str


@pytest.fixture
def shop(hub, hub_engine, merchant, tmp_path):
    till = RealTerminal.founded(tmp_path / "till")
    till.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    card = till.enroll("Ann")
    till.sync()  # the hub now knows the store's currency and zone, the program and the card
    write = integration_credentials.create(hub_engine, merchant.merchant_id, "web shop", "write")
    read = integration_credentials.create(hub_engine, merchant.merchant_id, "reports", "read")
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {write.secret}"}, timeout=30) as c, \
            httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {read.secret}"}, timeout=30) as r:
        yield Shop(till, card, c, r, merchant.merchant_id, write.credential_id)
    till.close()


def _post(client: httpx.Client, path: str, body: dict, key: str | None = None) -> httpx.Response:
    return client.post(API + path, json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def _hub_key_public(hub_engine) -> str:
    return signing.public_key_of(load_hub_key(default_signing_key_path(hub_engine), create=False))


def test_an_order_earns_like_the_till_and_the_till_pulls_it_and_agrees(shop, hub_engine):
    other = shop.till.enroll("Bob")
    shop.till.earn(other, 1234)  # the till's own rule on the same amount
    till_points = shop.till.balance(other)[1]
    answer = _post(shop.client, "/orders", {"card": shop.card, "amount": 1234, "source": "web", "order_id": "A-1"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["points"] == till_points > 0
    assert body["card"]["points"] == till_points
    shop.till.sync()
    assert shop.till.balance(shop.card) == (body["card"]["stamps"], body["card"]["points"])
    looked = shop.read_client.get(f"{API}/cards/{shop.card}").json()
    assert looked["points"] == till_points
    report = shop.till.services.reports.verify()  # the till checks the hub's entries like any other chain
    assert report.ok, report.problems
    assert hub_chain.verify(hub_engine, shop.merchant_id, _hub_key_public(hub_engine)) == []


def test_refunds_take_back_the_orders_points_in_proportion_and_the_till_agrees(shop, hub_engine):
    earned = _post(shop.client, "/orders", {"card": shop.card, "amount": 1000, "source": "web",
                                            "order_id": "A-2"}).json()["points"]
    first = _post(shop.client, "/refunds", {"source": "web", "order_id": "A-2", "amount": 333})
    assert first.status_code == 201, first.text
    assert first.json()["refunded_points"] == earned * 333 // 1000
    rest = _post(shop.client, "/refunds", {"source": "web", "order_id": "A-2", "amount": 667}).json()
    assert rest["refunded_points"] == earned and rest["card"]["points"] == 0
    too_much = _post(shop.client, "/refunds", {"source": "web", "order_id": "A-2", "amount": 1})
    assert too_much.status_code == 422 and too_much.json()["code"] == "INVALID_AMOUNT"
    shop.till.sync()
    assert shop.till.balance(shop.card)[1] == 0
    missing = _post(shop.client, "/refunds", {"source": "web", "order_id": "nope", "amount": 1})
    assert missing.status_code == 404 and missing.json()["code"] == "order_not_found"


def test_same_key_twice_answers_the_first_answer_and_writes_once(shop, hub_engine):
    body = {"card": shop.card, "amount": 1500, "source": "web", "order_id": "A-3"}
    first = _post(shop.client, "/orders", body, key="k-1")
    again = _post(shop.client, "/orders", body, key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert _hub_entries_count(hub_engine, shop.card) == 1
    other = _post(shop.client, "/orders", {**body, "amount": 1600}, key="k-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    new_key = _post(shop.client, "/orders", body, key="k-2")
    assert new_key.status_code == 409 and new_key.json()["code"] == "order_exists"
    assert _hub_entries_count(hub_engine, shop.card) == 1


def test_concurrent_requests_with_one_key_make_one_write(shop, hub_engine):
    body = {"card": shop.card, "amount": 2000, "source": "web", "order_id": "A-4"}
    answers: list[httpx.Response] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        answer = _post(shop.client, "/orders", body, key="same-key")
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 6
    assert {a.status_code for a in answers} == {201}
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 5
    assert _hub_entries_count(hub_engine, shop.card) == 1


def _hub_entries_count(engine, card: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(entries).join(
            terminals, terminals.c.terminal_id == entries.c.terminal_id)
            .where(entries.c.card == card, terminals.c.is_hub.is_(sa.true()))).scalar_one()


def test_the_tills_rules_hold_through_the_api(shop):
    small = _post(shop.client, "/orders", {"card": shop.card, "amount": 1, "source": "web", "order_id": "S-1"})
    assert small.status_code == 422 and small.json()["code"] == "AMOUNT_BELOW_MINIMUM"
    first = _post(shop.client, f"/cards/{shop.card}/stamps", {"source": "pos", "order_id": "S-2"})
    assert first.status_code == 201, first.text
    second = _post(shop.client, f"/cards/{shop.card}/stamps", {"source": "pos", "order_id": "S-3"})
    assert second.status_code == 422 and second.json()["code"] == "COOLDOWN_ACTIVE"
    reward_id = _a_reward(shop)  # the hybrid template's dearest reward, as the till knows it
    poor = _post(shop.client, "/redemptions", {"card": shop.card, "reward_id": reward_id, "source": "pos",
                                               "order_id": "S-4"})
    assert poor.status_code == 422 and poor.json()["code"] == "INSUFFICIENT_BALANCE", poor.text
    unknown = _post(shop.client, "/orders", {"card": "0000000000", "amount": 100, "source": "web", "order_id": "S-5"})
    assert unknown.status_code in (404, 422)
    assert unknown.json()["code"] in ("CARD_NOT_FOUND", "INVALID_CARD_CODE")


def _a_reward(shop: Shop) -> str:
    from terminal.store.models import RewardRow

    with shop.till.services.ctx.db.read() as session:
        rows = session.query(RewardRow).all()
        return max(rows, key=lambda r: (r.cost_points, r.cost_stamps)).reward_id


def test_enroll_then_history_and_a_till_fetches_the_new_card(shop, hub_engine):
    made = _post(shop.client, "/cards", {"holder": "Cy", "source": "web", "order_id": "E-1"})
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    again = _post(shop.client, "/cards", {"code": code, "source": "web", "order_id": "E-2"})
    assert again.status_code == 409 and again.json()["code"] == "CARD_EXISTS"
    _post(shop.client, "/orders", {"card": code, "amount": 5000, "source": "web", "order_id": "E-3"})
    history = shop.read_client.get(f"{API}/cards/{code}/history").json()
    assert [e["kind"] for e in history["entries"]] == ["enroll", "earn"]
    shop.till.sync()
    assert shop.till.services.counter.card(code).holder == "Cy"  # enrolled at the hub, pulled by the till
    _first_scan(shop.till, code)  # no entry of the card here yet: the till fetches its history
    earned = shop.read_client.get(f"{API}/cards/{code}").json()["points"]
    assert earned > 0 and shop.till.balance(code) == (0, earned)
    _post(shop.client, "/orders", {"card": code, "amount": 700, "source": "web", "order_id": "E-4"})
    shop.till.sync()  # the store has seen the card now: later hub entries come with the pull
    assert shop.till.balance(code)[1] == shop.read_client.get(f"{API}/cards/{code}").json()["points"] > earned
    assert hub_chain.verify(hub_engine, shop.merchant_id, _hub_key_public(hub_engine)) == []


def test_scopes_and_revocation(shop, hub_engine):
    refused = _post(shop.read_client, "/orders", {"card": shop.card, "amount": 100, "source": "w", "order_id": "1"})
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_credential"
    assert shop.read_client.get(f"{API}/cards/{shop.card}").status_code == 200
    integration_credentials.revoke(hub_engine, shop.merchant_id, shop.write_id)
    gone = _post(shop.client, "/orders", {"card": shop.card, "amount": 100, "source": "w", "order_id": "1"})
    assert gone.status_code == 401
    listed = integration_credentials.list_all(hub_engine, shop.merchant_id)
    assert {(c.name, c.scope, c.revoked_at is not None) for c in listed} == {("web shop", "write", True),
                                                                              ("reports", "read", False)}
    anonymous = httpx.get(f"{shop.client.base_url}{API}/cards/{shop.card}")
    assert anonymous.status_code == 401


def test_the_hub_chain_is_signed_and_linked_and_tampering_is_found(shop, hub_engine):
    for n in range(3):
        _post(shop.client, "/orders", {"card": shop.card, "amount": 1000 + n, "source": "web", "order_id": f"T-{n}"})
    key = _hub_key_public(hub_engine)
    assert hub_chain.verify(hub_engine, shop.merchant_id, key) == []
    with hub_engine.begin() as conn:
        hub_id = conn.execute(sa.select(terminals.c.terminal_id).where(terminals.c.is_hub.is_(sa.true()))).scalar_one()
        conn.execute(sa.update(entries).where(entries.c.terminal_id == hub_id, entries.c.seq == 2)
                     .values(points=99_999))
    problems = hub_chain.verify(hub_engine, shop.merchant_id, key)
    assert problems and "seq 2" in problems[0]
    other = signing.public_key_of(load_hub_key(default_signing_key_path(hub_engine).with_name("other.key")))
    assert any("not signed" in p for p in hub_chain.verify(hub_engine, shop.merchant_id, other))


def test_the_owner_makes_lists_and_revokes_credentials_and_cannot_revoke_the_hub_author(shop, hub, hub_engine,
                                                                                         merchant):
    owner = {"Authorization": f"Bearer {merchant.owner_token}"}
    made = httpx.post(f"{hub.url}/api/v1/integrations", json={"name": "register", "scope": "write"}, headers=owner)
    assert made.status_code == 201, made.text
    secret, cid = made.json()["credential"], made.json()["credential_id"]
    answer = httpx.post(f"{hub.url}{API}/cards/{shop.card}/stamps", json={"source": "pos", "order_id": "O-1"},
                        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "o-1"})
    assert answer.status_code == 201, answer.text
    listed = httpx.get(f"{hub.url}/api/v1/integrations", headers=owner).json()
    assert cid in {c["credential_id"] for c in listed}
    assert httpx.post(f"{hub.url}/api/v1/integrations/{cid}/revoke", headers=owner).status_code == 200
    again = httpx.post(f"{hub.url}{API}/cards/{shop.card}/stamps", json={"source": "pos", "order_id": "O-2"},
                       headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "o-2"})
    assert again.status_code == 401
    wrong = httpx.post(f"{hub.url}/api/v1/integrations", json={"name": "x"},
                       headers={"Authorization": f"Bearer {secret}"})
    assert wrong.status_code == 403
    with hub_engine.connect() as conn:
        hub_id = conn.execute(sa.select(terminals.c.terminal_id).where(terminals.c.is_hub.is_(sa.true()))).scalar_one()
    refused = httpx.post(f"{hub.url}/api/v1/terminals/{hub_id}/revoke", headers=owner)
    assert refused.status_code == 404  # the hub's own chain is not a till


def test_console_adjustments_go_into_the_hub_chain_and_reach_the_till(shop, hub_engine):
    key = load_hub_key(default_signing_key_path(hub_engine), create=False)
    done = hub_chain.append(hub_engine, shop.merchant_id, key,
                            [hub_chain.NewEntry(shop.card, "adjust", points=40, reason="goodwill")])
    assert [e.seq for e in done.entries] == [1] and done.overdrafts == []
    shop.till.sync()
    assert shop.till.balance(shop.card)[1] == 40
    assert hub_chain.verify(hub_engine, shop.merchant_id, signing.public_key_of(key)) == []


def test_campaigns_apply_through_the_api_as_at_the_till(shop, hub_engine):
    from datetime import date

    from terminal.domain.campaigns import Campaign, CampaignKind

    till = shop.till
    till.services.campaigns.add(till.grant(), till.program_id(), Campaign(
        "", "Double", CampaignKind.MULTIPLIER, date(2026, 1, 1), date(2027, 12, 31), multiplier_percent=200))
    other = till.enroll("Bob")
    till.earn(other, 1000)  # the till's clock is in March 2026, the hub's now: both inside the campaign
    till_points = till.balance(other)[1]
    till.sync()
    answer = _post(shop.client, "/orders", {"card": shop.card, "amount": 1000, "source": "web", "order_id": "C-1"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert [e["kind"] for e in body["entries"]] == ["earn", "bonus"]
    assert body["points"] == till_points == 2 * body["entries"][0]["points"]
    half = _post(shop.client, "/refunds", {"source": "web", "order_id": "C-1", "amount": 500}).json()
    assert half["refunded_points"] == till_points // 2  # the bonus comes back in proportion too


def _first_scan(till: RealTerminal, code: str) -> None:
    """What the till's syncer does when a card without local entries is scanned (sync/syncer.py)."""
    from sync.client import HubClient
    from sync.protocol import PROTOCOL_VERSION, PullResponse
    from terminal.services.sync_link import link_info

    with HubClient(link_info(till.services.ctx).hub_url, till.token(), timeout=30) as client:
        found = client.fetch_card(code)
    assert found is not None
    till.port.apply_remote(PullResponse(v=PROTOCOL_VERSION, cursor=till.port.pull_cursor(), has_more=False,
                                        entries=found.entries, cards=[found.card] if found.card else []))


def test_a_key_older_than_a_day_is_forgotten(shop, hub_engine):
    from sync.hub.schema import idempotency_keys

    body = {"card": shop.card, "amount": 1500, "source": "web", "order_id": "D-1"}
    assert _post(shop.client, "/orders", body, key="old").status_code == 201
    with hub_engine.begin() as conn:
        conn.execute(sa.update(idempotency_keys).values(created_at="2000-01-01T00:00:00.000000Z"))
    again = _post(shop.client, "/orders", body, key="old")  # checked afresh: the order has earned already
    assert again.status_code == 409 and again.json()["code"] == "order_exists"
    assert "Idempotent-Replayed" not in again.headers


def test_known_good_requests_match_the_documented_schemas(shop, hub):
    import schemathesis
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from sync.hub.app import create_app

    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_headers_conformance, response_schema_conformance]
    engine = sa.create_engine("sqlite://")
    schema = schemathesis.openapi.from_dict(create_app(engine, run_migrations=False).openapi())
    engine.dispose()
    auth = shop.client.headers["Authorization"]
    calls = [
        ("POST", "/cards", {}, {"holder": "Dee", "source": "web", "order_id": "K-1"}),
        ("GET", "/cards/{code}", {"code": shop.card}, None),
        ("POST", "/orders", {}, {"card": shop.card, "amount": 2500, "source": "web", "order_id": "K-2"}),
        ("POST", "/refunds", {}, {"source": "web", "order_id": "K-2", "amount": 1000}),
        ("POST", "/cards/{code}/stamps", {"code": shop.card}, {"source": "pos", "order_id": "K-3"}),
        ("POST", "/redemptions", {}, {"card": shop.card, "reward_id": _a_reward(shop), "source": "web",
                                      "order_id": "K-4"}),
        ("GET", "/cards/{code}/history", {"code": shop.card}, None),
    ]
    statuses = []
    for n, (method, path, params, body) in enumerate(calls):
        headers = {"Authorization": auth, "Idempotency-Key": f"schema-{n}"} if method == "POST" else \
            {"Authorization": auth}
        parts = {"path_parameters": params, "headers": headers}
        if body is not None:
            parts["body"] = body
        case = schema[API + path][method].Case(**parts)
        response = case.call(base_url=hub.url, headers=headers)
        case.validate_response(response, checks=checks, headers=headers)
        statuses.append(response.status_code)
    assert statuses == [201, 200, 201, 201, 201, 422, 200]  # the redemption: not enough points (documented)


def test_tiers_multiply_through_the_api_as_at_the_till(shop):
    till = shop.till
    till.services.owner.set_tiers(till.grant(), till.program_id(), [("Gold", 1, 150)])
    till.sync()
    first = _post(shop.client, "/orders", {"card": shop.card, "amount": 1000, "source": "web", "order_id": "G-1"})
    base = first.json()["points"]  # no lifetime points yet: no tier
    assert first.json()["card"]["tier"] == "Gold"
    second = _post(shop.client, "/orders", {"card": shop.card, "amount": 1000, "source": "web", "order_id": "G-2"})
    assert second.json()["points"] == base * 150 // 100
    # the card in a write's answer is the card as a look-up reads it afterwards
    assert second.json()["card"] == shop.read_client.get(f"{API}/cards/{shop.card}").json()
    stamped = _post(shop.client, f"/cards/{shop.card}/stamps", {"source": "web", "order_id": "G-3"})
    assert stamped.status_code == 201, stamped.text  # the till's program is a hybrid one
    assert stamped.json()["card"] == shop.read_client.get(f"{API}/cards/{shop.card}").json()
    till.sync()
    assert till.services.counter.card(shop.card).tier.name == "Gold"
    assert till.balance(shop.card)[1] == base + base * 150 // 100


def test_a_merchant_whose_first_store_has_no_till_yet_uses_another_stores_currency(hub, hub_engine, merchant,
                                                                                   tmp_path):
    from sync.hub import admin

    kiosk = admin.add_store(hub_engine, merchant.merchant_id, "Kiosk")
    till = RealTerminal.founded(tmp_path / "kiosk")
    try:
        till.pair(hub.url, hub_engine, kiosk, "Kiosk till")
        card = till.enroll("Ann")
        till.sync()
        secret = integration_credentials.create(hub_engine, merchant.merchant_id, "shop", "write").secret
        with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {secret}"}) as client:
            answer = _post(client, "/orders", {"card": card, "amount": 1000, "source": "w", "order_id": "1"})
        assert answer.status_code == 201, answer.text
        with hub_engine.connect() as conn:
            home = conn.execute(sa.select(terminals.c.store_id).where(terminals.c.is_hub.is_(sa.true()))).scalar_one()
        assert home == merchant.store_id  # the first store, which no till has joined yet
    finally:
        till.close()


def test_the_daily_stamp_limit_counts_the_tills_and_the_api_together(shop):
    till = shop.till
    till.services.owner.edit_program(till.grant(), till.program_id(), cooldown_minutes=0, daily_stamp_limit=2)
    till.clock.set(datetime.now(UTC))  # today at the hub too
    till.services.counter.stamp(till.grant(), shop.card)
    till.sync()
    ok = _post(shop.client, f"/cards/{shop.card}/stamps", {"source": "pos", "order_id": "L-1"})
    assert ok.status_code == 201, ok.text
    over = _post(shop.client, f"/cards/{shop.card}/stamps", {"source": "pos", "order_id": "L-2"})
    assert over.status_code == 422 and over.json()["code"] == "DAILY_LIMIT_REACHED", over.text


def test_two_redemptions_at_once_never_overdraw(shop, hub_engine):
    till = shop.till
    reward_id = _a_reward(shop)
    from terminal.store.models import RewardRow

    with till.services.ctx.db.read() as session:
        cost = session.get(RewardRow, reward_id).cost_points
    till.services.owner.adjust(till.grant(), shop.card, cost, "enough for one")
    till.sync()
    answers: list[httpx.Response] = []
    start = threading.Barrier(4)

    def send(n: int) -> None:
        start.wait()
        answers.append(_post(shop.client, "/redemptions", {"card": shop.card, "reward_id": reward_id,
                                                           "source": "web", "order_id": f"R-{n}"}))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(a.status_code for a in answers) == [201, 422, 422, 422]
    assert {a.json()["code"] for a in answers if a.status_code == 422} == {"INSUFFICIENT_BALANCE"}
    assert shop.read_client.get(f"{API}/cards/{shop.card}").json()["points"] == 0
