"""Schemathesis against the hub's OpenAPI: no 5xx, and every answer is what the schema documents.

The schema comes from the app itself; the requests go to a real hub over
loopback (SQLite), seeded with a paired terminal, a card with entries, a
program and staff, and a second till's stamp on that card. Every response, fuzzed or not, is checked against the
schema: its status code is documented for the operation, its content type
and headers are, and its body validates against the documented model.

- Fuzzing: the generated requests carry a valid terminal or owner token
  (whatever Authorization header was generated is replaced), so they reach
  past authentication into the endpoints' own input handling. The hub is seeded once; each
  test serves its own copy of it.
- Known-good requests: every operation, called as a terminal or an owner
  would, with the seeded card and cursor 0, must answer 2xx with a body the
  schema describes, full of real records, and the documented refusals
  (unknown card, no token, another protocol version) must match the schema
  too. Fuzzing alone mostly sees refusals; this makes sure the success
  bodies are validated.

The number of fuzzed examples is bounded so this stays around a minute.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from conftest import HubServer, make_merchant
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from sqlalchemy.engine import Engine
from sync_helpers import pair_terminal

from sync.hub import admin, integration_credentials, webhooks
from sync.hub.app import create_app
from sync.hub.db import create_hub_engine, writing
from sync.hub.migrations import migrate
from sync.syncer import Syncer

EXAMPLES = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]

_schema_engine = create_hub_engine("sqlite://")
schema = schemathesis.openapi.from_dict(create_app(_schema_engine, run_migrations=False).openapi())
_schema_engine.dispose()


class SeededHub:
    def __init__(self, url: str, engine: Engine, store_id: str, terminal_id: str, card: str,
                 tokens: dict[str, str]) -> None:
        self.url, self.engine, self.store_id = url, engine, store_id
        self.terminal_id, self.card, self.tokens = terminal_id, card, tokens

    def token_for(self, path: str) -> str:
        if path.startswith("/api/v1/integration/"):
            return self.tokens["integration"]
        return self.tokens["owner" if path.startswith("/api/") else "terminal"]


KEY_FILES = ("LOYALTY_HUB_MASTER_KEY_FILE", "LOYALTY_HUB_SIGNING_KEY_FILE")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The seeded hub's files (database, master and signing keys), made once for this module's tests."""
    path = tmp_path_factory.mktemp("seeded-hub")
    with pytest.MonkeyPatch.context() as env:
        for name in KEY_FILES:
            env.setenv(name, str(path / name))
        engine = create_hub_engine(f"sqlite:///{path / 'hub.db'}")
        migrate(engine)
        merchant = make_merchant(engine)
        server = HubServer(engine).start()
        try:
            terminal, client = pair_terminal(server.url, engine, merchant.store_id, path / "t.db")
            card = terminal.enroll()
            terminal.earn(card, points=10, amount=250)
            terminal.set_program("default", "Club", {"stamp_target": 8})
            terminal.set_staff("s1", "Sam")
            Syncer(terminal, client).sync_once()
            # Another till's entries on the same card, so the first till's pull is not empty.
            other, other_client = pair_terminal(server.url, engine, merchant.store_id, path / "t2.db", "Till 2")
            Syncer(other, other_client).sync_once()
            other.stamp(card)
            Syncer(other, other_client).sync_once()
            other_client.close()
            other.close()
            facts = {"store_id": merchant.store_id, "terminal_id": terminal.terminal_id(), "card": card,
                     "terminal": client._http.headers["Authorization"], "owner": f"Bearer {merchant.owner_token}",
                     "integration": "Bearer " + integration_credentials.create(
                         engine, merchant.merchant_id, "fuzz", "write").secret}
            client.close()
            terminal.close()
        finally:
            server.stop()
            engine.dispose()
    return path, facts


