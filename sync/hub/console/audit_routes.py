"""The console's audit log page: what happened at the merchant's tills and hub, filterable, newest first.

The query is ``sync.hub.audit_log``; this module reads the filter, refuses a
bad one with a sentence saying what to fix (422, no rows), and says each
row's kind and details in the owner's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from sync.hub import audit_log
from sync.hub.console.i18n import translator
from sync.hub.console.pages import language_of, page, signed_in_owner
from sync.hub.console.times import local_time

router = APIRouter(prefix="/console", include_in_schema=False)

Short = Annotated[str, Query(max_length=64)]
DateText = Annotated[str, Query(max_length=10)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, store: Short = "", till: Short = "", kind: Short = "", staff: Short = "",
               card: Annotated[str, Query(max_length=40)] = "",
               date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
               date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
               after: Annotated[str, Query(max_length=120)] = "",
               size: Annotated[str, Query(max_length=4)] = "") -> HTMLResponse:
    account = signed_in_owner(request)
    engine = request.app.state.engine
    t = translator(language_of(request))
    found = audit_log.choices(engine, account.merchant_id)
    chosen = {"store": store, "till": till, "kind": kind, "staff": staff, "card": card,
              "from": date_from, "to": date_to}
    zone = audit_log.filter_zone(found, store or None, till or None)
    context: dict[str, Any] = {"choices": found, "chosen": chosen, "groups": audit_log.GROUPS, "zone": zone}
    try:
        wanted = _filter(found, chosen, zone)
        cursor = audit_log.Cursor.parse(after) if after else None
        per_page = _size(size)
        result = audit_log.page(engine, account.merchant_id, wanted, cursor, per_page, zone)
    except audit_log.AuditQueryError as exc:
        return page(request, "audit.html", 422, account=account, rows=[], next_link=None, newest_link=None,
                    error=t(exc.key, most=audit_log.MAX_PAGE_SIZE) if exc.key == "audit_bad_size" else t(exc.key),
                    **context)
    kept = {k: v for k, v in {**chosen, "size": size}.items() if v}
    rows = [_shown(row, t) for row in result.rows]
    return page(request, "audit.html", account=account, rows=rows,
                next_link=("/console/audit?" + urlencode({**kept, "after": result.next_cursor})
                           if result.next_cursor else None),
                newest_link=("/console/audit?" + urlencode(kept)) if after else None, **context)


def _filter(found: dict[str, Any], chosen: dict[str, str], zone: str) -> audit_log.AuditFilter:
    if chosen["store"] and chosen["store"] not in {s["store_id"] for s in found["stores"]}:
        raise audit_log.AuditQueryError("audit_unknown_store")
    if chosen["staff"] and chosen["staff"] not in {s["staff_id"] for s in found["staff"]}:
        raise audit_log.AuditQueryError("audit_unknown_staff")
    if chosen["kind"] and chosen["kind"] not in audit_log.GROUPS:
        raise audit_log.AuditQueryError("audit_unknown_kind")
    since, until = audit_log.day_range(chosen["from"], chosen["to"], zone)
    return audit_log.AuditFilter(store_id=chosen["store"] or None, terminal_id=chosen["till"] or None,
                                 group=chosen["kind"] or None, staff_id=chosen["staff"] or None,
                                 card=audit_log.normalize_card(chosen["card"]), since=since, until=until)


def _size(text: str) -> int:
    if not text:
        return audit_log.PAGE_SIZE
    if not text.isdigit() or not 1 <= int(text) <= audit_log.MAX_PAGE_SIZE:
        raise audit_log.AuditQueryError("audit_bad_size")
    return int(text)


def _shown(row: dict[str, Any], t: Any) -> dict[str, Any]:
    """The row with its kind and details said in words."""
    kind = row["kind"]
    title = t("audit_kind_" + kind) if row["known_kind"] else t("audit_kind_unknown", kind=kind)
    who = row["owner"] or row["staff_name"] or (t("audit_owner_at_hub") if row["at_hub"] else None)
    about = t("audit_about", name=row["subject_staff_name"]) if row["subject_staff_name"] else None
    if kind == "record_refused" and row["subject_staff_name"]:   # the staff member's name, not their id
        row = {**row, "details": {**row["details"], "key": row["subject_staff_name"]}}
    return {**row, "title": title, "who": who, "about": about,
            "when": local_time(row["at"], row["timezone"]), "what": _what(row, t)}


def _signed(value: int) -> str:
    return f"{value:+d}"


def _what(row: dict[str, Any], t: Any) -> str:
    kind = row["kind"]
    say = _SAYINGS.get(kind) or (_flag if kind.startswith("flag_") else _plain)
    return " · ".join(p for p in say(row["details"], t, row["timezone"]) if p)


def _attempts(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    return [t("audit_what_attempts", n=d["attempts"])] if "attempts" in d else []


def _locked(d: dict[str, Any], t: Any, zone: str) -> list[str]:
    if d.get("disabled") or not d.get("until"):
        return [t("audit_what_disabled")]
    return [t("audit_what_locked_until", until=local_time(str(d["until"]).replace(" ", "T"), zone))]


def _cleared(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    return [t("audit_what_cleared", n=d["failed"])] if "failed" in d else []


def _refused_action(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    return [t("audit_what_refused", action=d.get("action", "?"), message=d.get("message", ""))]


def _change(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    said = [t("audit_what_change", stamps=_signed(d["stamps"]), points=_signed(d["points"]))]
    return said + ([t("audit_what_reason", reason=d["reason"])] if d.get("reason") else [])


def _refused_record(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    return [t("audit_refusal_" + d["code"]), t("audit_stream_" + d["stream"], name=d["key"])]


def _resolved(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    return [t("audit_kind_flag_" + d["flag_kind"]), t("audit_what_note", note=d["note"] or "")]


def _flag(d: dict[str, Any], t: Any, _zone: str) -> list[str]:
    said = ([t("audit_what_change", stamps=_signed(d["stamps"]), points=_signed(d["points"]))]
            if d["stamps"] or d["points"] else [])
    return [*said, t("audit_what_balance", stamps=d["stamps_balance"], points=d["points_balance"])]


def _plain(d: dict[str, Any], _t: Any, _zone: str) -> list[str]:
    return [", ".join(f"{k}: {v}" for k, v in sorted(d.items()))[:200]]


_SAYINGS: dict[str, Callable[[dict[str, Any], Any, str], list[str]]] = {
    "pin_failed": _attempts, "staff_locked": _locked, "pin_failures_cleared": _cleared,
    "action_refused": _refused_action, "void": _change, "adjust": _change,
    "record_refused": _refused_record, "flag_resolved": _resolved,
}
