"""The console's integrations page: integration credentials, webhook endpoints, the delivery log.

Every change goes through the same hub functions as the CLI and the owner
API (``integration_credentials``, ``webhooks``), so the console refuses what
they refuse. A new credential's or endpoint's secret is in the answer to the
form that made it and nowhere else: no redirect carries it, nothing logs it,
the page is not cached (``no-store``). Another merchant's record is 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from sync.hub import admin, audit_log, integration_credentials, owners, webhooks
from sync.hub.console.i18n import translator
from sync.hub.console.pages import Csrf, Notice, back, language_of, not_found, page, refused, signed_in_owner
from sync.hub.console.security import csrf_ok
from sync.hub.db import reading, writing

router = APIRouter(prefix="/console", include_in_schema=False)

HOME = "/console/integrations"
DELIVERIES_SHOWN = 50
STATUSES = ("pending", "delivered", "failed", "cancelled")
_NOTICES = {"integrations_revoked", "integrations_removed", "integrations_replayed"}


def _zone(request: Request, merchant_id: str) -> str:
    # The zone all the merchant's stores share, else UTC (the audit log's rule).
    engine = request.app.state.engine
    return audit_log.filter_zone(audit_log.choices(engine, merchant_id), None, None)


def _home(request: Request, account: owners.Account, status: int = 200, endpoint: str = "", state: str = "",
          **context: Any) -> HTMLResponse:
    engine, m = request.app.state.engine, account.merchant_id
    with reading(engine) as conn:
        every_endpoint = webhooks.list_endpoints(conn, m, removed=True)
        rows = webhooks.list_deliveries(conn, m, endpoint_id=endpoint or None, status=state or None,
                                        limit=DELIVERIES_SHOWN)
    urls = {e.endpoint_id: e for e in every_endpoint}
    context.setdefault("form", {})
    return page(request, "integrations.html", status, account=account,
                credentials=integration_credentials.list_all(engine, m),
                endpoints=[e for e in every_endpoint if e.removed_at is None], known_endpoints=urls,
                deliveries=rows, shown=DELIVERIES_SHOWN, statuses=STATUSES,
                chosen={"endpoint": endpoint, "status": state},
                events=webhooks.EVENT_TYPES, zone=_zone(request, m), **context)


def _refused_form(request: Request, account: owners.Account, reason: str, **form: Any) -> HTMLResponse:
    """The page again with what the owner typed and the hub's reason: 422, nothing written."""
    t = translator(language_of(request))
    return _home(request, account, 422, error=t("integrations_refused", reason=reason), form=form)


@router.get("/integrations", response_class=HTMLResponse)
def integrations_page(request: Request, notice: Notice = None,
                      endpoint: Annotated[str, Query(max_length=36)] = "",
                      status: Annotated[str, Query(max_length=16)] = "") -> HTMLResponse:
    account = signed_in_owner(request)
    if status and status not in STATUSES:
        t = translator(language_of(request))
        return _home(request, account, 422, error=t("integrations_bad_status"))
    if endpoint:
        with reading(request.app.state.engine) as conn:
            known = {e.endpoint_id for e in webhooks.list_endpoints(conn, account.merchant_id, removed=True)}
        if endpoint not in known:
            return not_found(request, account)
    return _home(request, account, endpoint=endpoint, state=status,
                 notice=notice if notice in _NOTICES else None)


# ---- credentials ---------------------------------------------------------------

