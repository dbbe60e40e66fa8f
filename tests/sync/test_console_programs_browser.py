"""Editing a reward in a real browser: Debian's Chromium driven by Playwright, against the real hub served
by uvicorn on loopback, with the program a real till (rupiah, Asia/Jakarta) pushed; the till then pulls
the change.

Screenshots of the program page (desktop 1280x800, phone 390x844 dark) and the programs list (desktop) go to
docs/screenshots/console-program*.png. Skipped with the reason when Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, add_owner
from real_terminal import OWNER, RealTerminal

from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from sync.hub.schema import programs
from terminal.domain.campaigns import Campaign, CampaignKind
from terminal.services.catalog import rewards_of

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EMAIL = "owner@kopisenja.example"
# The innermost elements reaching past the viewport's right edge (for the failure message).
WIDER_THAN_VIEWPORT = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
    > window.innerWidth + 1 && e.children.length === 0).slice(0, 5).map(e => e.tagName + '.' + e.className
    + '[' + (e.getAttribute('name') || '') + '] ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def served(tmp_path, monkeypatch):
    """The hub on loopback and a real rupiah till that pushed its program, with tiers and a campaign."""
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    add_owner(engine, merchant.merchant_id, EMAIL)
    till = RealTerminal(tmp_path / "till")
    till.clock.set(datetime.now(UTC))
    try:
        till.services.init_store(name="Kopi Senja", timezone="Asia/Jakarta", currency="IDR",
                                 owner_name=OWNER[0], owner_pin=OWNER[1], template="hybrid")
        program_id = till.program_id()
        grant = till.grant()
        till.services.programs.save(grant, program_id, rules={"points_per_unit": 1, "earn_per_minor": 1000},
                                    tiers=[("Silver", 500, 125), ("Gold", 2000, 150)])
        today = till.clock.now().date()
        till.services.campaigns.add(grant, program_id, Campaign(
            "", "Double points weekend", CampaignKind.MULTIPLIER, today, today + timedelta(days=30),
            weekdays=(5, 6), multiplier_percent=200))
        with HubServer(engine) as hub:
            till.pair(hub.url, engine, merchant.store_id, "Front till")
            till.sync()
            yield hub, engine, till, program_id
    finally:
        till.close()
        engine.dispose()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=True)


def _sign_in(page, base: str, then: str) -> None:
    page.goto(base + then)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**" + then)


def test_owner_edits_a_reward_in_a_browser_and_the_till_pulls_it(sync_playwright, served):
    hub, engine, till, program_id = served
    with till.services.ctx.db.read() as session:
        reward = next(r for r in rewards_of(session, program_id) if r.cost_points)
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        page = desktop.new_page()
        _sign_in(page, hub.url, "/console/programs")
        assert "at Front till (Jalan Braga)" in page.inner_text("table.programs")
        _shot(page, "programs-1280x800")
        page.click(f"a[href='/console/programs/{program_id}']")
        assert page.inner_text("p.rate") == "1 point per 1,000 IDR"
        form = page.locator(f"#reward-{reward.reward_id} form.reward-form")
        form.locator("input[name=name]").fill("Kopi Senja tote bag")
        form.locator("input[name=cost_points]").fill("750")
        form.locator("input[name=stock]").fill("20")
        form.locator("button:not([form])").click()
        page.wait_for_url(f"**/console/programs/{program_id}?notice=programs_saved*")
        assert "The tills receive the change" in page.inner_text("p.notice")
        assert f"by {EMAIL}" in page.inner_text("p.program-meta")
        _shot(page, "program-1280x800")

        with engine.connect() as conn:
            row = conn.execute(sa.select(programs).where(programs.c.program_id == program_id)).mappings().one()
        edited = next(r for r in json.loads(row["settings"])["rewards"] if r["reward_id"] == reward.reward_id)
        assert (row["changed_by"], edited["name"], edited["cost_points"], edited["stock"]) == (
            EMAIL, "Kopi Senja tote bag", 750, 20)

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", device_scale_factor=2,
                                    is_mobile=True, has_touch=True, color_scheme="dark")
        mobile = phone.new_page()
        _sign_in(mobile, hub.url, f"/console/programs/{program_id}")
        assert mobile.inner_text("p.rate") == "1 poin per 1.000 IDR"
        _shot(mobile, "program-390x844-dark")
        width = mobile.evaluate("document.documentElement.scrollWidth")
        wide = mobile.evaluate(WIDER_THAN_VIEWPORT)
        assert width <= 390, f"the program page is {width}px wide on a phone: {wide}"
    finally:
        browser.close()
    till.sync()
    with till.services.ctx.db.read() as session:
        pulled = next(r for r in rewards_of(session, program_id) if r.reward_id == reward.reward_id)
    assert (pulled.name, pulled.cost_points, pulled.stock) == ("Kopi Senja tote bag", 750, 20)
