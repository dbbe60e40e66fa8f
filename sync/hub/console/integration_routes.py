"""The console's integrations page: integration credentials, webhook endpoints, the delivery log.

Every change goes through the same hub functions as the CLI and the owner
API (``integration_credentials``, ``webhooks``), so the console refuses what
they refuse. A new credential's or endpoint's secret is in the answer to the
form that made it and nowhere else: no redirect carries it, nothing logs it,
the page is not cached (``no-store``). Another merchant's record is 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sync.hub import admin, audit_log, delivery_attempts, delivery_log, integration_credentials, owners, webhooks
from sync.hub.console import integration_refusals
from sync.hub.console.i18n import translator
from sync.hub.console.pages import Csrf, Notice, back, language_of, not_found, page, refused, signed_in_owner
from sync.hub.console.security import csrf_ok
from sync.hub.console.times import local_time
from sync.hub.db import reading, writing

router = APIRouter(prefix="/console", include_in_schema=False)

HOME = "/console/integrations"
STATUSES = delivery_log.STATUSES
_NOTICES = {"integrations_revoked", "integrations_removed", "integrations_replayed"}
# The log's query string: its filters and cursor (kept by the links and by a replay's way back).
_LOG_KEYS = ("endpoint", "event", "status", "from", "to", "before", "after")

Short = Annotated[str, Query(max_length=40)]
CursorText = Annotated[str, Query(max_length=80)]


def _zone(request: Request, merchant_id: str) -> str:
    # The zone all the merchant's stores share, else UTC (the audit log's rule).
    engine = request.app.state.engine
    return audit_log.filter_zone(audit_log.choices(engine, merchant_id), None, None)


def said_at(value: str | None, zone: str, t: Any) -> str:
    """``30 Nov 2026, 19:15 WIB`` / ``30 Nov 2026, 19.15 WIB``: a wire time in the zone, in the page's words."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        shown = moment.astimezone(ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return local_time(value, zone)
    month = t("integrations_months").split()[shown.month - 1]
    return t("integrations_at", day=shown.day, month=month, year=shown.year, hour=f"{shown.hour:02d}",
             minute=f"{shown.minute:02d}", zone=shown.tzname() or "UTC")


def _log_page(request: Request, merchant_id: str, chosen: dict[str, str], zone: str) -> delivery_log.LogPage:
    """The page the query string asks for; LogQueryError names what is wrong with it."""
    if chosen["status"] and chosen["status"] not in STATUSES:
        raise delivery_log.LogQueryError("integrations_bad_status")
    if chosen["event"] and chosen["event"] not in webhooks.EVENT_TYPES:
        raise delivery_log.LogQueryError("integrations_bad_event")
    if chosen["before"] and chosen["after"]:
        raise delivery_log.LogQueryError("integrations_bad_cursor")
    try:
        since, until = audit_log.day_range(chosen["from"], chosen["to"], zone)
    except audit_log.AuditQueryError as exc:
        raise delivery_log.LogQueryError(exc.key) from None
    before = delivery_log.Cursor.parse(chosen["before"]) if chosen["before"] else None
    after = delivery_log.Cursor.parse(chosen["after"]) if chosen["after"] else None
    wanted = delivery_log.LogFilter(endpoint_id=chosen["endpoint"] or None, event_type=chosen["event"] or None,
                                    status=chosen["status"] or None, since=since, until=until)
    with reading(request.app.state.engine) as conn:
        return delivery_log.page(conn, merchant_id, wanted, before=before, after=after, size=delivery_log.PAGE_SIZE)


def _link(kept: dict[str, str], **cursor: str) -> str:
    query = urlencode({**{k: v for k, v in kept.items() if v and k not in ("before", "after")}, **cursor})
    return f"{HOME}?{query}#deliveries" if query else f"{HOME}#deliveries"


