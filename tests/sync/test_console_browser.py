"""The console in a real browser: Debian's Chromium driven by Playwright, against the real hub
served by uvicorn on loopback, with a till's month of history pushed through a real sync.

Screenshots (desktop 1280x800 and phone 390x844, light and dark) go to docs/screenshots/console-*.png.
Skipped with the reason when Chromium or Playwright is missing (packaging/system_deps.py installs
Chromium; the test extra installs Playwright; never 'playwright install').
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, add_owner
from sync_helpers import pair_terminal

from sync.hub import owners
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from sync.syncer import Syncer

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HOLDERS = ["Siti Rahayu", "Budi Santoso", "Dewi Lestari", "Agus Pratama", "Rina Wijaya", "Made Sudarsana"]


@pytest.fixture
def served(tmp_path, monkeypatch):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    add_owner(engine, merchant.merchant_id, "owner@kopisenja.example")
    with HubServer(engine) as hub:
        code = _month_of_history(hub.url, engine, merchant.store_id, tmp_path)
        yield hub, code
    engine.dispose()


def _month_of_history(url, engine, store_id, tmp_path) -> str:
    rng = random.Random(13)
    now = datetime.now(UTC)
    first_code = ""
    for name in ("Front till", "Bar till"):
        terminal, client = pair_terminal(url, engine, store_id, tmp_path / f"{name}.db", name=name)
        try:
            codes = [terminal.enroll(holder=h) for h in HOLDERS[:3 if name == "Front till" else 6][-3:]]
            first_code = first_code or codes[0]
            changes = []
            for back in range(29, -1, -1):
                # an hour back, but today's never before midnight: the reports count today's stamps
                day = max(now - timedelta(days=back, hours=1), now.replace(hour=0, minute=0, second=0, microsecond=0)
                          - timedelta(days=back))
                for _ in range(rng.randint(1, 5)):
                    card = rng.choice(codes)
                    at = day.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                    changes.append({"card": card, "kind": "stamp", "stamps": 1, "staff_id": "s1", "at": at})
                    changes.append({"card": card, "kind": "earn", "points": rng.randint(5, 60),
                                    "amount": rng.randint(1500, 9000), "at": at})
            terminal.record(changes)
            terminal.redeem(codes[0], 20)
            Syncer(terminal, client).sync_once()
        finally:
            client.close()
            terminal.close()
    return first_code


def _shot(page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=full_page)


def _sign_in(page, base: str, secret: str | None = None) -> None:
    page.goto(base + "/console/dashboard")
    assert "/console/sign-in" in page.url
    page.fill("input[name=email]", "owner@kopisenja.example")
    page.fill("input[name=password]", PASSWORD)
    if secret:
        page.fill("input[name=code]", owners.totp(secret))
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/console/dashboard")


def _page_has_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_owner_signs_in_and_uses_the_console(sync_playwright, served):
    hub, code = served
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        page = desktop.new_page()
        _sign_in(page, hub.url)
        assert page.locator(".badge.online").count() == 2
        assert page.locator("svg.chart rect.stamps").count() == 30
        _shot(page, "dashboard-1280x800")

        page.click("nav >> text=Cards")
        page.fill("input[name=q]", "siti")
        page.click("form[role=search] button")
        page.click(f"a[href='/console/cards/{code}']")
        assert "Siti Rahayu" in page.inner_text("h1")
        assert page.locator("tbody tr").count() == 50
        # the card page's shots come from test_console_cards_browser.py (with the adjust form)
        page.click("text=show all")
        assert page.locator("tbody tr").count() > 50

        page.click("nav >> text=Stores and tills")
        page.fill("form[action$='/pairing'] input[name=name]", "Kiosk till")
        page.click("form[action$='/pairing'] button")
        assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", page.inner_text("p.code"))
        assert page.locator(".qr svg path").count() == 1
        _shot(page, "pairing-1280x800")

        # The owner turns on the second factor; the phone then signs in with its code.
        page.click("footer a")
        secret = page.inner_text("code.code")
        page.fill("form[action$='/totp'] input[name=code]", owners.totp(secret))
        page.click("form[action$='/totp'] button")
        page.wait_for_url("**/console/account?notice=totp_on")

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                    device_scale_factor=2, is_mobile=True, has_touch=True,
                                    color_scheme="dark")
        mobile = phone.new_page()
        mobile.goto(hub.url + "/console/sign-in")
        assert mobile.inner_text("h1") == "Masuk ke hub loyalitas"
        _page_has_no_sideways_scroll(mobile)
        _shot(mobile, "sign-in-390x844-dark")
        _sign_in(mobile, hub.url, secret)
        assert "Dasbor" in mobile.inner_text("h1")
        _page_has_no_sideways_scroll(mobile)
        _shot(mobile, "dashboard-390x844-dark")
        mobile.goto(f"{hub.url}/console/stores")
        _page_has_no_sideways_scroll(mobile)
        _shot(mobile, "stores-390x844-dark")
        mobile.goto(f"{hub.url}/console/cards/{code}")
        _page_has_no_sideways_scroll(mobile)
        assert mobile.locator("tbody tr").count() == 50   # newest first, then "show all"
        # (its phone shot too)

        # Sign out everywhere on the phone ends the desktop's session too.
        mobile.click("footer button")
        mobile.wait_for_url("**/console/sign-in?notice=signed_out_everywhere")
        page.goto(hub.url + "/console/dashboard")
        assert "/console/sign-in" in page.url
    finally:
        browser.close()
