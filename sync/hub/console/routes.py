"""The console's pages and forms under ``/console``.

Every page but sign-in needs a signed-in owner (else a redirect to sign-in);
every form needs its CSRF token (else 403, nothing changed); every record
is looked up within the owner's merchant (another merchant's is 404).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from sync.hub import admin, customer_tokens, overdraft_resolution, owners
from sync.hub.console import data
from sync.hub.console.chart import daily_chart
from sync.hub.console.i18n import LANGUAGES, translator
from sync.hub.console.pages import (
    Csrf,
    Notice,
    SignInRequired,
    back,
    language_of,
    not_found,
    page,
    qr_svg,
    refused,
    safe_next,
    settings,
    signed_in_owner,
)
from sync.hub.console.refusals import said
from sync.hub.console.security import (
    LANGUAGE_COOKIE,
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    csrf_ok,
    set_cookie,
)
from sync.hub.limits import client_address

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/console/dashboard", status_code=303)


@router.get("/sign-in", response_class=HTMLResponse, response_model=None)
def sign_in_page(request: Request, next: Annotated[str, Query(max_length=200)] = "/console/dashboard",
                 notice: Notice = None) -> Response:
    if owners.session_account(request.app.state.engine, request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "sign_in.html", next=safe_next(next), notice=notice)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, email: Annotated[str, Form(max_length=254)] = "",
            password: Annotated[str, Form(max_length=owners.MAX_PASSWORD)] = "",
            code: Annotated[str, Form(max_length=12)] = "",
            next: Annotated[str, Form(max_length=200)] = "/console/dashboard",
            csrf: Csrf = None) -> Response:
    if not csrf_ok(request, csrf):
        return refused(request)
    engine = request.app.state.engine
    address, account_email = client_address(request), owners.normalize_email(email)
    throttle = request.app.state.console_throttle
    wait = throttle.take(address, account_email)   # counted before the checks it pays for
    if wait:
        response = page(request, "sign_in.html", 429, next=safe_next(next), email=email,
                         error_key="too_many_attempts", minutes=max(1, -(-wait // 60)))
        response.headers["Retry-After"] = str(wait)
        return response
    account = owners.check_password(engine, email, password)
    if account is not None and account.totp and not owners.check_totp(engine, account.account_id, code):
        account = None
    if account is None:
        return page(request, "sign_in.html", 401, next=safe_next(next), email=email,
                     error_key="wrong_credentials")
    throttle.succeeded(address, account_email)
    session = owners.start_session(engine, account, client_address(request))
    signed_in = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(signed_in, settings(request), SESSION_COOKIE, session.token,
               max_age=int(owners.LIFETIME.total_seconds()))
    clear_cookie(signed_in, settings(request), PRESESSION_COOKIE)
    return signed_in




@router.post("/sign-out")
def sign_out(request: Request, csrf: Csrf = None) -> Response:
    if not csrf_ok(request, csrf):
        return refused(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        owners.end_session(request.app.state.engine, token)
    response = RedirectResponse("/console/sign-in", status_code=303)
    clear_cookie(response, settings(request), SESSION_COOKIE)
    return response


@router.post("/sign-out-everywhere")
def sign_out_everywhere(request: Request, csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    owners.end_all_sessions(request.app.state.engine, account.account_id)
    response = RedirectResponse("/console/sign-in?notice=signed_out_everywhere", status_code=303)
    clear_cookie(response, settings(request), SESSION_COOKIE)
    return response


@router.post("/language")
def switch_language(request: Request, language: Annotated[str, Form(max_length=5)] = "en",
                    back: Annotated[str, Form(max_length=200)] = "/console/dashboard",
                    csrf: Csrf = None) -> Response:
    if not csrf_ok(request, csrf):
        return refused(request)
    response = RedirectResponse(safe_next(back), status_code=303)
    if language in LANGUAGES:
        set_cookie(response, settings(request), LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600)
    return response


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    account = signed_in_owner(request)
    engine = request.app.state.engine
    now = datetime.now(UTC)
    today = data.merchant_today(engine, account.merchant_id, now)
    series = data.daily_series(engine, account.merchant_id, 30, today)
    t = translator(language_of(request))
    return page(request, "dashboard.html", account=account,
                 stores=data.till_states(engine, account.merchant_id, now),
                 today=data.period_summary(engine, account.merchant_id, today, today),
                 month=data.period_summary(engine, account.merchant_id, today - timedelta(days=29), today),
                 charts=[(t(title), Markup(daily_chart(series, key, t(title), t)))
                         for key, title in (("stamps", "chart_stamps"), ("points", "chart_points"))])


@router.get("/stores", response_class=HTMLResponse)
def stores_page(request: Request, notice: Notice = None) -> HTMLResponse:
    account = signed_in_owner(request)
    return page(request, "stores.html", account=account, notice=notice,
                 stores=data.till_states(request.app.state.engine, account.merchant_id))


@router.post("/stores", response_class=HTMLResponse)
def create_store(request: Request, name: Annotated[str, Form(max_length=400)] = "",
                 csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        admin.add_store(request.app.state.engine, account.merchant_id, name)
    except admin.AdminError as exc:
        return page(request, "stores.html", 422, account=account, error=said(request, exc),
                     stores=data.till_states(request.app.state.engine, account.merchant_id))
    return back("/console/stores", "store_created")


@router.post("/stores/{store_id}/pairing", response_class=HTMLResponse)
def create_pairing(request: Request, store_id: str, name: Annotated[str, Form(max_length=400)] = "",
                   csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    engine = request.app.state.engine
    if not data.merchant_store(engine, account.merchant_id, store_id):
        return not_found(request, account)
    try:
        pairing = admin.add_terminal(engine, store_id, name)
    except admin.AdminError as exc:
        return page(request, "stores.html", 422, account=account, error=said(request, exc),
                     stores=data.till_states(engine, account.merchant_id))
    return page(request, "pairing.html", account=account, pairing=pairing,
                 qr=Markup(qr_svg(pairing.code)))




@router.get("/terminals/{terminal_id}/revoke", response_class=HTMLResponse)
def revoke_till_page(request: Request, terminal_id: str) -> HTMLResponse:
    """Asks first (the console runs no script, so no confirm() dialog)."""
    account = signed_in_owner(request)
    till = data.merchant_till(request.app.state.engine, account.merchant_id, terminal_id)
    if till is None:
        return not_found(request, account)
    return page(request, "revoke.html", account=account, till=till)


@router.post("/terminals/{terminal_id}/revoke")
def revoke_till(request: Request, terminal_id: str, csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        admin.revoke_terminal(request.app.state.engine, terminal_id, account.merchant_id)
    except admin.AdminError:
        return not_found(request, account)
    return back("/console/stores", "till_revoked")


@router.get("/overdrafts", response_class=HTMLResponse)
def overdrafts_page(request: Request,
                    notice: Notice = None) -> HTMLResponse:
    return _overdrafts(request, signed_in_owner(request), notice=notice)


def _overdrafts(request: Request, account: owners.Account, status: int = 200, **context: Any) -> HTMLResponse:
    rows = overdraft_resolution.list_overdrafts(request.app.state.engine, account.merchant_id)
    return page(request, "overdrafts.html", status, account=account, overdrafts=rows, **context)


@router.post("/overdrafts/{overdraft_id}/resolve", response_class=HTMLResponse)
def resolve_overdraft(request: Request, overdraft_id: int, note: Annotated[str, Form(max_length=2000)] = "",
                      csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        overdraft_resolution.resolve_overdraft(request.app.state.engine, account.merchant_id, overdraft_id,
                                               account.email, note)
    except LookupError:
        return not_found(request, account)
    except admin.AdminError as exc:
        return _overdrafts(request, account, 422, error=said(request, exc))
    return back("/console/overdrafts", "overdraft_resolved")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, notice: Notice = None) -> HTMLResponse:
    return _account(request, signed_in_owner(request), notice=notice)


def _account(request: Request, account: owners.Account, status: int = 200, **context: Any) -> HTMLResponse:
    if not account.totp and "totp_secret" not in context:
        context["totp_secret"] = owners.new_totp_secret()
    if "totp_secret" in context:
        uri = owners.totp_uri(context["totp_secret"], account.email)
        context["totp_qr"] = Markup(qr_svg(uri))
    return page(request, "account.html", status, account=account,
                 co_owners=owners.list_accounts(request.app.state.engine, account.merchant_id),
                 customer_page_on=customer_tokens.page_enabled(request.app.state.engine, account.merchant_id),
                 **context)


@router.post("/account/owners", response_class=HTMLResponse)
def add_co_owner(request: Request, email: Annotated[str, Form(max_length=254)] = "",
                 password: Annotated[str, Form(max_length=owners.MAX_PASSWORD)] = "",
                 csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        owners.add_owner(request.app.state.engine, account.merchant_id, email, password)
    except admin.AdminError as exc:
        return _account(request, account, 422, error=said(request, exc))
    return back("/console/account", "owner_added")


def sign_in_redirect(_request: Request, exc: SignInRequired) -> RedirectResponse:
    return RedirectResponse(f"/console/sign-in?next={quote(exc.next_path)}", status_code=303)