def _home(request: Request, account: owners.Account, status: int = 200, chosen: dict[str, str] | None = None,
          **context: Any) -> HTMLResponse:
    engine, m = request.app.state.engine, account.merchant_id
    t = translator(language_of(request))
    chosen = {k: "" for k in _LOG_KEYS} | (chosen or {})
    with reading(engine) as conn:
        every_endpoint = webhooks.list_endpoints(conn, m, removed=True)
    urls = {e.endpoint_id: e for e in every_endpoint}
    zone = _zone(request, m)
    log = delivery_log.LogPage([])
    try:
        log = _log_page(request, m, chosen, zone)
    except delivery_log.LogQueryError as exc:
        status, context["error"] = 422, t(exc.key)
    context.setdefault("form", {})
    return page(request, "integrations.html", status, account=account,
                credentials=integration_credentials.list_all(engine, m),
                endpoints=[e for e in every_endpoint if e.removed_at is None], known_endpoints=urls,
                deliveries=log.rows, statuses=STATUSES, chosen=chosen, per_page=delivery_log.PAGE_SIZE,
                older_link=_link(chosen, before=log.older.text()) if log.older else None,
                newer_link=_link(chosen, after=log.newer.text()) if log.newer else None,
                newest_link=_link(chosen) if log.newer else None,
                here=urlencode({k: v for k, v in chosen.items() if v}),
                events=webhooks.EVENT_TYPES, zone=zone, said_at=lambda value: said_at(value, zone, t), **context)


def _refused_form(request: Request, account: owners.Account, reason: str, **form: Any) -> HTMLResponse:
    """The page again with what the owner typed and the hub's reason in the page's words: 422, nothing written."""
    t = translator(language_of(request))
    return _home(request, account, 422, error=integration_refusals.say(t, reason), form=form)


@router.get("/integrations", response_class=HTMLResponse)
def integrations_page(request: Request, notice: Notice = None,
                      endpoint: Annotated[str, Query(max_length=36)] = "",
                      event: Short = "", status: Annotated[str, Query(max_length=16)] = "",
                      date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
                      date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
                      before: CursorText = "", after: CursorText = "") -> HTMLResponse:
    account = signed_in_owner(request)
    if endpoint:
        with reading(request.app.state.engine) as conn:
            known = {e.endpoint_id for e in webhooks.list_endpoints(conn, account.merchant_id, removed=True)}
        if endpoint not in known:
            return not_found(request, account)
    chosen = {"endpoint": endpoint, "event": event, "status": status, "from": date_from, "to": date_to,
              "before": before, "after": after}
    return _home(request, account, chosen=chosen, notice=notice if notice in _NOTICES else None)


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

def _way_back(text: str) -> str:
    """The log page a replay was asked from: only the log's own keys, each a short value (no other site)."""
    kept = {k: v for k, v in parse_qsl(text[:400]) if k in _LOG_KEYS and len(v) <= 80}
    return urlencode({**kept, "notice": "integrations_replayed"})


def _log_keys(request: Request) -> dict[str, str]:
    """The log page a delivery's page was opened from (its filters and cursor), to go back to it."""
    return {k: v for k, v in request.query_params.items() if k in _LOG_KEYS and len(v) <= 80}


@router.get("/integrations/deliveries/{delivery_id}", response_class=HTMLResponse)
def delivery_page(request: Request, delivery_id: Annotated[str, Path(max_length=36)]) -> HTMLResponse:
    """One delivery and every try of it, first first; its replays; the way back to the log page it came from."""
    account = signed_in_owner(request)
    engine, m = request.app.state.engine, account.merchant_id
    with reading(engine) as conn:
        found = delivery_log.delivery(conn, m, delivery_id)
        if found is None:
            return not_found(request, account)
        tries = delivery_attempts.of_delivery(conn, m, delivery_id)
        replays = delivery_log.replays(conn, m, delivery_id)
        target = next((e for e in webhooks.list_endpoints(conn, m, removed=True)
                       if e.endpoint_id == found["endpoint_id"]), None)
    zone = _zone(request, m)
    t = translator(language_of(request))
    kept = _log_keys(request)
    here = urlencode(kept)
    return page(request, "integrations_delivery.html", account=account, d=found, tries=tries, replays=replays,
                target=target, zone=zone, said_at=lambda value: said_at(value, zone, t),
                outcome=delivery_attempts.outcome, keep=delivery_attempts.KEEP_PER_DELIVERY, here=here,
                log_link=f"{HOME}?{here}#deliveries" if here else f"{HOME}#deliveries")


@router.post("/integrations/deliveries/{delivery_id}/replay", response_class=HTMLResponse)
def replay_delivery(request: Request, delivery_id: str, csrf: Csrf = None,
                    here: Annotated[str, Form(max_length=400)] = "") -> Response:
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
    return RedirectResponse(f"{HOME}?{_way_back(here)}", status_code=303)
