"""Replacing the authenticator in a real browser on a phone: Debian's Chromium driven by Playwright,
against the real hub served by uvicorn on loopback.

Screenshot: docs/screenshots/console-account-totp-390x844.png (the replacement form). Skipped with the
reason when Chromium or Playwright is missing, like test_console_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, add_owner

from sync.hub import owners
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EMAIL = "owner@kopisenja.example"


@pytest.fixture
def served(tmp_path):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    account = add_owner(engine, merchant.merchant_id, EMAIL)
    secret = owners.new_totp_secret()
    owners.set_totp_secret(engine, account.account_id, secret)
    with HubServer(engine) as hub:
        yield hub, engine, account, secret
    engine.dispose()


def test_owner_replaces_the_authenticator_on_a_phone(sync_playwright, served):
    hub, engine, account, old_secret = served
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US",
                                    device_scale_factor=2, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(hub.url + "/console/sign-in")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.fill("input[name=code]", owners.totp(old_secret))
        page.click("form.stack button[type=submit]")
        page.wait_for_url("**/console/dashboard")

        page.goto(hub.url + "/console/account")
        page.click("a.totp-replace")
        page.wait_for_url("**/console/account/totp/replace")
        new_secret = page.inner_text("code.code")
        assert owners.valid_totp_secret(new_secret) and page.locator(".qr svg path").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "console-account-totp-390x844.png"), full_page=True)

        form = "form[action$='/totp/replace']"
        page.fill(f"{form} input[name=password]", PASSWORD)
        page.fill(f"{form} input[name=old_code]", owners.totp(old_secret))
        page.fill(f"{form} input[name=new_code]", owners.totp(new_secret))
        page.click(f"{form} button[type=submit]")
        page.wait_for_url("**/console/account?notice=totp_replaced")
        assert "Authenticator replaced" in page.inner_text("p.notice")
        assert owners.check_totp(engine, account.account_id, owners.totp(new_secret))
    finally:
        browser.close()
