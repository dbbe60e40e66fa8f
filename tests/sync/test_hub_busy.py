"""A hub whose database connections are all taken answers 503 ``hub_busy`` with a Retry-After.

Every connection of the worker's pool is held (as by requests stuck behind
a slow query); a new request waits ``wait_seconds`` for one and then gets a
clear refusal a till or a register retries, not a bare 500.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

import httpx
import pytest
from conftest import HubServer

from sync.hub.db import create_hub_engine


@pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)
def test_a_request_that_finds_no_free_connection_gets_503_hub_busy(hub_db_url, hub_engine, merchant):
    engine = create_hub_engine(hub_db_url, connections=2, wait_seconds=0.5)
    try:
        with HubServer(engine) as hub, ExitStack() as held:
            for _ in range(2):
                held.enter_context(engine.connect())
            started = time.monotonic()
            answer = httpx.get(f"{hub.url}/api/v1/stats",
                               headers={"Authorization": f"Bearer {merchant.owner_token}"}, timeout=30)
            waited = time.monotonic() - started
            assert answer.status_code == 503, answer.text
            assert answer.json()["code"] == "hub_busy"
            assert "busy" in answer.json()["message"] and "retry" in answer.json()["message"]
            assert int(answer.headers["Retry-After"]) > 0
            assert waited < 10  # the pool's wait, not a hang
            held.close()  # the connections are free again: the same request is answered
            again = httpx.get(f"{hub.url}/api/v1/stats",
                              headers={"Authorization": f"Bearer {merchant.owner_token}"}, timeout=30)
            assert again.status_code == 200, again.text
    finally:
        engine.dispose()
