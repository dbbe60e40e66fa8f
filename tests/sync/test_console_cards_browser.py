"""An owner adjusts a customer's points in a real browser and a real till receives it.

Debian's Chromium driven by Playwright against the real hub served by uvicorn on loopback; the
till is a real one (open_services, its own SQLite) paired with that hub and syncing over HTTP.
The owner signs in with a TOTP code, finds the card by the customer's name, adjusts its points
through the confirmation page, and the till's next sync shows the new balance.

Screenshots of the card page with its adjust form (desktop 1280x800, phone 390x844 dark) go to
docs/screenshots/console-card-*.png. Skipped with the reason when Chromium or Playwright is missing.
"""

from __future__ import annotations

import pytest
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, add_owner
from real_terminal import RealTerminal
from test_console_browser import _page_has_no_sideways_scroll, _shot

from sync.hub import owners
from sync.hub.console.i18n import number
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate

EMAIL = "owner@kopisenja.example"


@pytest.fixture
def served(tmp_path, monkeypatch):
    """The hub on loopback, an owner with a second factor, and a till that enrolled and served Ana."""
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    account = add_owner(engine, merchant.merchant_id, EMAIL)
    secret = owners.new_totp_secret()
    owners.set_totp_secret(engine, account.account_id, secret)
    with HubServer(engine) as hub:
        till = RealTerminal.founded(tmp_path / "till")
        try:
            till.pair(hub.url, engine, merchant.store_id, "Front till")
            till.add_cashier()
            code = till.enroll("Ana Lima")
            till.services.customers.update_contact(till.grant(), code, holder="Ana Lima", phone="+62 812 3456 7890",
                                                   email="ana.lima@example.com", birthday="1990-04-12", consent=True)
            till.enroll("Budi Santoso")
            for amount in (4500, 2600, 3900):
                till.earn(code, amount, grant=till.grant(("Carl", "5820")))
            till.sync()
            yield hub, till, code, secret
        finally:
            till.close()
    engine.dispose()


def test_owner_adjusts_points_in_the_browser_and_the_till_receives_them(sync_playwright, served):
    hub, till, code, secret = served
    stamps, points = till.balance(code)
    before, after = number("en", points), number("en", points + 50)
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        page = desktop.new_page()
        page.goto(hub.url + "/console/cards")
        assert "/console/sign-in" in page.url
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.fill("input[name=code]", owners.totp(secret))
        page.click("form.stack button[type=submit]")
        page.wait_for_url("**/console/cards")

        page.fill("input[name=q]", "ana")
        page.click("form[role=search] button")
        assert page.locator("tbody tr").count() == 1
        page.click(f"a[href='/console/cards/{code}']")
        assert "Ana Lima" in page.inner_text("h1")
        assert page.inner_text("#card-points") == before
        assert "Front till · Carl" in page.inner_text("table.history")
        page.fill("#adjust input[name=points]", "50")
        page.fill("#adjust input[name=reason]", "Coffee machine broke, sorry")
        _shot(page, "card-1280x800", full_page=False)
        page.click("#adjust button[type=submit]")
        assert page.inner_text("p.consequence") == f"Ana Lima: {before} → {after} points"
        page.click("form.row button[type=submit]")
        page.wait_for_url(f"**/console/cards/{code}?notice=cards_adjusted")
        assert page.inner_text("#card-points") == after
        assert f"Hub · {EMAIL}" in page.inner_text("table.history")

        till.sync()
        assert till.balance(code) == (stamps, points + 50)

        # The same session on a phone, dark: the card page with its forms, no sideways scroll.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", device_scale_factor=2,
                                    is_mobile=True, has_touch=True, color_scheme="dark",
                                    storage_state=desktop.storage_state())
        mobile = phone.new_page()
        mobile.goto(f"{hub.url}/console/cards/{code}")
        assert mobile.inner_text("#card-points") == after
        _page_has_no_sideways_scroll(mobile)
        mobile.fill("#adjust input[name=points]", "-20")
        mobile.fill("#adjust input[name=reason]", "Counted twice")
        _shot(mobile, "card-390x844-dark")
    finally:
        browser.close()