@pytest.fixture
def fuzz_hub(seeded, tmp_path):
    """A copy of the seeded hub per test (what one test's requests change, the next does not see),
    served for that test only."""
    folder, facts = seeded
    shutil.copy(folder / "hub.db", tmp_path / "hub.db")  # with its mode (0600), as the hub made it
    for name in KEY_FILES:  # the autouse fixture points these at the test's own folder
        if (folder / name).exists():
            shutil.copy(folder / name, os.environ[name])
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    server = HubServer(engine).start()
    yield SeededHub(server.url, engine, facts["store_id"], facts["terminal_id"], facts["card"],
                    {name: facts[name] for name in ("terminal", "owner", "integration")})
    server.stop()
    engine.dispose()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_fuzzed_requests_get_documented_answers(case, fuzz_hub):
    headers = {**dict(case.headers or {}), "Authorization": fuzz_hub.token_for(case.path)}
    response = case.call(base_url=fuzz_hub.url, headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    if response.status_code >= 400:
        body = response.json()
        assert {"code", "message"} <= set(body), body


def call(hub: SeededHub, method: str, path: str, *, token: str | None = "default",
         checks: list = CHECKS, **parts: Any) -> Response:
    """One request through schemathesis, validated against the operation's documented answers."""
    case = schema[path][method].Case(**parts)
    headers = {} if token is None else {"Authorization": hub.token_for(path) if token == "default" else token}
    response = case.call(base_url=hub.url, headers=headers)
    case.validate_response(response, checks=checks, headers=headers)
    return response


def test_known_good_requests_get_documented_answers(fuzz_hub):
    hub, card = fuzz_hub, fuzz_hub.card
    answers = {
        "health": call(hub, "GET", "/health"),
        "pull": call(hub, "GET", "/sync/v1/pull", query={"cursor": 0, "limit": 100}),
        "fetch": call(hub, "GET", "/sync/v1/cards/{code}", path_parameters={"code": card}),
        "overdrafts": call(hub, "GET", "/sync/v1/overdrafts"),
        "push": call(hub, "POST", "/sync/v1/push", body={"v": 1, "terminal_id": hub.terminal_id}),
        "pair": call(hub, "POST", "/sync/v1/pair", token=None, body={
            "v": 1, "code": admin.add_terminal(hub.engine, hub.store_id, "Till 3").code,
            "terminal_id": "6f1c1b9e-1f0a-4a63-9d55-1c0d7f1b2a3c"}),
        "cards": call(hub, "GET", "/api/v1/cards"),
        "card": call(hub, "GET", "/api/v1/cards/{code}", path_parameters={"code": card}),
        "transactions": call(hub, "GET", "/api/v1/transactions"),
        "stats": call(hub, "GET", "/api/v1/stats"),
        "owner_overdrafts": call(hub, "GET", "/api/v1/overdrafts"),
        "stores": call(hub, "GET", "/api/v1/stores"),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 200)
    # Real records went through the schema, not only empty lists.
    assert {e["card"] for e in answers["pull"].json()["entries"]} == {card}
    assert answers["fetch"].json()["card"]["code"] == card
    assert len(answers["transactions"].json()["transactions"]) == 3  # enroll and earn here, a stamp at Till 2
    assert answers["stores"].json()[0]["terminals"]


def test_webhook_requests_get_documented_answers(fuzz_hub):
    hub = fuzz_hub
    made = call(hub, "POST", "/api/v1/webhooks", body={"url": "https://shop.example/h", "events": ["*"]})
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    with writing(hub.engine) as conn:  # an event, as a push or the hub's own entries write them
        webhooks.events_for_entries(conn, admin.only_merchant(hub.engine), [
            {"entry_id": "x-1", "terminal_id": hub.terminal_id, "card": hub.card, "kind": "earn", "stamps": 0,
             "points": 5, "at": "2026-01-01T00:00:00.000000Z"}])
    listed = call(hub, "GET", "/api/v1/webhooks")
    log = call(hub, "GET", "/api/v1/webhooks/deliveries", query={"status": "pending"})
    [delivery] = log.json()
    replayed = call(hub, "POST", "/api/v1/webhooks/deliveries/{delivery_id}/replay",
                    path_parameters={"delivery_id": delivery["delivery_id"]})
    removed = call(hub, "DELETE", "/api/v1/webhooks/{endpoint_id}",
                   path_parameters={"endpoint_id": made.json()["endpoint_id"]})
    refused = call(hub, "POST", "/api/v1/webhooks", body={"url": "ftp://x", "events": ["*"]})
    assert [r.status_code for r in (listed, log, replayed, removed, refused)] == [200, 200, 201, 200, 422]
    assert listed.json()[0]["secret"] is None


def test_documented_refusals_match_the_schema(fuzz_hub):
    hub = fuzz_hub
    unknown = "0000000000"
    refusals = {
        "unknown card": (call(hub, "GET", "/api/v1/cards/{code}", path_parameters={"code": unknown}), 404),
        "no token": (call(hub, "GET", "/sync/v1/pull", token=None, query={"cursor": 0}), 401),
        "bad token": (call(hub, "GET", "/api/v1/stats", token="Bearer not-a-token"), None),
        "owner token at a till's endpoint": (call(hub, "GET", "/sync/v1/pull", token=hub.tokens["owner"]), 403),
        "other protocol": (call(hub, "GET", "/sync/v1/pull", query={"v": 2}), 400),
        "used pairing code": (call(hub, "POST", "/sync/v1/pair", token=None, body={
            "v": 1, "code": "AAAA-BBBB-CCCC", "terminal_id": hub.terminal_id}), None),
    }
    for name, (response, status) in refusals.items():
        if status is not None:
            assert response.status_code == status, (name, response.status_code, response.text)
        assert 400 <= response.status_code < 500, (name, response.text)
        assert {"code", "message"} <= set(response.json()), (name, response.text)


def test_the_schema_check_sees_an_undocumented_answer():
    """The validation above must be able to fail: a body or a status the schema does not allow."""
    case = schema["/sync/v1/pull"]["GET"].Case(query={"cursor": 0})
    request = httpx.Request("GET", "http://hub.invalid/sync/v1/pull?cursor=0")
    for wrong in (httpx.Response(200, json={"cursor": "zero"}, request=request),
                  httpx.Response(404, json={"detail": "FastAPI's shape, not ours"}, request=request),
                  httpx.Response(418, json={"code": "teapot", "message": "undocumented"}, request=request)):
        wrong.read()
        wrong.elapsed = timedelta(0)  # as if it came over the wire
        with pytest.raises(FailureGroup) as caught:
            case.validate_response(wrong, checks=CHECKS)
        assert {type(e).__name__ for e in caught.value.exceptions} <= {"JsonSchemaError", "UndefinedStatusCode"}


def test_a_hub_without_its_database_answers_as_documented(fuzz_hub, tmp_path):
    """The database gone: 503 with a Retry-After, on both APIs, as the schema says."""
    database = tmp_path / "hub.db"
    for suffix in ("", "-wal", "-shm"):
        part = database.with_name(database.name + suffix)
        if part.exists():
            part.rename(part.with_name(part.name + ".away"))
    fuzz_hub.engine.dispose()  # new connections find an empty file: no tables, an OperationalError
    for path, query in (("/sync/v1/pull", {"cursor": 0}), ("/api/v1/stats", {})):
        # A 5xx on purpose: every check but "no server error".
        response = call(fuzz_hub, "GET", path, query=query, checks=CHECKS[1:])
        assert response.status_code == 503, (path, response.text)
        assert response.json()["code"] == "database_unavailable"
        retry_after = response.headers["retry-after"]  # schemathesis keeps headers lower-cased, as lists
        assert int(retry_after[0] if isinstance(retry_after, list) else retry_after) > 0
