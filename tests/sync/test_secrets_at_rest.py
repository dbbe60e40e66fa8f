"""Webhook signing secrets and owners' TOTP secrets at rest: a dump of the hub's database alone
gives neither away; they are wrapped with the master key (kept outside it), bound to their row.

The attack is the test: read every table and look for the secret. Then: the hub still signs
with it and still checks codes; a database from before schema 20 holding them in clear is
sealed when the hub starts, or at first use. SQLite and, with ``LOYALTY_TEST_PG_URL``, PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re

import pytest
import sqlalchemy as sa
from console_helpers import add_owner, client, form_csrf, sign_in
from webhook_receiver import Receiver

from sync.hub import cli, keywrap, owners, secret_store, webhooks
from sync.hub.app import create_app
from sync.hub.db import reading, writing
from sync.hub.migrations import SCHEMA_VERSION, migrate
from sync.hub.schema import hub_schema, owner_accounts, webhook_endpoints
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker

FAST = DeliverySettings(timeout_s=2.0, lease_s=4.0, first_retry_s=0.05, max_retry_s=0.2, poll_s=0.05)


def _dump(engine) -> str:
    """Every value of every table, as an attacker holding a copy of the database reads it."""
    with reading(engine) as conn:
        return "\n".join(repr(tuple(row)) for table in sa.inspect(conn).get_table_names()
                         for row in conn.execute(sa.text(f"SELECT * FROM {table}")))


def _leaks(dump: str, secret: str) -> bool:
    raw = secret.encode()
    return any(form in dump for form in (secret, secret.lower(), raw.hex()))


def _earn_event(engine, merchant_id: str, entry_id: str) -> None:
    entry = {"entry_id": entry_id, "terminal_id": "hub", "card": "7K3M9Q2XPA", "kind": "earn", "stamps": 0,
             "points": 10, "amount": 100, "at": "2026-11-30T12:00:00.000000Z"}
    with writing(engine) as conn:
        webhooks.events_for_entries(conn, merchant_id, [entry])


def _signed_with(secret: str, got) -> bool:
    fields = dict(part.split("=", 1) for part in got.headers["loyalty-signature"].split(","))
    mac = hmac.new(secret.encode(), f"{fields['t']}.".encode() + got.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, fields["v1"])


def test_a_database_dump_holds_no_webhook_secret_yet_deliveries_are_signed_with_it(hub_engine, merchant):
    app = create_app(hub_engine, run_migrations=False)
    with Receiver() as receiver, client(app) as web:
        made = web.post("/api/v1/webhooks", headers={"Authorization": f"Bearer {merchant.owner_token}"},
                        json={"url": receiver.url, "events": ["*"]})
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]   # shown once, at creation, as before
        assert secret.startswith("whsec_")
        assert not _leaks(_dump(hub_engine), secret)
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        worker = DeliveryWorker(hub_engine, FAST, master_key=app.state.master_key)
        try:
            assert worker.run_once() == 1
        finally:
            worker.stop()
        [got] = receiver.got
        assert _signed_with(secret, got)


def test_a_wrapped_secret_opens_only_with_the_master_key_and_on_its_own_row(hub_engine, merchant):
    master = secret_store.master_key_for(hub_engine)
    with writing(hub_engine) as conn:
        first = webhooks.add_endpoint(conn, merchant.merchant_id, "https://a.example/hook", ["*"])
        second = webhooks.add_endpoint(conn, merchant.merchant_id, "https://b.example/hook", ["*"])
    ep = webhook_endpoints
    with reading(hub_engine) as conn:
        wrapped = dict(conn.execute(sa.select(ep.c.endpoint_id, ep.c.secret_wrapped)).all())
        assert set(conn.execute(sa.select(ep.c.secret)).scalars()) == {""}
    assert secret_store.unseal(master, secret_store.WEBHOOK, first.endpoint_id,
                               wrapped[first.endpoint_id]) == first.secret
    with pytest.raises(keywrap.MasterKeyError, match="webhook signing secret"):
        secret_store.unseal(lambda: bytes(32), secret_store.WEBHOOK, first.endpoint_id, wrapped[first.endpoint_id])
    with pytest.raises(keywrap.MasterKeyError, match="another row"):   # copied to the other endpoint
        secret_store.unseal(master, secret_store.WEBHOOK, second.endpoint_id, wrapped[first.endpoint_id])


def test_a_wrong_master_key_is_logged_in_the_delivery_and_sends_nothing(hub_engine, merchant):
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        worker = DeliveryWorker(hub_engine, FAST, master_key=lambda: bytes(32))
        try:
            assert worker.run_once() == 1
        finally:
            worker.stop()
        assert receiver.got == []
    with reading(hub_engine) as conn:
        [row] = webhooks.list_deliveries(conn, merchant.merchant_id)
    assert row["status"] == "pending" and "master key file" in row["last_error"]


def test_a_database_dump_holds_no_totp_secret_yet_the_second_factor_works(hub_engine, merchant):
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    app = create_app(hub_engine, run_migrations=False)
    with client(app) as web:
        assert sign_in(web, owner.email).status_code == 303
        page = web.get("/console/account").text
        secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page).group(1)
        done = web.post("/console/account/totp", data={"secret": secret, "code": owners.totp(secret),
                                                       "csrf": form_csrf(web, "/console/account")})
        assert done.status_code in (200, 303), done.text
    assert owners.find_account(hub_engine, owner.email).totp
    assert not _leaks(_dump(hub_engine), secret)
    with client(app) as laptop:
        assert sign_in(laptop, owner.email).status_code == 401
        assert sign_in(laptop, owner.email, code=owners.totp(secret)).status_code == 303
    assert not owners.check_totp(hub_engine, owner.account_id, owners.totp(secret), master_key=lambda: bytes(32))


def _pre_20_database(engine, merchant_id: str, account_id: str) -> tuple[str, str]:
    """The database as a hub from before schema 20 left it: secrets in clear, no wrapped columns."""
    webhook_secret, totp_secret = "whsec_" + "ab" * 24, owners.new_totp_secret()
    with writing(engine) as conn:
        conn.execute(sa.text("DROP TABLE hub_attempts"))
        conn.execute(sa.text("ALTER TABLE webhook_endpoints DROP COLUMN secret_wrapped"))
        conn.execute(sa.text("ALTER TABLE owner_accounts DROP COLUMN totp_secret_wrapped"))
        conn.execute(sa.update(hub_schema).values(version=19))
        conn.execute(sa.text("INSERT INTO webhook_endpoints (endpoint_id, merchant_id, url, events, secret, "
                             "created_at) VALUES ('ep-old', :m, 'http://127.0.0.1:9/x', '[\"*\"]', :s, "
                             "'2026-01-01T00:00:00.000000Z')"), {"m": merchant_id, "s": webhook_secret})
        conn.execute(sa.text("UPDATE owner_accounts SET totp_secret = :s WHERE account_id = :a"),
                     {"s": totp_secret, "a": account_id})
    return webhook_secret, totp_secret


def test_an_upgraded_hub_seals_the_clear_secrets_when_it_starts(hub_engine, merchant):
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    webhook_secret, totp_secret = _pre_20_database(hub_engine, merchant.merchant_id, owner.account_id)
    assert _leaks(_dump(hub_engine), webhook_secret) and _leaks(_dump(hub_engine), totp_secret)
    assert migrate(hub_engine) == 19   # the step adds the columns; it has no key to wrap with
    assert secret_store.clear_secrets_left(hub_engine) == 2
    app = create_app(hub_engine, run_migrations=False)
    with client(app) as web:   # the app's start seals them
        assert secret_store.clear_secrets_left(hub_engine) == 0
        dump = _dump(hub_engine)
        assert not _leaks(dump, webhook_secret) and not _leaks(dump, totp_secret)
        assert sign_in(web, owner.email, code=owners.totp(totp_secret)).status_code == 303
    with reading(hub_engine) as conn:
        wrapped = conn.execute(sa.select(webhook_endpoints.c.secret_wrapped)
                               .where(webhook_endpoints.c.endpoint_id == "ep-old")).scalar_one()
        assert conn.execute(sa.select(hub_schema.c.version)).scalar_one() == SCHEMA_VERSION
    assert secret_store.unseal(app.state.master_key, secret_store.WEBHOOK, "ep-old", wrapped) == webhook_secret


def test_a_clear_secret_left_by_an_older_process_is_sealed_at_first_use(hub_engine, merchant):
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    with Receiver() as receiver:
        with writing(hub_engine) as conn:   # as an older hub process still running writes them
            made = webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
            conn.execute(sa.update(webhook_endpoints).values(secret=made.secret, secret_wrapped=None))
            totp_secret = owners.new_totp_secret()
            conn.execute(sa.update(owner_accounts).values(totp_secret=totp_secret))
        assert secret_store.clear_secrets_left(hub_engine) == 2
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            assert worker.run_once() == 1
        finally:
            worker.stop()
        assert _signed_with(made.secret, receiver.got[0])
    assert secret_store.clear_secrets_left(hub_engine) == 1
    assert owners.check_totp(hub_engine, owner.account_id, owners.totp(totp_secret))
    assert secret_store.clear_secrets_left(hub_engine) == 0
    assert not _leaks(_dump(hub_engine), made.secret) and not _leaks(_dump(hub_engine), totp_secret)
    assert owners.check_totp(hub_engine, owner.account_id, owners.totp(totp_secret))


def _cli(url: str, argv: list[str], stdin: str, monkeypatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["--database-url", url, *argv])


def test_the_cli_wraps_with_the_hubs_key_file_and_never_makes_a_second_one(hub_db_url, hub_engine, merchant,
                                                                          tmp_path, monkeypatch, capsys):
    argv = ["owners", "add", "owner@toko.example", "--password-stdin", "--totp", "--merchant", merchant.merchant_id]
    assert _cli(hub_db_url, argv, "a long password\n", monkeypatch) == 0
    secret = capsys.readouterr().out.split("TOTP secret:")[1].split()[0]
    assert not _leaks(_dump(hub_engine), secret)
    account = owners.find_account(hub_engine, "owner@toko.example")
    assert owners.check_totp(hub_engine, account.account_id, owners.totp(secret))   # the served hub's key
    # Run without the variable pointing at the hub's key file: a refusal, not a second key.
    monkeypatch.setenv("LOYALTY_HUB_MASTER_KEY_FILE", str(tmp_path / "elsewhere" / "master.key"))
    argv = ["owners", "add", "co@toko.example", "--password-stdin", "--totp", "--merchant", merchant.merchant_id]
    assert _cli(hub_db_url, argv, "a long password\n", monkeypatch) == 2
    assert "LOYALTY_HUB_MASTER_KEY_FILE" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere" / "master.key").exists()
    assert owners.find_account(hub_engine, "co@toko.example") is None   # nothing written
