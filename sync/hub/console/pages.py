"""What every console page and form shares: the signed-in owner, rendering, refusals.

Each area of the console keeps its routes in a module of its own with its
own ``APIRouter(prefix="/console")`` (registered in ``mount_console``) and
builds its pages from these helpers, so every page gets the same headers,
CSRF token, language and sign-in rule.
"""

from __future__ import annotations

from typing import Annotated, Any

import qrcode
import qrcode.image.svg
from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sync.hub import owners
from sync.hub.console.i18n import LANGUAGE_NAMES, LANGUAGES, number, pick_language, translator
from sync.hub.console.security import (
    LANGUAGE_COOKIE,
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    ConsoleSettings,
    csrf_seed,
    csrf_token,
    new_presession,
    set_cookie,
)
from sync.hub.console.times import local_time

CardCode = Annotated[str, Query(max_length=40)]
Csrf = Annotated[str | None, Form()]
Notice = Annotated[str | None, Query(max_length=40)]

# No script at all, styles only from the package, no framing (clickjacking), no caching of pages.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def settings(request: Request) -> ConsoleSettings:
    return request.app.state.console_settings


def signed_in_owner(request: Request) -> owners.Account:
    """The owner of this session, else ``SignInRequired`` (a redirect to sign-in)."""
    account = owners.session_account(request.app.state.engine, request.cookies.get(SESSION_COOKIE))
    if account is None:
        raise SignInRequired(request.url.path)
    return account


def language_of(request: Request) -> str:
    return pick_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def page(request: Request, template: str, status: int = 200, account: owners.Account | None = None,
         **context: Any) -> HTMLResponse:
    language = language_of(request)
    seed = csrf_seed(request)
    presession = None
    if seed is None:
        presession = seed = new_presession()
    html = request.app.state.console_templates.get_template(template).render(
        t=translator(language), num=lambda value: number(language, value), lang=language,
        languages=LANGUAGES, language_names=LANGUAGE_NAMES, local_time=local_time,
        csrf=csrf_token(seed), account=account, path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    response.headers.update(PAGE_HEADERS)
    if presession is not None:
        set_cookie(response, settings(request), PRESESSION_COOKIE, presession)
    return response


def refused(request: Request) -> HTMLResponse:
    """A form without its CSRF token (or with another session's): 403, nothing changed."""
    return page(request, "message.html", 403, message_key="csrf_refused")


def not_found(request: Request, account: owners.Account) -> HTMLResponse:
    """Also the answer for another merchant's record: 404 tells nothing about it."""
    return page(request, "message.html", 404, account=account, message_key="not_found")


def back(path: str, notice: str | None = None) -> RedirectResponse:
    """After a form: see the page again (303), with a notice key from the catalogue."""
    return RedirectResponse(path + (f"?notice={notice}" if notice else ""), status_code=303)


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.split("?>", 1)[-1]   # inline in the page: no XML declaration


def safe_next(path: str) -> str:
    # Only a console path: never a redirect to another site.
    return path if path.startswith("/console/") and "//" not in path and "\\" not in path \
        else "/console/dashboard"
