"""The console's cards: search, the card page, and the owner's actions on a card.

Every action (adjust, suspend, block, reactivate, replace) is a two-step
form, because the console runs no script: the first post checks it and
shows a confirmation page stating the consequence ("Ana Lima: 120 → 170
points"); the second post, with ``confirmed``, writes it (console_cards.py).
A refusal shows the card page again with what is wrong and the till's error
code, and writes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from sync.hub import console_cards, owners
from sync.hub.console import data
from sync.hub.console.i18n import MESSAGES, translator
from sync.hub.console.pages import (
    CardCode,
    Csrf,
    Notice,
    back,
    language_of,
    not_found,
    page,
    refused,
    signed_in_owner,
)
from sync.hub.console.refusals import fits
from sync.hub.console.security import csrf_ok
from terminal.domain.codes import format_code
from terminal.domain.errors import ErrorCode, LoyaltyError

router = APIRouter(prefix="/console", include_in_schema=False)

HISTORY_PAGE = 50
Reason = Annotated[str, Form(max_length=2000)]     # longer than the rule allows: refused with a message
Number = Annotated[str, Form(max_length=12)]
Confirmed = Annotated[str, Form(max_length=1)]


def _code(code: str) -> str | None:
    return code.upper() if len(code) == 10 and code.isascii() and code.isalnum() else None


def _card(request: Request, account: owners.Account, code: str) -> dict[str, Any] | None:
    wanted = _code(code)
    return data.card_page(request.app.state.engine, account.merchant_id, wanted) if wanted else None


def _whole(text: str) -> int:
    cleaned = text.strip().replace(" ", "").replace("\u2212", "-")   # the minus sign people paste
    if not cleaned:
        return 0
    try:
        return int(cleaned, 10)
    except ValueError:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "Changes are whole numbers, like 50 or -20.",
                           why="not_whole") from None


def _refusal_text(request: Request, exc: LoyaltyError) -> str:
    t = translator(language_of(request))
    why = exc.details.get("why") or ("bad_code" if exc.code == ErrorCode.INVALID_CARD_CODE
                                     else "bad_text" if "field" in exc.details else None)   # check_text's
    params = {k: v for k, v in exc.details.items() if k != "why"}
    if why is None or f"cards_refusal_{why}" not in MESSAGES["en"] or not fits(f"cards_refusal_{why}", params):
        # no words yet (or not its details): its English, still shown
        return t("cards_refused", text=t("refusal_unworded", reason=exc.message), code=exc.code.value)
    return t("cards_refused", text=t("cards_refusal_" + why, **params), code=exc.code.value)


def _card_view(request: Request, account: owners.Account, found: dict[str, Any], status: int = 200,
               show_all: bool = False, **context: Any) -> HTMLResponse:
    total = len(found["entries"])
    shown = found["entries"] if show_all else found["entries"][:HISTORY_PAGE]
    trail = console_cards.card_actions(request.app.state.engine, account.merchant_id, found["card"]["code"])
    return page(request, "card.html", status, account=account, card=found["card"], entries=shown, total=total,
                trail=trail, timezone=found["timezone"], shown_code=format_code(found["card"]["code"]),
                **context)


@router.get("/cards", response_class=HTMLResponse)
def cards_page(request: Request, q: CardCode = "") -> HTMLResponse:
    account = signed_in_owner(request)
    found = data.search_cards(request.app.state.engine, account.merchant_id, q) if q.strip() else None
    return page(request, "cards.html", account=account, q=q, cards=found)


@router.get("/cards/{code}", response_class=HTMLResponse)
def card_page(request: Request, code: str, all: Annotated[bool, Query()] = False,
              notice: Notice = None) -> HTMLResponse:
    account = signed_in_owner(request)
    found = _card(request, account, code)
    if found is None:
        return not_found(request, account)
    return _card_view(request, account, found, show_all=all, notice=notice)


@router.post("/cards/{code}/adjust", response_class=HTMLResponse)
def adjust(request: Request, code: str, points: Number = "", stamps: Number = "", reason: Reason = "",
           confirmed: Confirmed = "", seen_stamps: Number = "", seen_points: Number = "",
           csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    found = _card(request, account, code)
    if found is None:
        return not_found(request, account)
    card = found["card"]["code"]
    form = {"points": points, "stamps": stamps, "reason": reason}
    engine = request.app.state.engine
    try:
        change = (_whole(stamps), _whole(points))
        if confirmed != "1":
            plan = console_cards.preview_adjust(engine, account.merchant_id, card, *change, reason)
            return _confirm_adjust(request, account, found, plan)
        seen = (_whole(seen_stamps), _whole(seen_points))
        console_cards.adjust(engine, request.app.state.hub_key(), account.merchant_id, card, *change, reason,
                             account.email, seen=seen)
    except console_cards.BalanceMoved as moved:
        return _confirm_adjust(request, account, found, moved.plan, moved=True)
    except LoyaltyError as exc:
        if exc.code == ErrorCode.CARD_NOT_FOUND:
            return not_found(request, account)
        return _card_view(request, account, found, 422, error=_refusal_text(request, exc), form=form,
                          failed="adjust")
    return back(f"/console/cards/{card}", "cards_adjusted")


def _confirm_adjust(request: Request, account: owners.Account, found: dict[str, Any],
                    plan: console_cards.Adjustment, moved: bool = False) -> HTMLResponse:
    return page(request, "card_confirm.html", account=account, card=found["card"],
                shown_code=format_code(found["card"]["code"]), action="adjust", plan=plan, moved=moved,
                fields={"stamps": plan.stamps, "points": plan.points, "reason": plan.reason,
                        "seen_stamps": plan.before[0], "seen_points": plan.before[1]})


@router.post("/cards/{code}/status", response_class=HTMLResponse)
def change_status(request: Request, code: str, status: Annotated[str, Form(max_length=16)] = "",
                  reason: Reason = "", confirmed: Confirmed = "", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    found = _card(request, account, code)
    if found is None:
        return not_found(request, account)
    card = found["card"]["code"]
    engine = request.app.state.engine
    try:
        if confirmed != "1":
            cleaned = console_cards.preview_status(engine, account.merchant_id, card, status, reason)
            return page(request, "card_confirm.html", account=account, card=found["card"],
                        shown_code=format_code(card), action="status", wanted=status,
                        fields={"status": status, "reason": cleaned})
        console_cards.set_status(engine, request.app.state.hub_key(), account.merchant_id, card, status, reason,
                                 account.email)
    except LoyaltyError as exc:
        if exc.code == ErrorCode.CARD_NOT_FOUND:
            return not_found(request, account)
        return _card_view(request, account, found, 422, error=_refusal_text(request, exc),
                          form={"reason": reason, "status": status}, failed="status")
    return back(f"/console/cards/{card}", "cards_status_" + status)


@router.post("/cards/{code}/replace", response_class=HTMLResponse)
def replace(request: Request, code: str, new_code: Annotated[str, Form(max_length=40)] = "",
            reason: Reason = "", confirmed: Confirmed = "", csrf: Csrf = None) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    found = _card(request, account, code)
    if found is None:
        return not_found(request, account)
    card = found["card"]["code"]
    engine = request.app.state.engine
    try:
        if confirmed != "1":
            new, moving = console_cards.preview_replace(engine, account.merchant_id, card, new_code, reason)
            return page(request, "card_confirm.html", account=account, card=found["card"],
                        shown_code=format_code(card), action="replace",
                        new_shown=format_code(new) if new else None, moving=moving,
                        fields={"new_code": new or "", "reason": console_cards.check_reason(reason)})
        done = console_cards.replace_card(engine, request.app.state.hub_key(), account.merchant_id, card,
                                          new_code, reason, account.email)
    except LoyaltyError as exc:
        if exc.code == ErrorCode.CARD_NOT_FOUND:
            return not_found(request, account)
        return _card_view(request, account, found, 422, error=_refusal_text(request, exc),
                          form={"reason": reason, "new_code": new_code}, failed="replace")
    return back(f"/console/cards/{done.new}", "cards_replaced")
