"""The console's staff page in a real browser (Debian's Chromium by Playwright, the real hub on
loopback, a real till's staff synced to it): an owner adds a member by the form, asks the till's
cashier for a new PIN and deactivates another member.
Screenshots: docs/screenshots/console-staff-1280x800.png and console-staff-390x844-dark.png."""

from __future__ import annotations

import pytest
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, add_owner
from real_terminal import RealTerminal
from test_console_browser import _page_has_no_sideways_scroll, _shot, _sign_in

from sync.hub import console_staff
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate

BY = "owner@kopisenja.example"


@pytest.fixture
def served(tmp_path, monkeypatch):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    add_owner(engine, merchant.merchant_id, BY)
    with HubServer(engine) as hub:
        till = RealTerminal.founded(tmp_path / "till")   # its owner Olga and cashier Carl, with PINs
        try:
            till.pair(hub.url, engine, merchant.store_id, "Front till")
            till.add_cashier()
            till.sync()
        finally:
            till.close()
        key = hub.app.state.hub_key()
        for name, role in (("Dewi Lestari", "owner"), ("Agus Pratama", "cashier"), ("Rina Wijaya", "cashier")):
            console_staff.add_member(engine, key, merchant.merchant_id, merchant.store_id, name, role, BY)
        yield hub
    engine.dispose()


def test_owner_manages_staff_in_a_browser(sync_playwright, served):
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        page = desktop.new_page()
        _sign_in(page, served.url)
        page.click("nav a[href='/console/staff']")
        page.fill("input[name=name]", "Made Sudarsana")
        page.click("form[action$='/staff'] button[type=submit]")
        page.wait_for_url("**/console/staff?notice=staff_added")
        assert page.locator("tr", has_text="Made Sudarsana").count() == 1
        assert "till Front till" in page.locator("tr", has_text="Carl").inner_text()
        page.locator("tr", has_text="Carl").locator("form[action$='/reset-pin'] button").click()
        page.wait_for_url("**notice=staff_pin_reset")
        assert "New PIN asked" in page.locator("tr", has_text="Carl").inner_text()
        page.locator("tr", has_text="Rina Wijaya").locator("form[action$='/deactivate'] button").click()
        page.wait_for_url("**notice=staff_deactivated")
        assert page.locator("tr.staff-inactive", has_text="Rina Wijaya").count() == 1
        _shot(page, "staff-1280x800")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                    color_scheme="dark")
        mobile = phone.new_page()
        _sign_in(mobile, served.url)
        mobile.goto(served.url + "/console/staff")
        assert "Tambah staf" in mobile.content()
        _page_has_no_sideways_scroll(mobile)
        _shot(mobile, "staff-390x844-dark")
    finally:
        browser.close()
