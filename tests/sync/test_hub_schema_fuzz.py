"""Schemathesis against the hub's OpenAPI: no input makes it fail with a 5xx.

The schema comes from the app itself; the requests go to a real hub over
loopback (SQLite), authenticated with a terminal or an owner token as the
endpoint needs, so the fuzzing reaches past authentication. The number of
examples is bounded so this stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from conftest import HubServer, make_merchant
from hypothesis import HealthCheck, settings
from sync_helpers import pair_terminal

from sync.hub.app import create_app
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from sync.syncer import Syncer

EXAMPLES = 30

_schema_engine = create_hub_engine("sqlite://")
schema = schemathesis.openapi.from_dict(create_app(_schema_engine, run_migrations=False).openapi())
_schema_engine.dispose()


@pytest.fixture
def fuzz_hub(tmp_path):
    """A seeded hub per operation: started and stopped within each test."""
    path = tmp_path
    engine = create_hub_engine(f"sqlite:///{path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine)
    server = HubServer(engine).start()
    terminal, client = pair_terminal(server.url, engine, merchant.store_id, path / "t.db")
    card = terminal.enroll()
    terminal.earn(card, points=10, amount=250)
    terminal.set_program("default", "Club", {"stamp_target": 8})
    terminal.set_staff("s1", "Sam")
    Syncer(terminal, client).sync_once()
    token = client._http.headers["Authorization"]
    client.close()
    yield server.url, {"terminal": token, "owner": f"Bearer {merchant.owner_token}"}
    server.stop()
    engine.dispose()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_server_errors(case, fuzz_hub):
    base_url, tokens = fuzz_hub
    headers = dict(case.headers or {})
    if "Authorization" not in headers:
        headers["Authorization"] = tokens["owner" if case.path.startswith("/api/") else "terminal"]
    response = case.call(base_url=base_url, headers=headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert {"code", "message"} <= set(body), body
