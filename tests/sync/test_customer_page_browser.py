"""A customer opens their card's page from the QR, in a real browser (Debian's Chromium, by Playwright).

A real till with tiers and points expiry set, paired with the real hub on
loopback, serves a customer for a month and syncs; the address it would print
is opened on a phone-sized viewport (390x844) in Indonesian, then on a desktop
in English. Screenshots: docs/screenshots/customer-page-390x844.png and
customer-page-1280x800.png. Skipped with the reason when Chromium or Playwright
is missing (packaging/system_deps.py installs Chromium; never 'playwright install').
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS
from real_terminal import RealTerminal

from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from terminal.domain.clock import ManualClock
from terminal.services.customer_page import customer_page_url

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def served(tmp_path):
    """The hub, and the page of a card a till served over the last month (stamps, points, a tier)."""
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    clock = ManualClock(datetime.now(UTC) - timedelta(days=40))
    with HubServer(engine) as hub:
        term = RealTerminal.founded(tmp_path / "till", clock)
        try:
            grant = term.grant()
            term.services.programs.save(grant, term.program_id(), rules={"points_expiry_days": 40},
                                        tiers=[("Silver", 1500, 110), ("Gold", 5000, 125)])
            term.pair(hub.url, engine, merchant.store_id, name="Front till")
            code = term.enroll(holder="Siti Rahayu")
            for day, amount in enumerate((6_500, 4_200, 7_900, 3_100, 5_600)):
                clock.advance(timedelta(days=day * 3 + 1))
                grant = term.grant()   # a PIN confirms each visit
                term.services.counter.stamp(grant, code)
                term.earn(code, amount, grant)
            term.sync()
            yield hub, customer_page_url(term.services.ctx, code), term.balance(code)
        finally:
            term.close()
    engine.dispose()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_customer_opens_the_card_page_on_a_phone(sync_playwright, served):
    _hub, url, (stamps, points) = served
    assert url is not None
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", device_scale_factor=2,
                                    is_mobile=True, has_touch=True)
        page = phone.new_page()
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        manifests = []
        page.on("response", lambda response: manifests.append(response)
                if response.url.endswith("manifest.webmanifest") else None)
        answer = page.goto(url)
        assert answer is not None and answer.status == 200
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.inner_text("h1") == "Stamps and points"            # the program, as the till named it
        assert page.inner_text(".cp-merchant").lower() == "kopi senja"
        assert f"{stamps} dari 8" in page.inner_text(".cp-card")
        assert page.locator(".cp-stamps li.on").count() == stamps
        assert f"{points:,}".replace(",", ".") in page.inner_text(".cp-card")
        assert page.inner_text(".cp-tier").split()[-1] == "Silver"
        assert "poin lagi untuk mencapai Gold" in page.inner_text("main")
        assert "kedaluwarsa mulai" in page.inner_text(".cp-warn")
        assert page.locator(".cp-visits li").count() == 10          # the newest ten, no staff names
        assert "Olga" not in page.content() and "Siti" not in page.content()
        _no_sideways_scroll(page)
        page.screenshot(path=str(_shot("customer-page-390x844")), full_page=True)
        manifest = page.request.get(url + "/manifest.webmanifest")
        assert manifest.ok and manifest.json()["display"] == "standalone"
        assert not problems, problems                                # no CSP violation, nothing missing

        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        wide = desktop.new_page()
        wide.goto(url)
        assert f"{stamps} of 8" in wide.inner_text(".cp-card") and "Recent visits" in wide.inner_text("main")
        _no_sideways_scroll(wide)
        wide.screenshot(path=str(_shot("customer-page-1280x800")), full_page=False)
        assert wide.goto(url[:-3] + "AAA").status == 404
    finally:
        browser.close()


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
