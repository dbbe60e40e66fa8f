"""The account page's second factor: turn it on, replace the authenticator, turn it off.

Replacing or turning off asks for the password and a code of the current
authenticator on top of the session: a session left open on a shared
computer (or stolen) must not be enough to take the second factor away or
move it to an app someone else holds. Each try counts against the sign-in
guessing budget (security.SignInThrottle: per client address and per
account, in the database, counted before the checks), so these forms give
no more guesses at a password or code than the sign-in form does; wrong
tries here make sign-in to the account wait too, as wrong sign-ins would.

Turning off is allowed, for the signed-in owner's own account only: the
forms name no account, so one co-owner can never weaken another's sign-in.
It asks for both factors, exactly what signing in asks for, so it gives
someone who could not sign in nothing; and an owner moving to a phone
without an authenticator app is not stuck with it. An owner who lost the
phone cannot give a code: whoever runs the hub turns it off with
``loyalty-hub owners reset-totp EMAIL`` (cli.py).

The console keeps no audit trail of account changes (its audit log shows
what the tills and the hub's records did), so each change goes to the hub's
log instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from sync.hub import owners
from sync.hub.console.i18n import translator
from sync.hub.console.pages import Csrf, back, language_of, refused, signed_in_owner
from sync.hub.console.routes import _account
from sync.hub.console.security import csrf_ok
from sync.hub.limits import client_address

router = APIRouter(prefix="/console", include_in_schema=False)
log = logging.getLogger(__name__)

Code = Annotated[str, Form(max_length=12)]
Password = Annotated[str, Form(max_length=owners.MAX_PASSWORD)]
Secret = Annotated[str, Form(max_length=64)]


@router.post("/account/totp", response_class=HTMLResponse)
def turn_on_totp(request: Request, secret: Secret = "", code: Code = "", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    t = translator(language_of(request))
    if account.totp:   # else a session alone could swap the secret: replacing asks for the old code
        return _account(request, account, 409, error=t("totp_already_on"))
    if not owners.valid_totp_secret(secret) or not owners.verify_totp(secret, code):
        return _account(request, account, 422, totp_secret=secret if owners.valid_totp_secret(secret)
                        else owners.new_totp_secret(), error_key="totp_wrong")
    owners.set_totp_secret(request.app.state.engine, account.account_id, secret)
    log.info("console owner %s turned the second factor on", account.email)
    return back("/console/account", "totp_on")


@router.get("/account/totp/replace", response_class=HTMLResponse, response_model=None)
def replace_page(request: Request) -> Response:
    """The account page with a new key (QR and text) and the form that confirms it."""
    account = signed_in_owner(request)
    if not account.totp:
        return back("/console/account")
    return _account(request, account, totp_secret=owners.new_totp_secret(), totp_replacing=True)


@router.post("/account/totp/replace", response_class=HTMLResponse)
def replace_totp(request: Request, secret: Secret = "", password: Password = "", old_code: Code = "",
                 new_code: Code = "", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    t = translator(language_of(request))
    if not account.totp:
        return _account(request, account, 409, error=t("totp_not_on"))
    if not owners.valid_totp_secret(secret):   # a tampered form, not a guess: nothing counted
        return _again(request, account, 422, t("totp_bad_key"), owners.new_totp_secret())
    refusal = _prove(request, account, password, old_code, t)
    if refusal is not None:
        return _again(request, account, refusal[0], refusal[1], secret, refusal[2])
    if not owners.verify_totp(secret, new_code):
        return _again(request, account, 422, t("totp_new_code_wrong"), secret)
    owners.set_totp_secret(request.app.state.engine, account.account_id, secret)
    log.info("console owner %s replaced the authenticator of the second factor", account.email)
    return back("/console/account", "totp_replaced")


@router.post("/account/totp/off", response_class=HTMLResponse)
def turn_off_totp(request: Request, password: Password = "", code: Code = "", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    t = translator(language_of(request))
    if not account.totp:
        return _account(request, account, 409, error=t("totp_not_on"))
    refusal = _prove(request, account, password, code, t)
    if refusal is not None:
        response = _account(request, account, refusal[0], error=refusal[1])
        response.headers.update(refusal[2])
        return response
    owners.set_totp_secret(request.app.state.engine, account.account_id, None)
    log.warning("console owner %s turned the second factor off", account.email)
    return back("/console/account", "totp_turned_off")


def _prove(request: Request, account: owners.Account, password: str, code: str,
           t: Callable[..., str]) -> tuple[int, str, dict[str, str]] | None:
    """None when ``password`` and ``code`` are the signed-in owner's, else (status, message, headers).

    The try is counted before the checks, like a sign-in, and given back
    (with the account's earlier wrong tries) when both are right.
    """
    throttle = request.app.state.console_throttle
    address = client_address(request)
    wait = throttle.take(address, account.email)
    if wait:
        return 429, t("totp_too_many", minutes=max(1, -(-wait // 60))), {"Retry-After": str(wait)}
    engine = request.app.state.engine
    found = owners.check_password(engine, account.email, password)
    if found is None or found.account_id != account.account_id \
            or not owners.check_totp(engine, account.account_id, code):
        return 422, t("totp_proof_wrong"), {}
    throttle.succeeded(address, account.email)
    return None


def _again(request: Request, account: owners.Account, status: int, error: str, secret: str,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """The replacement form again, with the same new key: the new app need not scan it twice."""
    response = _account(request, account, status, error=error, totp_secret=secret, totp_replacing=True)
    response.headers.update(headers or {})
    return response
