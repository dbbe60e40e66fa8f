"""The console's Programs pages: every program with its last change, and one program's forms.

Each form saves one part (rules, a reward, the tiers, a campaign) through
``sync.hub.console_programs``; a refused form shows the page again with what
to change, and nothing is written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from sync.hub import console_programs as cp
from sync.hub.console import program_refusals
from sync.hub.console.pages import Csrf, Notice, back, language_of, not_found, page, refused, signed_in_owner
from sync.hub.console.security import csrf_ok
from sync.protocol import ProgramSettings
from terminal.domain.campaigns import Campaign
from terminal.domain.errors import LoyaltyError
from terminal.domain.money import format_money
from terminal.domain.programs import ProgramKind, format_multiplier

router = APIRouter(prefix="/console", include_in_schema=False)

Text = Annotated[str, Form(max_length=200)]
Texts = Annotated[list[str], Form()]
MAX_ROWS = 50  # tier rows and weekdays a form may send


def money_text(minor: int, currency: str, language: str) -> str:
    """1,000 IDR / 1.00 EUR in English; 1.000 IDR / 1,00 EUR in Indonesian."""
    text = format_money(minor, currency)
    return text.translate(str.maketrans(",.", ".,")) if language == "id" else text


def amount_field(minor: int | None, digits: int) -> str:
    """An amount as typed in a form (1000, 1.00); empty for none."""
    if minor is None:
        return ""
    if not digits:
        return str(minor)
    whole, fraction = divmod(minor, 10**digits)
    return f"{whole}.{fraction:0{digits}d}"


def _campaign_state(campaign: Campaign, now: datetime, facts: cp.Facts) -> str:
    if campaign.ended is not None and now >= campaign.ended:
        return "ended"
    if campaign.is_over(now, facts.tz):
        return "over"
    return "running" if campaign.is_active(now, facts.tz) else "scheduled"


def _view(request: Request, found: dict[str, Any]) -> dict[str, Any]:
    record: ProgramSettings = found["record"]
    facts: cp.Facts = found["facts"]
    s, kind, language = record.settings, ProgramKind(record.kind), language_of(request)
    step = s.get("earn_per_minor") or 10**facts.digits
    now = datetime.now(UTC)
    campaigns: list[dict[str, Any]] = []
    for stored in s.get("campaigns") or ():
        try:
            campaign = Campaign.from_settings(stored)
        except LoyaltyError:
            continue  # a newer till's kind: shown by the tills that know it
        campaigns.append({"c": campaign, "state": _campaign_state(campaign, now, facts),
                          "multiplier": format_multiplier(campaign.multiplier_percent),
                          "min_spend": money_text(campaign.min_spend_minor, facts.currency, language)})
    campaigns.sort(key=lambda c: (c["state"] in ("over", "ended"), c["c"].first_day))
    return {
        "program": record, "settings": s, "kind": kind, "facts": facts, "changed": found["changed"],
        "rate": {"points": s.get("points_per_unit") or 0, "amount": money_text(step, facts.currency, language)},
        "earn_per": amount_field(step, facts.digits),
        "min_amount": amount_field(s.get("min_amount_minor") or 0, facts.digits),
        "rewards": sorted(s.get("rewards") or (), key=lambda r: (not r.get("active", True), r.get("name", ""))),
        "stock": found["stock"],
        "tiers": [{**t, "shown": format_multiplier(t["multiplier_percent"])} for t in s.get("tiers") or ()],
        "campaigns": campaigns, "campaign_kinds": [k.value for k in cp.campaign_kinds(kind)],
        "today": now.astimezone(facts.tz).date().isoformat(),
    }


@router.get("/programs", response_class=HTMLResponse)
def programs_page(request: Request) -> HTMLResponse:
    account = signed_in_owner(request)
    return page(request, "programs.html", account=account,
                programs=cp.programs_of(request.app.state.engine, account.merchant_id))


def _program_page(request: Request, account: Any, program_id: str, status: int = 200,
                  **extra: Any) -> HTMLResponse:
    try:
        found = cp.program_of(request.app.state.engine, account.merchant_id, program_id)
    except cp.ProgramNotFound:
        return not_found(request, account)
    return page(request, "program.html", status, account=account, **_view(request, found), **extra)


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(request: Request, program_id: str, notice: Notice = None) -> HTMLResponse:
    return _program_page(request, signed_in_owner(request), program_id, notice=notice)


def _save(request: Request, program_id: str, csrf: str | None, edit: cp.Edit, anchor: str) -> Response:
    account = signed_in_owner(request)
    if not csrf_ok(request, csrf):
        return refused(request)
    try:
        cp.change(request.app.state.engine, request.app.state.hub_key(), account.merchant_id, program_id,
                  account.email, edit)
    except cp.ProgramNotFound:
        return not_found(request, account)
    except LoyaltyError as exc:
        said = program_refusals.say(language_of(request), exc.message)
        return _program_page(request, account, program_id, 422, error=said)
    return back(f"/console/programs/{program_id}", "programs_saved" + (f"#{anchor}" if anchor else ""))


@router.post("/programs/{program_id}/rules", response_class=HTMLResponse)
def save_rules(request: Request, program_id: str, name: Text = "", stamps_target: Text = "",
               points_per_unit: Text = "", earn_per: Text = "", min_amount: Text = "", max_points: Text = "",
               expiry_days: Text = "", expiry_mode: Text = "age", csrf: Csrf = None) -> Response:
    form = {"name": name, "stamps_target": stamps_target, "points_per_unit": points_per_unit,
            "earn_per": earn_per, "min_amount": min_amount, "max_points": max_points,
            "expiry_days": expiry_days, "expiry_mode": expiry_mode}
    return _save(request, program_id, csrf, cp.rules_edit(form), "")


@router.post("/programs/{program_id}/rewards", response_class=HTMLResponse)
def add_reward(request: Request, program_id: str, name: Text = "", cost_stamps: Text = "",
               cost_points: Text = "", stock: Text = "", csrf: Csrf = None) -> Response:
    form = {"name": name, "cost_stamps": cost_stamps, "cost_points": cost_points, "stock": stock}
    return _save(request, program_id, csrf, cp.reward_edit(None, form), "rewards")


@router.post("/programs/{program_id}/rewards/{reward_id}", response_class=HTMLResponse)
def edit_reward(request: Request, program_id: str, reward_id: str, name: Text = "", cost_stamps: Text = "",
                cost_points: Text = "", stock: Text = "", csrf: Csrf = None) -> Response:
    form = {"name": name, "cost_stamps": cost_stamps, "cost_points": cost_points, "stock": stock}
    return _save(request, program_id, csrf, cp.reward_edit(reward_id, form), "rewards")


@router.post("/programs/{program_id}/rewards/{reward_id}/retire", response_class=HTMLResponse)
def retire_reward(request: Request, program_id: str, reward_id: str, csrf: Csrf = None) -> Response:
    return _save(request, program_id, csrf, cp.reward_retire(reward_id), "rewards")


@router.post("/programs/{program_id}/tiers", response_class=HTMLResponse)
def save_tiers(request: Request, program_id: str, tier_name: Texts = [], tier_points: Texts = [],  # noqa: B006
               tier_multiplier: Texts = [], csrf: Csrf = None) -> Response:  # noqa: B006
    if max(len(tier_name), len(tier_points), len(tier_multiplier)) > MAX_ROWS or \
            len({len(tier_name), len(tier_points), len(tier_multiplier)}) != 1:
        return _save(request, program_id, csrf, _refuse("Send the tiers form as the page shows it."), "tiers")
    rows = [(n[:200], p[:20], m[:20]) for n, p, m in zip(tier_name, tier_points, tier_multiplier, strict=True)]
    return _save(request, program_id, csrf, cp.tiers_edit(rows), "tiers")


@router.post("/programs/{program_id}/campaigns", response_class=HTMLResponse)
def add_campaign(request: Request, program_id: str, kind: Text = "", name: Text = "", first_day: Text = "",
                 last_day: Text = "", starts_at: Text = "", ends_at: Text = "", multiplier: Text = "",
                 points: Text = "", stamps: Text = "", min_spend: Text = "", weekday: Texts = [],  # noqa: B006
                 csrf: Csrf = None) -> Response:
    if len(weekday) > 7:
        return _save(request, program_id, csrf, _refuse("Pick each weekday at most once."), "campaigns")
    form = {"kind": kind, "name": name, "first_day": first_day, "last_day": last_day, "starts_at": starts_at,
            "ends_at": ends_at, "multiplier": multiplier, "points": points, "stamps": stamps,
            "min_spend": min_spend}
    return _save(request, program_id, csrf, cp.campaign_add(form, weekday), "campaigns")


@router.post("/programs/{program_id}/campaigns/{campaign_id}/end", response_class=HTMLResponse)
def end_campaign(request: Request, program_id: str, campaign_id: str, csrf: Csrf = None) -> Response:
    return _save(request, program_id, csrf, cp.campaign_end(campaign_id), "campaigns")


def _refuse(message: str) -> cp.Edit:
    def edit(_draft: dict[str, Any], _facts: cp.Facts, _now: datetime) -> None:
        raise cp.invalid(message)

    return edit

