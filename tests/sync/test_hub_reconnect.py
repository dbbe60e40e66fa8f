"""The hub survives its database connections being cut (a PostgreSQL restart, a firewall's idle timeout).

Pooled connections are pinged only when they sat idle (db._ping_when_idle),
not at every checkout. These tests cut the hub's connections from the
server side, as a restart does, and check both halves of that choice: an
idle connection cut is found and replaced before use (the request never
sees it); one cut between two quick requests fails that request with a
clear 503 a till retries, and the next request is answered.
"""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from conftest import HubServer

from sync.hub import db
from sync.hub.db import create_hub_engine


def _cut_connections(url: str, application: str) -> int:
    """Terminate every server connection of ``application`` (the hub's), as a restart would."""
    killer = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with killer.connect() as conn:
            return len(conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :app AND pid <> pg_backend_pid()"), {"app": application}).all())
    finally:
        killer.dispose()


def _stats(hub: HubServer, token: str) -> httpx.Response:
    return httpx.get(f"{hub.url}/api/v1/stats", headers={"Authorization": f"Bearer {token}"}, timeout=30)


@pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)
def test_an_idle_connection_cut_by_the_server_is_replaced_before_use(hub_db_url, hub_engine, merchant,
                                                                      monkeypatch):
    url = sa.make_url(hub_db_url).update_query_dict({"application_name": "hub_idle_cut"})
    engine = create_hub_engine(url.render_as_string(hide_password=False))
    try:
        with HubServer(engine) as hub:
            assert _stats(hub, merchant.owner_token).status_code == 200
            assert _cut_connections(hub_db_url, "hub_idle_cut") >= 1
            monkeypatch.setattr(db, "IDLE_PING_S", 0.0)  # every pooled connection counts as idle
            for _ in range(3):
                answer = _stats(hub, merchant.owner_token)
                assert answer.status_code == 200, answer.text
    finally:
        engine.dispose()


@pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)
def test_a_connection_cut_between_busy_requests_fails_one_request_with_503_then_the_hub_recovers(
        hub_db_url, hub_engine, merchant, monkeypatch):
    url = sa.make_url(hub_db_url).update_query_dict({"application_name": "hub_busy_cut"})
    engine = create_hub_engine(url.render_as_string(hide_password=False), connections=1)
    monkeypatch.setattr(db, "IDLE_PING_S", 3600.0)  # never idle long enough to be pinged
    try:
        with HubServer(engine) as hub:
            assert _stats(hub, merchant.owner_token).status_code == 200
            assert _cut_connections(hub_db_url, "hub_busy_cut") == 1
            failed = _stats(hub, merchant.owner_token)
            assert failed.status_code == 503, failed.text
            assert failed.json()["code"] == "database_unavailable"
            assert int(failed.headers["Retry-After"]) > 0
            again = _stats(hub, merchant.owner_token)  # the cut connection was dropped from the pool
            assert again.status_code == 200, again.text
    finally:
        engine.dispose()
