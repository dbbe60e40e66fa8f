"""The console's period reports: across all stores or one, a day, week, month or custom range,
with charts and CSV/XLSX downloads. Read-only, so its forms are GET forms (no CSRF token to check);
another merchant's store is 404 like any record of theirs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from sync.hub.console import report_data, report_export
from sync.hub.console.chart import comparison_chart, grouped_chart
from sync.hub.console.i18n import translator
from sync.hub.console.pages import PAGE_HEADERS, language_of, not_found, page, signed_in_owner
from sync.hub.console.report_data import FIGURES, PeriodError, Report

router = APIRouter(prefix="/console", include_in_schema=False)

Period = Annotated[str, Query(max_length=10)]
Day = Annotated[str, Query(max_length=10)]
StoreId = Annotated[str, Query(max_length=36)]
COMPARED = ("stamps", "points_earned", "points_spent", "redemptions", "active_members", "new_cards")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class _Asked:
    """What the owner asked for, read from the query: period, days and store."""

    def __init__(self, period: str, day: str, first: str, last: str, store: str) -> None:
        self.period = period or "month"
        self.day_text, self.first_text, self.last_text, self.store = day, first, last, store or None

    def bounds(self, today: date) -> tuple[date, date]:
        day = _date(self.day_text) or today
        return report_data.period_bounds(self.period, day, _date(self.first_text), _date(self.last_text))

    def query(self, first: date, last: date, **changes: str) -> str:
        values = {"period": self.period, "day": first.isoformat(), "first": first.isoformat(),
                  "last": last.isoformat(), "store": self.store or "", **changes}
        return urlencode(values)


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise PeriodError("report_bad_date") from exc


def _neighbours(asked: _Asked, first: date, last: date) -> tuple[str, str]:
    """Query strings of the period before and after (a custom range moves by its length)."""
    if asked.period == "custom":
        length = timedelta(days=(last - first).days + 1)
        return (asked.query(first - length, last - length), asked.query(first + length, last + length))
    before = report_data.period_bounds(asked.period, first - timedelta(days=1))
    after = report_data.period_bounds(asked.period, last + timedelta(days=1))
    return asked.query(*before), asked.query(*after)


def _bounds(request: Request, asked: _Asked) -> tuple[date, date] | str:
    """The days asked for, or the words of what is wrong with them."""
    account = signed_in_owner(request)
    stores = report_data.store_list(request.app.state.engine, account.merchant_id)
    chosen = next((s for s in stores if s.store_id == asked.store), None)
    try:
        return asked.bounds(report_data.today_of(chosen or (stores[0] if stores else None)))
    except PeriodError as exc:
        return translator(language_of(request))(exc.key, **exc.values)


def _build(request: Request, asked: _Asked) -> tuple[Report | None, str | None, tuple[date, date] | None]:
    """The report, or the words of what is wrong with the period asked for."""
    account = signed_in_owner(request)
    bounds = _bounds(request, asked)
    if isinstance(bounds, str):
        return None, bounds, None
    return (report_data.report(request.app.state.engine, account.merchant_id, *bounds, asked.store), None,
            bounds)


def _form(asked: _Asked) -> dict[str, str]:
    return {"period": asked.period, "day": asked.day_text, "first": asked.first_text, "last": asked.last_text,
            "store": asked.store or ""}


def _refused(request: Request, asked: _Asked, error: str) -> HTMLResponse:
    """The form again with what is wrong (422), nothing else."""
    account = signed_in_owner(request)
    return page(request, "report.html", 422, account=account, error=error, report=None, form=_form(asked),
                stores=report_data.store_list(request.app.state.engine, account.merchant_id),
                periods=report_data.PERIODS)


@router.get("/reports", response_class=HTMLResponse)
def report_page(request: Request, period: Period = "month", day: Day = "", first: Day = "", last: Day = "",
                store: StoreId = "") -> HTMLResponse:
    account = signed_in_owner(request)
    asked = _Asked(period, day, first, last, store)
    found, error, bounds = _build(request, asked)
    form = _form(asked)
    if error is not None or bounds is None:
        return _refused(request, asked, error or "")
    if found is None:
        return not_found(request, account)
    t = translator(language_of(request))
    before, after = _neighbours(asked, *bounds)
    this_query = asked.query(*bounds)
    charts = [  # (title, svg, legend: (css class, words) per colour)
        (t("report_chart_stamps"), Markup(grouped_chart(found.days, ("stamps",), t("report_chart_stamps"), t)), []),
        (t("report_chart_points"), Markup(grouped_chart(found.days, ("points_earned", "points_spent"),
                                                        t("report_chart_points"), t)),
         [(k, t("report_" + k)) for k in ("points_earned", "points_spent")]),
        (t("report_chart_compare"), Markup(comparison_chart(
            [(t("report_" + k), getattr(found.figures, k), getattr(found.previous, k)) for k in COMPARED],
            t("report_chart_compare"), t("report_this"), t("report_before"))),
         [("this", t("report_this")), ("before", t("report_before"))]),
    ]
    form.update(day=form["day"] or bounds[0].isoformat())
    return page(request, "report.html", account=account, report=found, stores=found.stores, form=form,
                periods=report_data.PERIODS, figures=FIGURES, charts=charts, before=before, after=after,
                csv_query=this_query + "&format=csv", xlsx_query=this_query + "&format=xlsx",
                tiers_query=this_query,
                form_query_store={s.store_id: asked.query(*bounds, store=s.store_id) for s in found.stores})


@router.get("/reports/tiers", response_class=HTMLResponse)
def tier_mix_page(request: Request, period: Period = "month", day: Day = "", first: Day = "", last: Day = "",
                  store: StoreId = "") -> HTMLResponse:
    """The period's members by tier: asked for from the report, since it reads every member."""
    account = signed_in_owner(request)
    asked = _Asked(period, day, first, last, store)
    bounds = _bounds(request, asked)
    if isinstance(bounds, str):
        return _refused(request, asked, bounds)
    mix = report_data.tier_mix(request.app.state.engine, account.merchant_id, *bounds, asked.store)
    if mix is None:
        return not_found(request, account)
    return page(request, "report_tiers.html", account=account, mix=mix, first=bounds[0], last=bounds[1],
                back_query=asked.query(*bounds))


@router.get("/reports/download", response_model=None)
def report_download(request: Request, period: Period = "month", day: Day = "", first: Day = "", last: Day = "",
                    store: StoreId = "", format: Annotated[str, Query(max_length=4)] = "xlsx") -> Response:
    account = signed_in_owner(request)
    asked = _Asked(period, day, first, last, store)
    found, error, _bounds = _build(request, asked)
    if error is not None or format not in MEDIA:
        return _refused(request, asked, error or translator(language_of(request))("report_unknown_format"))
    if found is None:
        return not_found(request, account)
    t = translator(language_of(request))
    body = report_export.to_csv(found, t) if format == "csv" else report_export.to_xlsx(found, t)
    name = f"report-{found.first.isoformat()}-{found.last.isoformat()}.{format}"
    headers = {**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA[format], headers=headers)
