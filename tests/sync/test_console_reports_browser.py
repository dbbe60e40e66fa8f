"""The period report in a real browser (Playwright driving Debian's Chromium by executable path), on a
desktop and a phone in dark mode, against a real hub over loopback fed by a real sync.

Screenshots go to docs/screenshots/console-report-*.png.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, add_owner
from test_console_browser import _month_of_history, _page_has_no_sideways_scroll, _shot

from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate


def test_report_on_desktop_and_phone(sync_playwright, tmp_path, monkeypatch):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    add_owner(engine, merchant.merchant_id, "owner@kopisenja.example")
    try:
        with HubServer(engine) as hub:
            _month_of_history(hub.url, engine, merchant.store_id, tmp_path)
            browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
                page = desktop.new_page()
                page.goto(hub.url + "/console/reports")
                page.fill("input[name=email]", "owner@kopisenja.example")
                page.fill("input[name=password]", PASSWORD)
                page.click("form.stack button[type=submit]")
                page.wait_for_url("**/console/reports")
                page.select_option("select[name=period]", "custom")
                today = datetime.now(UTC).date()
                page.fill("input[name=first]", today.replace(day=1).isoformat())
                page.fill("input[name=last]", today.isoformat())
                page.click("form.report-form button")
                assert page.locator("svg.chart rect.stamps").count() == today.day
                stamps = int(re.sub(r"\D", "", page.inner_text(".figures div:first-child dd").split("\n")[0]))
                assert stamps > 0
                _shot(page, "report-1280x800")
                with page.expect_download() as got:
                    page.click("text=Excel file (XLSX)")
                assert got.value.suggested_filename.endswith(".xlsx")

                phone = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark",
                                            locale="id-ID", is_mobile=True, storage_state=desktop.storage_state())
                mobile = phone.new_page()
                mobile.goto(hub.url + "/console/reports?period=month")
                assert "Laporan periode" in mobile.inner_text("h1")
                _page_has_no_sideways_scroll(mobile)
                _shot(mobile, "report-390x844-dark")
            finally:
                browser.close()
    finally:
        engine.dispose()
