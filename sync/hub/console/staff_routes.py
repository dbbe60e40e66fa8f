"""The console's staff page: per store list, add, deactivate or reactivate, ask for a new PIN.

The changes themselves are sync/hub/console_staff.py's; a member is changed
only through their own store's address, and another store's or merchant's
member is 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from sync.hub import console_staff, owners
from sync.hub.console.i18n import translator
from sync.hub.console.pages import Csrf, Notice, back, language_of, not_found, page, refused, signed_in_owner
from sync.hub.console.security import csrf_ok

router = APIRouter(prefix="/console", include_in_schema=False)

_NOTICES = {"deactivate": "staff_deactivated", "reactivate": "staff_reactivated", "reset-pin": "staff_pin_reset"}


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request, notice: Notice = None) -> HTMLResponse:
    return _staff(request, signed_in_owner(request), notice=notice if notice in _KNOWN_NOTICES else None)


def _staff(request: Request, account: owners.Account, status: int = 200, **context: Any) -> HTMLResponse:
    return page(request, "staff.html", status, account=account, roles=console_staff.ROLES,
                stores=console_staff.store_staff(request.app.state.engine, account.merchant_id), **context)


@router.post("/stores/{store_id}/staff", response_class=HTMLResponse)
def add_staff(request: Request, store_id: str, name: Annotated[str, Form(max_length=400)] = "",
              role: Annotated[str, Form(max_length=16)] = "cashier", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        made = console_staff.add_member(request.app.state.engine, request.app.state.hub_key(), account.merchant_id,
                                        store_id, name, role, account.email)
    except console_staff.StaffRefused as exc:
        return _staff(request, account, 422, error=translator(language_of(request))(exc.key))
    if made is None:
        return not_found(request, account)
    return back("/console/staff", "staff_added")


@router.post("/stores/{store_id}/staff/{staff_id}/{action}", response_class=HTMLResponse)
def change_staff(request: Request, store_id: str, staff_id: str, action: str, csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    if action not in console_staff.ACTIONS:
        return not_found(request, account)
    try:
        made = console_staff.change_member(request.app.state.engine, request.app.state.hub_key(),
                                           account.merchant_id, store_id, staff_id, action,  # type: ignore[arg-type]
                                           account.email)
    except console_staff.StaffRefused as exc:
        return _staff(request, account, 422, error=translator(language_of(request))(exc.key))
    if made is None:
        return not_found(request, account)
    return back("/console/staff", _NOTICES[action])


_KNOWN_NOTICES = {"staff_added", *_NOTICES.values()}
