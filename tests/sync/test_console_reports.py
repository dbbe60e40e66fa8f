"""The console's period reports and their CSV/XLSX downloads, through FastAPI's test client on the real
hub app and database (SQLite and, with LOYALTY_TEST_PG_URL, PostgreSQL)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from conftest import make_merchant
from console_helpers import add_owner, client, sign_in, till_with_history
from openpyxl import load_workbook

from sync.hub.db import reading
from sync.hub.schema import entries

TODAY = datetime.now(UTC).date().isoformat()   # the test store has no profile: its zone is UTC
PAGES = ["/console/reports", "/console/reports/tiers", "/console/reports/download?format=csv",
         "/console/reports/download?format=xlsx"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("path", PAGES)
def test_reports_need_a_signed_in_owner(app, path):
    with client(app) as stranger:
        answer = stranger.get(path)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/console/sign-in?next=")


def _figures(html: str) -> dict[str, str]:
    return {k: v.strip() for k, v in re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)<small>", html)}


def _sums_of_entries(hub_engine, merchant_id: str) -> dict[str, int]:
    with reading(hub_engine) as conn:
        rows = conn.execute(sa.select(entries.c.kind, entries.c.stamps, entries.c.points)
                            .where(entries.c.merchant_id == merchant_id)).all()
    return {"stamps": sum(r.stamps for r in rows if r.kind == "stamp"),
            "earned": sum(r.points for r in rows if r.kind in ("earn", "bonus")),
            "spent": -sum(r.points for r in rows if r.kind == "redeem"),
            "redemptions": sum(r.kind in ("redeem", "stamp_redeem") for r in rows),
            "enrolled": sum(r.kind == "enroll" for r in rows)}


def test_month_report_page_downloads_and_another_merchant(hub, hub_engine, merchant, web, app, tmp_path):
    till_with_history(hub.url, hub_engine, merchant.store_id, tmp_path / "till.db")
    expected = _sums_of_entries(hub_engine, merchant.merchant_id)
    assert expected == {"stamps": 3, "earned": 120, "spent": 50, "redemptions": 1, "enrolled": 1}

    english = web.get("/console/reports")
    assert english.status_code == 200 and english.headers["cache-control"] == "no-store"
    figures = _figures(english.text)
    assert figures["Stamps"] == "3" and figures["Points earned"] == "120" and figures["Points spent"] == "50"
    assert figures["Redemptions"] == "1" and figures["Active members"] == "1" and figures["New cards"] == "1"
    assert figures["Earn/burn ratio"] == "2.40" and figures["Redemption rate"] == "100.0 %"
    assert english.text.count('<rect class="stamps"') >= 28 and '<rect class="this"' in english.text
    assert 'method="get" action="/console/reports"' in english.text   # read-only: a GET form, no CSRF needed
    indonesian = web.get("/console/reports", headers={"Accept-Language": "id"})
    assert "Laporan periode" in indonesian.text and _figures(indonesian.text)["Poin diperoleh"] == "120"

    one_day = f"period=day&day={TODAY}&store={merchant.store_id}"
    assert _figures(web.get("/console/reports?" + one_day).text)["Stamps"] == "3"

    sheet = web.get("/console/reports/download?format=xlsx&" + one_day)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'filename="report-{TODAY}-{TODAY}.xlsx"' in sheet.headers["content-disposition"]
    book = load_workbook(io.BytesIO(sheet.content))
    report, days = book.worksheets
    rows = {r[1]: r[2] for r in report.iter_rows(min_row=2, values_only=True) if r[0] == "Figures"}
    assert (rows["Stamps"], rows["Points earned"], rows["Points spent"], rows["Redemptions"]) == (
        expected["stamps"], expected["earned"], expected["spent"], expected["redemptions"])
    assert rows["New cards"] == expected["enrolled"] and rows["Breakage"] == 0
    day_rows = list(days.iter_rows(min_row=2, values_only=True))
    assert [(r[0].date().isoformat(), r[1], r[2], r[3]) for r in day_rows] == [(TODAY, 3, 120, 50)]

    text = web.get("/console/reports/download?format=csv&" + one_day).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert ["Figures", "Stamps", "3", "0"] in table and [TODAY, "3", "120", "50", "1", "1", "1"] in table

    # Another merchant: its store is not found, and its own report is empty.
    other = make_merchant(hub_engine, "Other shop", "Elsewhere")
    assert web.get(f"/console/reports?store={other.store_id}").status_code == 404
    assert web.get(f"/console/reports/download?format=csv&store={other.store_id}").status_code == 404
    stranger = add_owner(hub_engine, other.merchant_id, "owner@other.example")
    with client(app) as theirs:
        assert sign_in(theirs, stranger.email).status_code == 303
        assert web.get(f"/console/reports?store={merchant.store_id}").status_code == 200
        assert theirs.get(f"/console/reports?store={merchant.store_id}").status_code == 404
        seen = _figures(theirs.get("/console/reports").text)
    assert seen["Stamps"] == "0" and seen["Active members"] == "0"


@pytest.mark.sqlite_only
@pytest.mark.parametrize("query, words", [
    ("period=custom&first=2026-05-02&last=2026-05-01", "before its start"),
    ("period=custom&first=2025-01-01&last=2026-12-31", "at most 366 days"),
    ("period=day&day=31-05-2026", "must look like 2026-05-31"),
    ("period=fortnight", "Pick a period"),
])
def test_a_period_that_cannot_be_reported_says_why(web, query, words):
    answer = web.get("/console/reports?" + query)
    assert answer.status_code == 422 and words in answer.text
    download = web.get("/console/reports/download?format=xlsx&" + query)
    assert download.status_code == 422 and words in download.text


def test_week_and_custom_periods_and_their_neighbours(web):
    week = web.get("/console/reports?period=week&day=2026-05-06").text   # a Wednesday
    assert "2026-05-04 to 2026-05-10" in week and "Compared with 2026-04-27 to 2026-05-03" in week
    assert "period=week&amp;day=2026-04-27" in week and "period=week&amp;day=2026-05-11" in week
    custom = web.get("/console/reports?period=custom&first=2026-05-01&last=2026-05-10").text
    assert "2026-05-01 to 2026-05-10" in custom and "first=2026-05-11&amp;last=2026-05-20" in custom
    month = web.get("/console/reports?period=month&day=2026-03-15").text
    assert "2026-03-01 to 2026-03-31" in month and "Compared with 2026-02-01 to 2026-02-28" in month
    assert web.get("/console/reports/download?format=pdf").status_code == 422


def test_worth_a_look_lists_the_flags_raised_in_the_period(hub_engine, merchant, web, app):
    from sync.hub import admin, hub_chain
    from terminal.domain.codes import new_code

    code = new_code()
    other_store = admin.add_store(hub_engine, merchant.merchant_id, "Station kiosk")
    assert "No flags were raised in this period." in web.get("/console/reports").text
    # a redemption the card cannot pay for: the hub flags the card as below zero
    done = hub_chain.append(hub_engine, merchant.merchant_id, app.state.hub_key(),
                            [hub_chain.NewEntry(code, "enroll"), hub_chain.NewEntry(code, "redeem", points=-80)])
    assert [o.card for o in done.overdrafts] == [code]
    page = web.get("/console/reports").text
    section = page[page.index("Worth a look"):]
    assert "Flag: balance below zero" in section and f'href="/console/cards/{code}"' in section
    assert "Open" in section
    assert code in web.get("/console/reports", params={"store": merchant.store_id}).text
    assert code not in web.get("/console/reports", params={"store": other_store}).text
    yesterday = web.get("/console/reports", params={"period": "day", "day": "2020-01-01"}).text
    assert code not in yesterday and "No flags were raised in this period." in yesterday
