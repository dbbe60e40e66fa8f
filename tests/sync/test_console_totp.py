"""The second factor after it is on: replace the authenticator, turn it off, and the CLI rescue.

Real hub app and database through FastAPI's test client (SQLite; PostgreSQL too with LOYALTY_TEST_PG_URL
for the replacement itself), real TOTP codes from the clock, the real sign-in guessing budget.
"""

from __future__ import annotations

import io
import re
import time

import pytest
import sqlalchemy as sa
from console_helpers import PASSWORD, add_owner, client, csrf_of, form_csrf, sign_in

from sync.hub import cli, owners
from sync.hub.db import create_hub_engine
from sync.hub.schema import owner_accounts

REPLACE = "/console/account/totp/replace"
OFF = "/console/account/totp/off"


def wrong_code(secret: str) -> str:
    """A code no authenticator with ``secret`` shows around now (the hub accepts the step before and after)."""
    now = time.time()
    near = {owners.totp(secret, now + drift) for drift in range(-90, 91, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444") if code not in near)


def stored_secret(engine, account_id: str) -> tuple[str | None, str | None]:
    with engine.connect() as conn:
        row = conn.execute(sa.select(owner_accounts.c.totp_secret, owner_accounts.c.totp_secret_wrapped)
                           .where(owner_accounts.c.account_id == account_id)).one()
    return row.totp_secret, row.totp_secret_wrapped


@pytest.fixture
def old_secret(web, hub_engine, console_owner) -> str:
    """The signed-in owner's second factor, turned on (after the ``web`` client signed in)."""
    secret = owners.new_totp_secret()
    owners.set_totp_secret(hub_engine, console_owner.account_id, secret)
    return secret


def start_replacement(web) -> tuple[str, str]:
    """Opens the replacement form: (the new key it shows, the form's CSRF token)."""
    page = web.get(REPLACE)
    assert page.status_code == 200, page.text
    secret = re.search(r'action="/console/account/totp/replace".*?name="secret" value="([A-Z2-7]+)"',
                       page.text, re.S).group(1)
    assert "<svg" in page.text and f">{secret}</code>" in page.text   # QR and text, as turning on shows
    return secret, csrf_of(page.text)


def test_replace_then_only_the_new_authenticator_signs_in(web, app, hub_engine, console_owner, old_secret):
    assert "/console/account/totp/replace" in web.get("/console/account").text
    new_secret, csrf = start_replacement(web)
    assert new_secret != old_secret
    done = web.post(REPLACE, data={"secret": new_secret, "password": PASSWORD, "old_code": owners.totp(old_secret),
                                   "new_code": owners.totp(new_secret), "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/console/account?notice=totp_replaced"
    assert "Authenticator replaced" in web.get(done.headers["location"]).text
    clear, wrapped = stored_secret(hub_engine, console_owner.account_id)
    assert clear is None and wrapped and new_secret not in wrapped   # wrapped, never in clear
    with client(app) as laptop:
        assert sign_in(laptop, console_owner.email, code=owners.totp(old_secret)).status_code == 401
        assert sign_in(laptop, console_owner.email, code=owners.totp(new_secret)).status_code == 303


@pytest.mark.sqlite_only
@pytest.mark.parametrize("factor", ["password", "old_code", "new_code"])
def test_each_wrong_factor_is_refused_and_nothing_changes(web, hub_engine, console_owner, old_secret, factor):
    before = stored_secret(hub_engine, console_owner.account_id)
    new_secret, csrf = start_replacement(web)
    sent = {"secret": new_secret, "password": PASSWORD, "old_code": owners.totp(old_secret),
            "new_code": owners.totp(new_secret), "csrf": csrf}
    sent[factor] = "not the password" if factor == "password" else wrong_code(
        old_secret if factor == "old_code" else new_secret)
    refused = web.post(REPLACE, data=sent)
    assert refused.status_code == 422
    expected = "not right for the new key" if factor == "new_code" else "Wrong password, or wrong code"
    assert expected in refused.text and "Nothing was changed" in refused.text
    assert f'name="secret" value="{new_secret}"' in refused.text   # the same new key: no second scan
    assert stored_secret(hub_engine, console_owner.account_id) == before
    in_indonesian = web.post(REPLACE, data=sent, headers={"Accept-Language": "id-ID,id;q=0.9"})
    assert in_indonesian.status_code == 422 and "Tidak ada yang diubah" in in_indonesian.text
    assert stored_secret(hub_engine, console_owner.account_id) == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("path", [REPLACE, OFF])
def test_the_sign_in_budget_stops_guessing_codes_on_the_form(web, app, hub_engine, console_owner, old_secret, path):
    before = stored_secret(hub_engine, console_owner.account_id)
    new_secret, csrf = start_replacement(web)
    guesses = iter(f"{n:06d}" for n in range(100000, 999999, 7919))
    tried = 0
    while True:
        guess = next(guesses)
        if owners.verify_totp(old_secret, guess):
            continue
        fields = {"old_code": guess, "new_code": owners.totp(new_secret), "secret": new_secret} if path == REPLACE \
            else {"code": guess}
        answer = web.post(path, data={**fields, "password": PASSWORD, "csrf": csrf})
        if answer.status_code == 429:
            break
        assert answer.status_code == 422
        tried += 1
        assert tried <= 5, "the form took more guesses than the sign-in budget allows"
    assert tried == 5   # ConsoleSettings.attempts_per_account
    assert int(answer.headers["retry-after"]) > 0 and "Too many wrong passwords or codes" in answer.text
    right = {"old_code": owners.totp(old_secret), "new_code": owners.totp(new_secret), "secret": new_secret} \
        if path == REPLACE else {"code": owners.totp(old_secret)}
    assert web.post(path, data={**right, "password": PASSWORD, "csrf": csrf}).status_code == 429
    assert stored_secret(hub_engine, console_owner.account_id) == before
    with client(app) as laptop:   # the same budget as signing in: that waits too
        assert sign_in(laptop, console_owner.email, code=owners.totp(old_secret)).status_code == 429


@pytest.mark.sqlite_only
def test_right_factors_give_the_budget_back(web, app, console_owner, old_secret):
    csrf = form_csrf(web, "/console/account")
    for _ in range(4):
        answer = web.post(OFF, data={"password": "not the password", "code": owners.totp(old_secret), "csrf": csrf})
        assert answer.status_code == 422
    done = web.post(OFF, data={"password": PASSWORD, "code": owners.totp(old_secret), "csrf": csrf})
    assert done.headers["location"] == "/console/account?notice=totp_turned_off"
    with client(app) as laptop:   # the four wrong tries were forgotten: five more sign-ins are allowed
        for _ in range(5):
            assert sign_in(laptop, console_owner.email, "wrong password!").status_code == 401


@pytest.mark.sqlite_only
def test_turn_off_then_the_page_offers_to_turn_it_on_again(web, app, hub_engine, console_owner, old_secret):
    csrf = form_csrf(web, "/console/account")
    assert web.post(OFF, data={"password": PASSWORD, "code": wrong_code(old_secret), "csrf": csrf}).status_code == 422
    assert owners.find_account(hub_engine, console_owner.email).totp is True
    done = web.post(OFF, data={"password": PASSWORD, "code": owners.totp(old_secret), "csrf": csrf})
    assert done.status_code == 303
    assert stored_secret(hub_engine, console_owner.account_id) == (None, None)
    page = web.get(done.headers["location"]).text
    assert "signing in asks only for your password" in page
    assert 'action="/console/account/totp"' in page and "<svg" in page   # the turn-on form again
    assert web.get(REPLACE).headers["location"] == "/console/account"   # nothing to replace
    assert web.post(OFF, data={"password": PASSWORD, "code": "123456", "csrf": csrf}).status_code == 409
    with client(app) as laptop:
        assert sign_in(laptop, console_owner.email).status_code == 303


@pytest.mark.sqlite_only
def test_turning_on_again_while_on_is_refused(web, hub_engine, console_owner, old_secret):
    # Turning on never swaps a secret: that would replace the authenticator without the old code.
    other = owners.new_totp_secret()
    answer = web.post("/console/account/totp", data={"secret": other, "code": owners.totp(other),
                                                     "csrf": form_csrf(web, "/console/account")})
    assert answer.status_code == 409 and "already on" in answer.text
    assert owners.check_totp(hub_engine, console_owner.account_id, owners.totp(old_secret))


@pytest.mark.sqlite_only
@pytest.mark.parametrize("path", [REPLACE, OFF])
def test_forms_without_the_csrf_token_are_refused(web, hub_engine, console_owner, old_secret, path):
    before = stored_secret(hub_engine, console_owner.account_id)
    new_secret, _ = start_replacement(web)
    fields = {"secret": new_secret, "password": PASSWORD, "old_code": owners.totp(old_secret),
              "new_code": owners.totp(new_secret), "code": owners.totp(old_secret)}
    for token in (None, "0" * 40):
        answer = web.post(path, data={**fields, **({"csrf": token} if token else {})})
        assert answer.status_code == 403 and "did not come from this console" in answer.text
    assert stored_secret(hub_engine, console_owner.account_id) == before


@pytest.mark.sqlite_only
def test_a_co_owner_cannot_replace_or_turn_off_anothers_factor(app, hub_engine, console_owner, old_secret):
    co_owner = add_owner(hub_engine, console_owner.merchant_id, "ani@corner.example")
    own_secret = owners.new_totp_secret()
    owners.set_totp_secret(hub_engine, co_owner.account_id, own_secret)
    before = stored_secret(hub_engine, console_owner.account_id)
    with client(app) as ani:
        assert sign_in(ani, co_owner.email, code=owners.totp(own_secret)).status_code == 303
        csrf = form_csrf(ani, "/console/account")
        new_secret = owners.new_totp_secret()
        # The other owner's code (and an account id slipped into the form) changes nobody's factor.
        for path, fields in ((OFF, {"code": owners.totp(old_secret)}),
                             (REPLACE, {"secret": new_secret, "old_code": owners.totp(old_secret),
                                        "new_code": owners.totp(new_secret)})):
            answer = ani.post(path, data={**fields, "password": PASSWORD, "csrf": csrf,
                                          "account_id": console_owner.account_id})
            assert answer.status_code == 422, path
    assert stored_secret(hub_engine, console_owner.account_id) == before
    assert owners.check_totp(hub_engine, co_owner.account_id, owners.totp(own_secret))
    with client(app) as laptop:
        assert sign_in(laptop, console_owner.email, code=owners.totp(old_secret)).status_code == 303


def _cli(db, argv, monkeypatch, stdin: str = ""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["--database-url", f"sqlite:///{db}", *argv])


def test_cli_reset_totp_turns_it_off_and_ends_the_sessions(tmp_path, monkeypatch, capsys):
    db = tmp_path / "hub.db"
    assert _cli(db, ["init", "--merchant", "Toko"], monkeypatch) == 0
    assert _cli(db, ["owners", "add", "owner@toko.example", "--password-stdin", "--totp"], monkeypatch,
                "a long password\n") == 0
    engine = create_hub_engine(f"sqlite:///{db}")
    try:
        account = owners.find_account(engine, "owner@toko.example")
        session = owners.start_session(engine, account)   # say, on the lost phone
        capsys.readouterr()
        assert _cli(db, ["owners", "reset-totp", "Owner@Toko.example"], monkeypatch) == 0
        out = capsys.readouterr().out
        assert "second factor of owner@toko.example: turned off; 1 console session(s) ended" in out
        assert "turn it on again on the account page" in out
        assert owners.find_account(engine, "owner@toko.example").totp is False
        assert stored_secret(engine, account.account_id) == (None, None)
        assert owners.session_account(engine, session.token) is None
        assert owners.check_password(engine, "owner@toko.example", "a long password") is not None
        assert _cli(db, ["owners", "reset-totp", "owner@toko.example"], monkeypatch) == 0
        assert "already off; nothing changed" in capsys.readouterr().out
        assert _cli(db, ["owners", "reset-totp", "nobody@toko.example"], monkeypatch) == 2
        assert "no owner account 'nobody@toko.example' on this hub" in capsys.readouterr().err
    finally:
        engine.dispose()
