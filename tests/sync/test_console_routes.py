"""The web console's pages and forms through FastAPI's test client, on the real hub app and database.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL, like the other hub tests.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from conftest import make_merchant
from console_helpers import (
    PASSWORD,
    client,
    csrf_of,
    double_spend,
    form_csrf,
    sign_in,
    till_with_history,
)

from sync.client import HubClient
from sync.hub import admin, owners, reports
from sync.hub.app import create_app
from sync.hub.console.security import SESSION_COOKIE

PAGES = ["/console/dashboard", "/console/stores", "/console/cards", "/console/cards?q=SITI",
         "/console/overdrafts", "/console/account"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("path", [*PAGES, "/console/cards/ABCDEFGH23"])
def test_every_page_sends_a_stranger_to_sign_in(app, path):
    with client(app) as stranger:
        answer = stranger.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/sign-in?next=/console/")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_for_the_owner_in_both_languages(web, path):
    english = web.get(path)
    indonesian = web.get(path, headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    assert english.status_code == indonesian.status_code == 200
    assert '<html lang="en">' in english.text and '<html lang="id">' in indonesian.text
    assert "Sign out" in english.text and "Keluar" in indonesian.text
    assert english.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in english.headers["content-security-policy"]
    assert "script-src" not in english.headers["content-security-policy"]   # default-src 'none' covers it


@pytest.mark.sqlite_only
def test_session_cookie_is_secure_httponly_strict(app, console_owner):
    with client(app) as web:
        answer = sign_in(web, console_owner.email)
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE + "=lt_session_")
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/console"):
        assert attribute.lower() in cookie.lower()


@pytest.mark.sqlite_only
def test_plain_http_setting_drops_secure(hub_engine, console_owner, monkeypatch):
    monkeypatch.setenv("LOYALTY_HUB_CONSOLE_PLAIN_HTTP", "1")
    with client(create_app(hub_engine, run_migrations=False)) as web:
        cookie = sign_in(web, console_owner.email).headers["set-cookie"]
    assert "httponly" in cookie.lower() and "secure" not in cookie.lower()


@pytest.mark.sqlite_only
def test_the_session_is_stored_hashed(hub_engine, web):
    token = web.cookies.get(SESSION_COOKIE)
    import sqlalchemy as sa

    from sync.hub.schema import owner_sessions
    with hub_engine.connect() as conn:
        stored = conn.execute(sa.select(owner_sessions.c.session_hash)).scalars().all()
    assert token and token not in stored and len(stored) == 1 and len(stored[0]) == 64


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("path", "fields"), [
    ("/console/sign-out", {}),
    ("/console/sign-out-everywhere", {}),
    ("/console/stores", {"name": "Kiosk"}),
    ("/console/language", {"language": "id"}),
])
def test_forms_without_the_csrf_token_are_refused(web, hub_engine, console_owner, path, fields):
    before = reports.list_stores(hub_engine, console_owner.merchant_id)
    for token in (None, "0" * 40):
        sent = {**fields, **({"csrf": token} if token else {})}
        answer = web.post(path, data=sent)
        assert answer.status_code == 403, path
        assert "did not come from this console" in answer.text
    assert reports.list_stores(hub_engine, console_owner.merchant_id) == before
    assert web.get("/console/dashboard").status_code == 200   # still signed in


@pytest.mark.sqlite_only
def test_sign_in_without_csrf_is_refused(app, console_owner):
    with client(app) as web:
        answer = web.post("/console/sign-in", data={"email": console_owner.email, "password": PASSWORD})
    assert answer.status_code == 403
    assert SESSION_COOKIE + "=" not in answer.headers.get("set-cookie", "")


@pytest.mark.sqlite_only
def test_wrong_password_then_rate_limited_per_account(app, console_owner):
    with client(app) as web:
        for _ in range(5):
            answer = sign_in(web, console_owner.email, "wrong password!")
            assert answer.status_code == 401
            assert "Wrong email, password or code" in answer.text
        blocked = sign_in(web, console_owner.email, PASSWORD)   # even the right password waits now
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many sign-in attempts" in blocked.text
    assert SESSION_COOKIE not in blocked.headers.get("set-cookie", "")


@pytest.mark.sqlite_only
def test_rate_limited_per_address_across_accounts(app, console_owner):
    with client(app) as web:
        for index in range(10):
            assert sign_in(web, f"nobody{index}@example.com", "wrong password!").status_code == 401
        assert sign_in(web, console_owner.email).status_code == 429


@pytest.mark.sqlite_only
def test_next_path_is_kept_but_never_leaves_the_console(app, console_owner):
    with client(app) as web:
        page = web.get("/console/sign-in?next=/console/cards")
        answer = web.post("/console/sign-in", data={"email": console_owner.email, "password": PASSWORD,
                                                    "next": "//evil.example/", "csrf": csrf_of(page.text)})
    assert answer.headers["location"] == "/console/dashboard"
    assert 'value="/console/cards"' in page.text


@pytest.mark.sqlite_only
def test_sign_in_page_sends_a_signed_in_owner_on(web):
    answer = web.get("/console/sign-in?next=/console/cards")
    assert answer.status_code == 303 and answer.headers["location"] == "/console/cards"


@pytest.mark.sqlite_only
def test_console_stays_out_of_the_api_docs(app):
    with client(app) as web:
        paths = web.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/console")]


@pytest.mark.sqlite_only
def test_sign_out_ends_the_session(web):
    answer = web.post("/console/sign-out", data={"csrf": form_csrf(web)})
    assert answer.status_code == 303
    assert web.get("/console/dashboard").status_code == 303


def test_sign_out_everywhere_ends_other_sessions(app, console_owner, web):
    with client(app) as phone:
        assert sign_in(phone, console_owner.email).status_code == 303
        assert phone.get("/console/dashboard").status_code == 200
        answer = web.post("/console/sign-out-everywhere", data={"csrf": form_csrf(web)})
        assert answer.headers["location"] == "/console/sign-in?notice=signed_out_everywhere"
        assert phone.get("/console/dashboard").status_code == 303
    assert web.get("/console/dashboard").status_code == 303


@pytest.mark.sqlite_only
def test_totp_second_factor(app, hub_engine, console_owner):
    secret = owners.new_totp_secret()
    owners.set_totp_secret(hub_engine, console_owner.account_id, secret)
    with client(app) as web:
        assert sign_in(web, console_owner.email).status_code == 401
        assert sign_in(web, console_owner.email, code="000000" if owners.totp(secret) != "000000"
                       else "111111").status_code == 401
        assert sign_in(web, console_owner.email, code=owners.totp(secret)).status_code == 303


def test_totp_matches_rfc_6238_vectors():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits there; the last 6 here.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert owners.totp(secret, at=59) == "287082"
    assert owners.totp(secret, at=1111111109) == "081804"
    assert owners.totp(secret, at=2000000000) == "279037"


def test_numbers_follow_the_language():
    from sync.hub.console.i18n import number
    assert number("en", 1234567) == "1,234,567" and number("id", 1234567) == "1.234.567"


@pytest.mark.sqlite_only
def test_language_switch_sticks(web):
    answer = web.post("/console/language", data={"language": "id", "back": "/console/cards",
                                                 "csrf": form_csrf(web)})
    assert answer.headers["location"] == "/console/cards"
    page = web.get("/console/cards", headers={"Accept-Language": "en"})
    assert '<html lang="id">' in page.text and "Cari kartu" in page.text


def test_dashboard_shows_tills_and_figures(hub, hub_engine, merchant, web, tmp_path):
    _terminal_id, _code = till_with_history(hub.url, hub_engine, merchant.store_id, tmp_path / "till.db")
    page = web.get("/console/dashboard").text
    assert "Front till" in page and "Online" in page
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert figures["Stamps given"] == "3" and figures["Points earned"] == "120"
    assert figures["Points spent"] == "50" and figures["Redemptions"] == "1"
    assert figures["New cards"] == "1" and figures["Active cards"] == "1"
    assert page.count('<rect class="stamps"') == 30 and "<svg" in page


def test_create_store_and_pairing_code_with_qr(hub, web, hub_engine, console_owner):
    answer = web.post("/console/stores", data={"name": "Station kiosk", "csrf": form_csrf(web)})
    assert answer.status_code == 303
    store = next(s for s in reports.list_stores(hub_engine, console_owner.merchant_id) if s["name"] == "Station kiosk")
    page = web.post(f"/console/stores/{store['store_id']}/pairing",
                    data={"name": "Kiosk till", "csrf": form_csrf(web)})
    assert page.status_code == 200
    code = re.search(r'<p class="code">([0-9A-Z-]+)</p>', page.text).group(1)
    assert "<svg" in page.text and "<path" in page.text
    # The code is a real one: a till pairs with it, into the new store.
    with HubClient(hub.url) as anonymous:
        anonymous.pair(code, str(uuid.uuid4()))
    store = next(s for s in reports.list_stores(hub_engine, console_owner.merchant_id) if s["name"] == "Station kiosk")
    assert [t["name"] for t in store["terminals"]] == ["Kiosk till"]


@pytest.mark.sqlite_only
def test_empty_store_name_is_a_clear_error(web, hub_engine, console_owner):
    answer = web.post("/console/stores", data={"name": "  ", "csrf": form_csrf(web)})
    assert answer.status_code == 422 and "1 to 200 characters" in answer.text
    assert len(reports.list_stores(hub_engine, console_owner.merchant_id)) == 1


def test_revoke_a_till(hub, hub_engine, merchant, web, tmp_path):
    terminal_id, _ = till_with_history(hub.url, hub_engine, merchant.store_id, tmp_path / "till.db")
    assert f'href="/console/terminals/{terminal_id}/revoke"' in web.get("/console/stores").text
    confirm = web.get(f"/console/terminals/{terminal_id}/revoke")
    assert confirm.status_code == 200 and "Front till" in confirm.text
    assert reports.list_stores(hub_engine, merchant.merchant_id)[0]["terminals"][0]["revoked_at"] is None
    answer = web.post(f"/console/terminals/{terminal_id}/revoke", data={"csrf": csrf_of(confirm.text)})
    assert answer.headers["location"] == "/console/stores?notice=till_revoked"
    till = reports.list_stores(hub_engine, merchant.merchant_id)[0]["terminals"][0]
    assert till["revoked_at"] is not None
    assert "Revoked" in web.get("/console/stores").text


def test_card_search_and_page_with_running_balance(hub, hub_engine, merchant, web, tmp_path):
    _, code = till_with_history(hub.url, hub_engine, merchant.store_id, tmp_path / "till.db")
    for query in ("siti", code[:4], "RAHAYU"):
        found = web.get("/console/cards", params={"q": query}).text
        assert f'href="/console/cards/{code}"' in found, query
    assert "No card matches." in web.get("/console/cards", params={"q": "nobody%_"}).text
    page = web.get(f"/console/cards/{code}").text
    assert "Siti Rahayu" in page and "Front till" in page
    after = re.findall(r'data-label="Balance after"><span class="nowrap">(\d+) Stamps</span> · '
                       r'<span class="nowrap">(\d+) Points</span><', page)
    assert after == [("3", "70"), ("3", "120"), ("3", "0"), ("0", "0")]
    assert "show all" not in page   # 4 entries: all shown


def test_another_merchants_records_are_404(hub, hub_engine, merchant, web, tmp_path):
    other = make_merchant(hub_engine, "Other shop", "Their store")
    their_till, their_card = till_with_history(hub.url, hub_engine, other.store_id, tmp_path / "them.db")
    assert web.get(f"/console/cards/{their_card}").status_code == 404
    assert their_card not in web.get("/console/cards", params={"q": "siti"}).text
    csrf = form_csrf(web)
    assert web.post(f"/console/stores/{other.store_id}/pairing",
                    data={"name": "Sneaky", "csrf": csrf}).status_code == 404
    assert web.post(f"/console/terminals/{their_till}/revoke", data={"csrf": csrf}).status_code == 404
    assert web.get(f"/console/terminals/{their_till}/revoke").status_code == 404
    assert reports.list_stores(hub_engine, other.merchant_id)[0]["terminals"][0]["revoked_at"] is None
    assert "Their store" not in web.get("/console/stores").text


@pytest.mark.sqlite_only
def test_owner_api_tokens_still_work(app, merchant, web):
    answer = web.get("/api/v1/stores", headers={"Authorization": f"Bearer {merchant.owner_token}"})
    assert answer.status_code == 200 and answer.json()[0]["name"] == "Main"


@pytest.mark.sqlite_only
def test_static_files_are_served(app):
    with client(app) as web:
        css = web.get("/console/static/console.css")
    assert css.status_code == 200 and "prefers-color-scheme: dark" in css.text


@pytest.mark.sqlite_only
def test_add_owner_refuses_bad_input(hub_engine, merchant, console_owner):
    for email, password, problem in [("not-an-email", PASSWORD, "not an email"),
                                     ("x@y.example", "short", "10 to 1024"),
                                     (console_owner.email.upper(), PASSWORD, "already has an account")]:
        with pytest.raises(admin.AdminError, match=problem):
            owners.add_owner(hub_engine, merchant.merchant_id, email, password)


def test_overdraft_listed_with_its_entries_and_resolved_with_a_note(hub, hub_engine, merchant, web, tmp_path):
    card = double_spend(hub.url, hub_engine, merchant.store_id, tmp_path)
    page = web.get("/console/overdrafts").text
    overdraft_id = int(re.search(r'action="/console/overdrafts/(\d+)/resolve"', page).group(1))
    assert f'href="/console/cards/{card}"' in page and "Open" in page
    assert page.count("Reward") == 2   # both redemptions that met are shown
    csrf = form_csrf(web, "/console/overdrafts")
    path = f"/console/overdrafts/{overdraft_id}/resolve"
    assert web.post(path, data={"note": "called Budi"}).status_code == 403
    blank = web.post(path, data={"note": "  ", "csrf": csrf})
    assert blank.status_code == 422 and "1 to 500 characters" in blank.text
    assert "resolve\"" in web.get("/console/overdrafts").text   # still open
    done = web.post(path, data={"note": "Called Budi: 60 points forgiven", "csrf": csrf})
    assert done.headers["location"] == "/console/overdrafts?notice=overdraft_resolved"
    after = web.get("/console/overdrafts").text
    assert "Called Budi: 60 points forgiven" in after and "owner@corner.example" in after
    assert 'action="/console/overdrafts/' not in after
    # The owner API still lists it, unchanged for scripts.
    api = web.get("/api/v1/overdrafts", headers={"Authorization": f"Bearer {merchant.owner_token}"})
    assert [o["card"] for o in api.json()["overdrafts"]] == [card]


def test_another_merchants_overdraft_cannot_be_resolved(hub, hub_engine, web, tmp_path):
    other = make_merchant(hub_engine, "Other shop", "Their store")
    double_spend(hub.url, hub_engine, other.store_id, tmp_path)
    from sync.hub.overdraft_resolution import list_overdrafts
    theirs = list_overdrafts(hub_engine, other.merchant_id)[0]["overdraft_id"]
    answer = web.post(f"/console/overdrafts/{theirs}/resolve",
                      data={"note": "not mine", "csrf": form_csrf(web)})
    assert answer.status_code == 404
    assert list_overdrafts(hub_engine, other.merchant_id)[0]["resolved_at"] is None
    assert "No overdrafts" in web.get("/console/overdrafts").text


def test_account_page_turns_on_the_second_factor(web, app, hub_engine, console_owner):
    page = web.get("/console/account").text
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page).group(1)
    assert "<svg" in page and secret in page
    path = "/console/account/totp"
    assert web.post(path, data={"secret": secret, "code": owners.totp(secret)}).status_code == 403
    wrong = "000000" if owners.totp(secret) != "000000" else "111111"
    refused = web.post(path, data={"secret": secret, "code": wrong, "csrf": form_csrf(web)})
    assert refused.status_code == 422 and "not right for this key" in refused.text
    assert owners.find_account(hub_engine, console_owner.email).totp is False
    done = web.post(path, data={"secret": secret, "code": owners.totp(secret), "csrf": form_csrf(web)})
    assert done.headers["location"] == "/console/account?notice=totp_on"
    assert owners.find_account(hub_engine, console_owner.email).totp is True
    with client(app) as laptop:
        assert sign_in(laptop, console_owner.email).status_code == 401
        assert sign_in(laptop, console_owner.email, code=owners.totp(secret)).status_code == 303


def test_account_page_adds_a_co_owner_of_the_same_merchant(web, app, hub_engine, console_owner):
    csrf = form_csrf(web, "/console/account")
    short = web.post("/console/account/owners", data={"email": "ani@corner.example", "password": "short",
                                                      "csrf": csrf})
    assert short.status_code == 422 and "10 to 1024 characters" in short.text
    added = web.post("/console/account/owners", data={"email": "ani@corner.example", "password": PASSWORD,
                                                      "csrf": csrf})
    assert added.headers["location"] == "/console/account?notice=owner_added"
    assert "ani@corner.example" in web.get("/console/account").text
    assert owners.find_account(hub_engine, "ani@corner.example").merchant_id == console_owner.merchant_id
    with client(app) as other:
        assert sign_in(other, "ani@corner.example").status_code == 303


def test_an_idle_or_expired_session_ends(web, hub_engine):
    import sqlalchemy as sa

    from sync.hub.schema import owner_sessions
    long_ago = (datetime.now(UTC) - owners.IDLE - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with hub_engine.begin() as conn:
        conn.execute(sa.update(owner_sessions).values(last_seen_at=long_ago))
    assert web.get("/console/dashboard").status_code == 303
    with hub_engine.begin() as conn:
        conn.execute(sa.update(owner_sessions).values(last_seen_at=admin.utc_iso(), expires_at=long_ago))
    assert web.get("/console/dashboard").status_code == 303
    with hub_engine.begin() as conn:
        conn.execute(sa.update(owner_sessions).values(expires_at="9999-01-01T00:00:00.000000Z"))
    assert web.get("/console/dashboard").status_code == 200
