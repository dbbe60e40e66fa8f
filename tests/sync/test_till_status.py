"""Tills report what they still have to push and their app version on each push; the dashboard shows it."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import httpx
import pytest
import sqlalchemy as sa
from console_helpers import add_owner, client, sign_in
from real_terminal import RealTerminal
from sync_helpers import pair_terminal

import terminal
from sync.client import HubClient, HubRefused, HubUnavailable
from sync.hub import owners
from sync.hub.app import create_app
from sync.hub.schema import terminals
from sync.protocol import PROTOCOL_VERSION, ErrorBody, PushRequest, PushResponse, TillStatus
from sync.syncer import Syncer
from terminal.services.sync_secrets import load_token


def _dashboard_row(hub_engine, merchant, till_name: str) -> str:
    owner = owners.list_accounts(hub_engine, merchant.merchant_id)
    email = owner[0].email if owner else add_owner(hub_engine, merchant.merchant_id, "owner@corner.example").email
    with client(create_app(hub_engine, run_migrations=False)) as web:
        assert sign_in(web, email).status_code == 303
        page = web.get("/console/dashboard").text
    row = re.search(rf"<tr>\s*<td data-label=\"Till\">{re.escape(till_name)}</td>(.*?)</tr>", page, re.S)
    assert row, f"no row for {till_name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))).strip()


def _client(term: RealTerminal, hub_url: str, cls: type[HubClient] = HubClient) -> HubClient:
    return cls(hub_url, load_token(term.services.ctx.settings, term.terminal_id), timeout=30)


def test_the_dashboard_shows_what_a_real_till_reported_and_unknown_for_one_that_never_did(
        hub, hub_engine, merchant, tmp_path):
    term = RealTerminal.founded(tmp_path / "a")
    older, older_client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "old.db", "Old till")
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        code = term.enroll("Ann")
        term.earn(code, 1000)
        term.sync()
        older.enroll(holder="Budi")
        Syncer(older, older_client).sync_once()   # a till that predates the status: it sends none
    finally:
        older_client.close()
        older.close()
        term.close()
    front = _dashboard_row(hub_engine, merchant, "Front till")
    assert " 0 waiting " in front and front.endswith(" " + terminal.__version__)
    old = _dashboard_row(hub_engine, merchant, "Old till")
    assert re.fullmatch(r"Online .+ unknown -?\d+ s unknown", old), old


class _CutAfterFirstPush(HubClient):
    """A real client; once its first push is answered the hub goes away (the shop's line drops)."""

    hub: Any = None
    sent: ClassVar[list[PushRequest]] = []

    def push(self, request: PushRequest) -> PushResponse:
        answer = super().push(request)
        type(self).sent.append(request)
        if len(type(self).sent) == 1:
            type(self).hub.stop()
        return answer


def test_a_push_cut_short_leaves_what_the_till_still_had_to_send(hub, hub_engine, merchant, tmp_path):
    term = RealTerminal.founded(tmp_path / "a")
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        code = term.enroll("Ann")
        for amount in (1000, 2000, 3000, 4000, 5000):
            term.earn(code, amount)
        before = term.port.outbox(1000)
        assert before.pending_entries is not None and before.pending_entries >= 6
        _CutAfterFirstPush.hub = hub
        _CutAfterFirstPush.sent.clear()
        with _client(term, hub.url, _CutAfterFirstPush) as cut, pytest.raises(HubUnavailable):
            Syncer(term.port, cut, batch_size=2).sync_once()
        sent = _CutAfterFirstPush.sent[0]
        assert sent.status == TillStatus(pending_entries=before.pending_entries - 2,
                                         pending_audit=max(0, (before.pending_audit or 0) - 2),
                                         app_version=terminal.__version__)
    finally:
        term.close()
    with hub_engine.connect() as conn:
        stored = conn.execute(sa.select(terminals.c.pending_entries, terminals.c.app_version)
                              .where(terminals.c.terminal_id == sent.terminal_id)).one()
    assert tuple(stored) == (before.pending_entries - 2, terminal.__version__)
    assert f"{before.pending_entries - 2} waiting" in _dashboard_row(hub_engine, merchant, "Front till")


def test_a_push_without_status_is_what_an_older_hub_reads():
    request = PushRequest(v=PROTOCOL_VERSION, terminal_id="6f1c2e1a-0d5e-4b7a-9c1e-2a3b4c5d6e7f")
    assert "status" not in request.model_dump_json()
    with_status = request.model_copy(update={"status": TillStatus(pending_entries=3, pending_audit=0)})
    assert '"status":{"pending_entries":3,"pending_audit":0' in with_status.model_dump_json()
    assert PushRequest.model_validate_json(with_status.model_dump_json(), strict=True) == with_status


class _OlderHub(HubClient):
    """The real hub, behind a client that refuses the status field as a hub that predates it does."""

    refused = 0

    def push(self, request: PushRequest) -> PushResponse:
        if request.status is not None:
            type(self).refused += 1
            raise HubRefused(422, ErrorBody(code="malformed", message="malformed request: body.status: "
                                                                      "Extra inputs are not permitted"))
        return super().push(request)


def test_a_till_pushes_on_without_its_status_to_a_hub_that_predates_it(hub, hub_engine, merchant, tmp_path):
    term = RealTerminal.founded(tmp_path / "a")
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        term.earn(term.enroll("Ann"), 1000)
        # The words an older hub answers a field it does not know with: the real hub's, for one it does not know.
        unknown = httpx.post(hub.url + "/sync/v1/push", json={"v": 1, "terminal_id": term.terminal_id, "statuz": {}},
                             headers={"Authorization": f"Bearer {term.token()}"})
        assert unknown.status_code == 422
        assert unknown.json()["message"] == "malformed request: body.statuz: Extra inputs are not permitted"
        _OlderHub.refused = 0
        with _client(term, hub.url, _OlderHub) as older:
            Syncer(term.port, older).sync_once()
        assert _OlderHub.refused == 1
        assert term.port.outbox(1000).pending_entries == 0   # everything went, without the status
    finally:
        term.close()


def test_upgrade_to_schema_17_adds_the_status_columns_the_kept_refusals_and_the_audit_indexes(hub_engine):
    from sync.hub.migrations import SCHEMA_VERSION, migrate
    from sync.hub.schema import hub_schema

    new_indexes = {"audit_events": {"ix_audit_events_merchant_at", "ix_audit_events_merchant_subject",
                                    "ix_audit_events_terminal_at"},
                   "entries": {"ix_entries_merchant_kind_at"},
                   "overdrafts": {"ix_overdrafts_merchant_flagged", "ix_overdrafts_merchant_resolved"}}
    with hub_engine.begin() as conn:   # a hub at schema 16: none of them yet
        for names in new_indexes.values():
            for name in names:
                conn.execute(sa.text(f"DROP INDEX {name}"))
        conn.execute(sa.text("DROP TABLE record_refusals"))
        for column in ("pending_entries", "pending_audit", "app_version", "status_at"):
            conn.execute(sa.text(f"ALTER TABLE terminals DROP COLUMN {column}"))
        conn.execute(sa.update(hub_schema).values(version=16))
    assert migrate(hub_engine) == 16
    with hub_engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert conn.execute(sa.select(hub_schema.c.version)).scalar_one() == SCHEMA_VERSION
        assert {"pending_entries", "pending_audit", "app_version", "status_at"} <= {
            c["name"] for c in inspector.get_columns("terminals")}
        assert inspector.has_table("record_refusals")
        for table, names in new_indexes.items():
            assert names <= {i["name"] for i in inspector.get_indexes(table)}, table