@router.post("/integrations/credentials", response_class=HTMLResponse)
def create_credential(request: Request, name: Annotated[str, Form(max_length=400)] = "",
                      scope: Annotated[str, Form(max_length=16)] = "write", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        # The owner API's rule for a name (no control characters); create() itself does not check it.
        t = translator(language_of(request))
        return _home(request, account, 422, error=t("integrations_name_control"), form={"name": name, "scope": scope})
    try:
        made = integration_credentials.create(request.app.state.engine, account.merchant_id, name, scope)
    except admin.AdminError as exc:
        return _refused_form(request, account, str(exc), name=name, scope=scope)
    # The secret is in this answer only: not a redirect, so it is in no URL, no history, no log.
    return page(request, "integrations_secret.html", account=account, kind="credential", name=name.strip(),
                scope=made.scope, secret=made.secret, ident=made.credential_id)


def _credential(request: Request, merchant_id: str,
                credential_id: str) -> integration_credentials.CredentialInfo | None:
    found = integration_credentials.list_all(request.app.state.engine, merchant_id)
    return next((c for c in found if c.credential_id == credential_id), None)


@router.get("/integrations/credentials/{credential_id}/revoke", response_class=HTMLResponse)
def revoke_credential_page(request: Request, credential_id: str) -> HTMLResponse:
    account = signed_in_owner(request)
    found = _credential(request, account.merchant_id, credential_id)
    if found is None or found.revoked_at is not None:
        return not_found(request, account)
    return page(request, "integrations_confirm.html", account=account, kind="credential", credential=found,
                action=f"{HOME}/credentials/{found.credential_id}/revoke")


@router.post("/integrations/credentials/{credential_id}/revoke", response_class=HTMLResponse)
def revoke_credential(request: Request, credential_id: str, csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    if _credential(request, account.merchant_id, credential_id) is None:
        return not_found(request, account)
    try:
        integration_credentials.revoke(request.app.state.engine, account.merchant_id, credential_id)
    except admin.AdminError:
        return not_found(request, account)
    return back(HOME, "integrations_revoked")


# ---- webhook endpoints -----------------------------------------------------------

@router.post("/integrations/endpoints", response_class=HTMLResponse)
def add_endpoint(request: Request, url: Annotated[str, Form(max_length=webhooks.MAX_URL + 200)] = "",
                 events: Annotated[list[str] | None, Form()] = None,
                 description: Annotated[str, Form(max_length=400)] = "", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    chosen = events or []
    try:
        with writing(request.app.state.engine) as conn:
            made = webhooks.add_endpoint(conn, account.merchant_id, url, chosen, description.strip() or None)
    except webhooks.WebhookError as exc:
        return _refused_form(request, account, str(exc), url=url, events=chosen, description=description)
    return page(request, "integrations_secret.html", account=account, kind="endpoint", name=made.url,
                secret=made.secret, ident=made.endpoint_id, events_chosen=made.events)


def _endpoint(request: Request, merchant_id: str, endpoint_id: str) -> webhooks.Endpoint | None:
    with reading(request.app.state.engine) as conn:
        live = webhooks.list_endpoints(conn, merchant_id)
    return next((e for e in live if e.endpoint_id == endpoint_id), None)


@router.get("/integrations/endpoints/{endpoint_id}/remove", response_class=HTMLResponse)
def remove_endpoint_page(request: Request, endpoint_id: str) -> HTMLResponse:
    account = signed_in_owner(request)
    found = _endpoint(request, account.merchant_id, endpoint_id)
    if found is None:
        return not_found(request, account)
    return page(request, "integrations_confirm.html", account=account, kind="endpoint", endpoint=found,
                action=f"{HOME}/endpoints/{found.endpoint_id}/remove")


@router.post("/integrations/endpoints/{endpoint_id}/remove", response_class=HTMLResponse)
def remove_endpoint(request: Request, endpoint_id: str, csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    if _endpoint(request, account.merchant_id, endpoint_id) is None:
        return not_found(request, account)
    try:
        with writing(request.app.state.engine) as conn:
            webhooks.remove_endpoint(conn, account.merchant_id, endpoint_id)
    except webhooks.WebhookError:
        return not_found(request, account)
    return back(HOME, "integrations_removed")


# ---- the delivery log --------------------------------------------------------------

@router.post("/integrations/deliveries/{delivery_id}/replay", response_class=HTMLResponse)
def replay_delivery(request: Request, delivery_id: str, csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        with writing(request.app.state.engine) as conn:
            # The exact id (webhooks.replay also takes a prefix, which a form never sends).
            if not webhooks.list_deliveries(conn, account.merchant_id, delivery_id=delivery_id):
                return not_found(request, account)
            webhooks.replay(conn, account.merchant_id, delivery_id)
    except webhooks.WebhookNotFound:
        return not_found(request, account)
    except webhooks.WebhookError as exc:
        return _refused_form(request, account, str(exc))
    return back(HOME, "integrations_replayed")
