"""The customer page: ``/c/{token}``, open to anyone holding the card, no sign-in, no script, no cookie.

The token (ledger_chain/customer_token.py, checked by sync/hub/customer_tokens.py)
is printed as the card's second QR; whatever does not open a card (not a
token, forged, another card's signature, a revoked till, the merchant's page
switched off) is the same 404 page. Every request counts against a budget
per client address (429 past it). The language is the browser's
(Accept-Language: English or Indonesian). ``manifest.webmanifest`` beside
each page makes it installable to a phone's home screen, opening that card.

Also here, for signed-in owners: the switch on the account page, and the
QR of a card's page made with the hub's own key (for a card enrolled at the
hub, or to send a customer the link).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup

from sync.hub import customer_tokens
from sync.hub.console.i18n import number, pick_language, translator
from sync.hub.console.pages import Csrf, back, not_found, page, qr_svg, refused, signed_in_owner
from sync.hub.console.security import csrf_ok
from sync.hub.customer_view import customer_view
from sync.hub.limits import client_address

STATIC = Path(__file__).parent / "static" / "customer"
ASSETS = {"customer.css": "text/css", "icon.svg": "image/svg+xml", "icon-192.png": "image/png",
          "icon-512.png": "image/png"}

# No script, no framing; the token is in the address, so no Referer carries it anywhere.
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; manifest-src 'self'; "
                               "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}

router = APIRouter(include_in_schema=False)


def _budget(request: Request) -> customer_tokens.RequestBudget:
    state = request.app.state
    if getattr(state, "customer_page_budget", None) is None:
        state.customer_page_budget = customer_tokens.RequestBudget()
    return state.customer_page_budget


def _render(request: Request, template: str, status: int, **context: object) -> HTMLResponse:
    language = pick_language(None, request.headers.get("accept-language"))
    t = translator(language)

    def day(value: date) -> str:
        return f"{value.day} {t('customer_months').split()[value.month - 1]} {value.year}"

    html = request.app.state.console_templates.get_template(template).render(
        t=t, lang=language, num=lambda value: number(language, value), day=day, **context)
    response = HTMLResponse(html, status_code=status)
    response.headers.update(HEADERS)
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language"
    return response


def _gone(request: Request) -> HTMLResponse:
    return _render(request, "customer_missing.html", 404)


def _limited(request: Request) -> HTMLResponse | None:
    wait = _budget(request).take(client_address(request))
    if not wait:
        return None
    response = _render(request, "customer_missing.html", 429, wait=wait)
    response.headers["Retry-After"] = str(wait)
    return response


@router.get("/c/assets/{name}")
def asset(name: str) -> Response:
    if name not in ASSETS:
        return Response(status_code=404)
    return FileResponse(STATIC / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"})


@router.get("/c/{token}", response_class=HTMLResponse)
@router.get("/c/{token}/", response_class=HTMLResponse)
def customer_page(request: Request, token: str) -> HTMLResponse:
    limited = _limited(request)
    if limited is not None:
        return limited
    engine = request.app.state.engine
    card = customer_tokens.card_of_token(engine, token)
    view = customer_view(engine, card.merchant_id, card.code) if card else None
    if view is None:
        return _gone(request)
    return _render(request, "customer.html", 200, view=view, token=token)


@router.get("/c/{token}/manifest.webmanifest")
def manifest(request: Request, token: str) -> Response:
    limited = _limited(request)
    if limited is not None:
        return limited
    if customer_tokens.card_of_token(request.app.state.engine, token) is None:
        return _gone(request)
    return Response((STATIC / "manifest.webmanifest").read_bytes(), media_type="application/manifest+json",
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


# ---- for signed-in owners ---------------------------------------------------------------

@router.post("/console/account/customer-page")
def switch_customer_page(request: Request, enabled: Annotated[str, Form(max_length=5)] = "",
                         csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    on = enabled == "on"
    customer_tokens.set_page_enabled(request.app.state.engine, account.merchant_id, on)
    return back("/console/account", "customer_page_switched_on" if on else "customer_page_switched_off")


@router.get("/console/cards/{code}/customer-page", response_class=HTMLResponse)
def card_customer_qr(request: Request, code: str) -> HTMLResponse:
    """The QR of a card's page signed with the hub's key, for the owner to show or send."""
    account = signed_in_owner(request)
    engine = request.app.state.engine
    code = code.upper()
    if not (len(code) == 10 and code.isalnum()) or customer_view(engine, account.merchant_id, code) is None:
        return not_found(request, account)
    token = customer_tokens.hub_token(engine, account.merchant_id, request.app.state.hub_key(), code)
    url = str(request.base_url).rstrip("/") + f"/c/{token}"
    return page(request, "customer_qr.html", account=account, code=code, url=url, qr=Markup(qr_svg(url)),
                enabled=customer_tokens.page_enabled(engine, account.merchant_id))
