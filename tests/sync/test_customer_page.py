"""The customer page (/c/{token}): a real till signs the address, the real hub opens the card.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL, like the other hub tests.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from conftest import make_merchant
from console_helpers import add_owner, client, form_csrf, sign_in
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from real_terminal import RealTerminal

from ledger_chain import customer_token, signing
from sync.client import HubClient
from sync.hub import admin, cli, customer_tokens
from sync.hub.customer_view import _expiring, _next_reward
from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
from sync.hub.schema import hub_schema
from terminal.domain.programs import Reward
from terminal.services.customer_page import customer_page_url


@pytest.fixture
def till(hub, hub_engine, merchant, tmp_path):
    """A real till paired with the hub: it enrolled Siti's card, stamped it, earned points and synced."""
    term = RealTerminal.founded(tmp_path / "till")
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, name="Front till")
        code = term.enroll(holder="Siti Rahayu")
        grant = term.grant()
        term.services.counter.stamp(grant, code)
        term.earn(code, 12_345, grant)
        term.sync()
        yield term, code
    finally:
        term.close()


def _path(url: str) -> str:
    return urlsplit(url).path


def _token(url: str) -> str:
    return _path(url).removeprefix("/c/")


def _recoded(token: str, code: str) -> str:
    """The same terminal id and signature with another card code in between."""
    raw = base64.urlsafe_b64decode(token + "==")
    raw = raw[:16] + code.encode() + raw[26:]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_the_page_a_till_prints_shows_that_card_in_the_customers_language(till, app, hub):
    term, code = till
    url = customer_page_url(term.services.ctx, code)
    assert url is not None and url.startswith(hub.url + "/c/")
    assert customer_page_url(term.services.ctx, code) == url   # a reprint gives the same address
    token = _token(url)
    assert code not in url.lower() and len(token) == customer_token.TOKEN_LENGTH
    stamps, points = term.balance(code)
    target = term.services.counter.card(code).program.stamps_target
    assert stamps == 1 and points > 0
    with client(app) as phone:
        english = phone.get(_path(url), headers={"Accept-Language": "en-GB,en;q=0.9"})
        indonesian = phone.get(_path(url), headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    assert english.status_code == indonesian.status_code == 200
    assert '<html lang="en">' in english.text and '<html lang="id">' in indonesian.text
    assert "Recent visits" in english.text and "Kunjungan terakhir" in indonesian.text
    assert "Corner Café" in english.text                       # the merchant
    assert f"{stamps} of {target}" in english.text and f"{stamps} dari {target}" in indonesian.text
    assert f">{points:,}<" in english.text and f">{points:,}<".replace(",", ".") in indonesian.text
    for private in ("Olga", "Siti", "Front till", "Test Café"):   # staff, holder, till, store
        assert private not in english.text
    assert "<script" not in english.text
    csp = english.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert english.headers["referrer-policy"] == "no-referrer"
    assert not english.cookies and "set-cookie" not in english.headers
    assert f'href="/c/{token}/manifest.webmanifest"' in english.text
    _installable(app, token)


def _installable(app, token: str) -> None:
    """The manifest beside the page opens this card from the home screen; its icons ship with the hub."""
    with client(app) as phone:
        answer = phone.get(f"/c/{token}/manifest.webmanifest")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/manifest+json")
        manifest = json.loads(answer.text)
        assert manifest["display"] == "standalone" and manifest["start_url"] == "./"
        for icon in manifest["icons"]:
            shown = phone.get(icon["src"])
            assert shown.status_code == 200 and shown.headers["content-type"] == icon["type"]
        assert phone.get(f"/c/{token}/").status_code == 200            # where start_url leads
        assert phone.get(f"/c/{_recoded(token, 'X' * 10)}/manifest.webmanifest").status_code == 404
        assert phone.get("/c/assets/../customer_routes.py").status_code == 404


def test_forged_wrong_or_foreign_tokens_are_the_same_404(till, app, hub, hub_engine, merchant):
    term, code = till
    token = _token(customer_page_url(term.services.ctx, code))
    other_code = term.enroll(holder="Budi")
    term.sync()
    stranger_key = Ed25519PrivateKey.generate()
    flipped = bytearray(base64.urlsafe_b64decode(token + "=="))
    flipped[-1] ^= 1
    # Another merchant's till, paired with its own key, signs the first merchant's card code.
    rival = make_merchant(hub_engine, "Rival Kopi", "Pasar")
    rival_key = Ed25519PrivateKey.generate()
    rival_till = str(uuid.uuid4())
    with HubClient(hub.url) as anonymous:
        anonymous.pair(admin.add_terminal(hub_engine, rival.store_id, "Rival till").code, rival_till,
                       signing=(signing.public_key_of(rival_key), {"entries": 1, "audit": 1}))
    forged = {
        "altered byte": base64.urlsafe_b64encode(bytes(flipped)).decode().rstrip("="),
        "another card": _recoded(token, other_code),
        "another key": customer_token.make_token(stranger_key, term.terminal_id, code),
        "unknown till": customer_token.make_token(stranger_key, str(uuid.uuid4()), code),
        "another merchant's till": customer_token.make_token(rival_key, rival_till, code),
        "bare code": code,
        "padded": token + "=",
        "garbage": "x" * customer_token.TOKEN_LENGTH,
    }
    with client(app) as phone:
        assert phone.get(f"/c/{token}").status_code == 200
        assert phone.get(customer_page_url(term.services.ctx, other_code).removeprefix(hub.url)).status_code == 200
        missing = phone.get("/c/" + "A" * customer_token.TOKEN_LENGTH)
        assert missing.status_code == 404
        for what, bad in forged.items():
            answer = phone.get(f"/c/{bad}")
            assert answer.status_code == 404, what
            assert answer.text == missing.text, what             # nothing tells one refusal from another
        # Revoking the till ends the pages of the cards it printed (it may be in a thief's hands).
        admin.revoke_terminal(hub_engine, term.terminal_id)
        assert phone.get(f"/c/{token}").text == missing.text


def test_pages_are_rate_limited_per_address(till, app):
    term, code = till
    token = _token(customer_page_url(term.services.ctx, code))
    app.state.customer_page_budget = customer_tokens.RequestBudget(requests=3, window_seconds=60)
    with client(app) as phone:
        assert [phone.get(f"/c/{token}").status_code for _ in range(3)] == [200, 200, 200]
        refused = phone.get(f"/c/{token}", headers={"Accept-Language": "id"})
        forged = phone.get("/c/" + "A" * customer_token.TOKEN_LENGTH)
    assert refused.status_code == forged.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "Terlalu banyak permintaan" in refused.text


def test_rate_budget_refills_after_its_window():
    now = [100.0]
    budget = customer_tokens.RequestBudget(requests=2, window_seconds=10, clock=lambda: now[0])
    assert [budget.take("a"), budget.take("a"), budget.take("b")] == [0, 0, 0]
    assert budget.take("a") == 10
    now[0] += 9.5
    assert budget.take("a") == 1
    now[0] += 0.6
    assert budget.take("a") == 0


def test_owner_switches_the_page_off_and_on(till, app, hub_engine, merchant, capsys, monkeypatch):
    term, code = till
    path = _path(customer_page_url(term.services.ctx, code))
    monkeypatch.setenv("LOYALTY_HUB_DATABASE_URL", str(hub_engine.url.render_as_string(hide_password=False)))
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    with client(app) as phone, client(app) as web:
        assert cli.main(["customer-page", "off"]) == 0
        assert "off" in capsys.readouterr().out
        assert phone.get(path).status_code == 404
        assert cli.main(["customer-page", "on"]) == 0
        assert phone.get(path).status_code == 200

        assert sign_in(web, owner.email).status_code == 303
        refused = web.post("/console/account/customer-page", data={"enabled": "off"})
        assert refused.status_code == 403 and phone.get(path).status_code == 200
        csrf = form_csrf(web, "/console/account")
        switched = web.post("/console/account/customer-page", data={"enabled": "off", "csrf": csrf})
        assert switched.status_code == 303
        assert "Switch on" in web.get(switched.headers["location"]).text
        assert phone.get(path).status_code == 404
        web.post("/console/account/customer-page", data={"enabled": "on", "csrf": csrf})
        assert phone.get(path).status_code == 200
        # The owner's own QR of a card's page, signed by the merchant's hub author (the hub's key).
        page = web.get(f"/console/cards/{code}/customer-page")
        assert page.status_code == 200 and "<svg" in page.text
        hub_signed = page.text.split('<a href="https://testserver/c/', 1)[1].split('"', 1)[0]
        assert hub_signed != _token(path) and phone.get(f"/c/{hub_signed}").status_code == 200
        assert web.get(f"/console/cards/{'Z' * 10}/customer-page").status_code == 404
    with client(app) as stranger:
        answer = stranger.post("/console/account/customer-page", data={"enabled": "off"})
        assert answer.status_code == 303 and "sign-in" in answer.headers["location"]
    assert customer_tokens.page_enabled(hub_engine, merchant.merchant_id)


def _entry(entry_id: str, at: str, kind: str, points: int, reason: str | None = None) -> dict:
    return {"entry_id": entry_id, "card": "ABCDEFGH23", "at": at + "T10:00:00.000000Z", "kind": kind,
            "points": points, "stamps": 0, "reason": reason}


def test_points_expiring_soon_follow_the_tills_rules():
    now, tz = datetime(2026, 6, 1, 12, tzinfo=UTC), ZoneInfo("Asia/Jakarta")
    entries = [_entry("a", "2026-03-01", "earn", 100), _entry("b", "2026-04-20", "earn", 50),
               _entry("c", "2026-05-20", "earn", 70), _entry("d", "2026-04-25", "redeem", -30),
               # two tills expired the same day's points offline: only one counts
               _entry("e", "2026-05-30", "expire", -20, "expiry:age:2026-03-01"),
               _entry("f", "2026-05-30", "expire", -20, "expiry:age:2026-03-01")]
    balance = 100 + 50 + 70 - 30 - 20
    by_age = {"points_expiry_days": 60}
    # March's 100: 30 spent, 20 expired, 50 left, due long ago (so from today); April's 50 due 19 June;
    # May's 70 due 19 July, after the 30-day window.
    assert _expiring(entries, by_age, balance, tz, now) == (100, date(2026, 6, 1))
    assert _expiring(entries, {}, balance, tz, now) == (0, None)
    by_idleness = {"points_expiry_days": 30, "points_expiry_mode": "inactivity"}
    assert _expiring(entries, by_idleness, balance, tz, now) == (balance, date(2026, 6, 19))
    assert _expiring(entries, {**by_idleness, "points_expiry_days": 90}, balance, tz, now) == (0, None)


def test_next_reward_is_the_nearest_one_not_yet_covered():
    rewards = [Reward("r1", "Free drink", cost_stamps=8), Reward("r2", "Free lunch", cost_points=2000),
               Reward("r3", "Cake", cost_points=300)]
    assert _next_reward(rewards, 7, 250) == ("Free drink", 1, "stamps")
    assert _next_reward(rewards, 8, 250) == ("Cake", 50, "points")
    assert _next_reward(rewards, 8, 5000) is None


def test_upgrade_from_schema_14_turns_the_page_on_for_every_merchant(hub_engine, merchant):
    with hub_engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE merchants DROP COLUMN customer_page"))
        conn.execute(sa.update(hub_schema).values(version=14))
    assert migrate(hub_engine) == 14
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
    assert customer_tokens.page_enabled(hub_engine, merchant.merchant_id)
    customer_tokens.set_page_enabled(hub_engine, merchant.merchant_id, False)
    assert not customer_tokens.page_enabled(hub_engine, merchant.merchant_id)
