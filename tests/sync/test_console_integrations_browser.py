"""The integrations page's delivery log in a real browser (Debian's Chromium driven by Playwright) against
the real hub on loopback: pages by "Older"/"Newer", filters, a credential's last use, on a desktop and
on a 390 px phone in Indonesian and dark.

Screenshots: docs/screenshots/console-integrations-1280x800.png, console-integrations-390x844-dark.png
and console-integrations-log-390x844-dark.png. Skipped with the reason when Chromium or Playwright is
missing.
"""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, add_owner
from test_console_browser import _page_has_no_sideways_scroll, _shot, _sign_in

from sync.hub import admin, integration_credentials, webhooks
from sync.hub.db import create_hub_engine, writing
from sync.hub.migrations import migrate
from sync.hub.schema import store_profiles, webhook_deliveries
from terminal.domain.codes import new_code

DELIVERIES = 70   # a page and a bit


@pytest.fixture
def served(tmp_path):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
    add_owner(engine, merchant.merchant_id, "owner@kopisenja.example")
    m = merchant.merchant_id
    with writing(engine) as conn:
        conn.execute(sa.insert(store_profiles).values(store_id=merchant.store_id, name="Jalan Braga",
                                                      timezone="Asia/Jakarta", currency="IDR", pin_key_wrapped="-",
                                                      updated_at=admin.utc_iso()))
        webhooks.add_endpoint(conn, m, "https://shop.kopisenja.example/hooks/loyalty", ["*"], "web shop")
        webhooks.add_endpoint(conn, m, "https://crm.example/in", ["card.enrolled"])
        webhooks.events_for_entries(conn, m, [
            {"entry_id": f"e-{i}", "card": new_code(), "kind": "enroll" if i % 5 == 0 else "earn",
             "points": 0 if i % 5 == 0 else 10 + i, "at": admin.utc_iso()} for i in range(DELIVERIES - 12)])
        d = webhook_deliveries.c
        for i, ident in enumerate(conn.execute(sa.select(d.delivery_id).order_by(d.delivery_id)).scalars()):
            status, attempts, code, error = [("delivered", 1, 200, None), ("delivered", 2, 200, None),
                                             ("pending", 3, 503, "HTTP 503 from the receiver"),
                                             ("failed", 12, None, "timed out after 10 s")][i % 4]
            conn.execute(sa.update(webhook_deliveries).where(d.delivery_id == ident).values(
                status=status, attempts=attempts, response_code=code, last_error=error,
                delivered_at=admin.utc_iso() if status == "delivered" else None))
    used = integration_credentials.create(engine, m, "Kasir depan", "write")
    integration_credentials.create(engine, m, "Laporan", "read")
    old = integration_credentials.create(engine, m, "Toko lama", "write")
    integration_credentials.revoke(engine, m, old.credential_id)
    with HubServer(engine) as hub:
        answer = httpx.get(f"{hub.url}/api/v1/integration/cards/{new_code()}",
                           headers={"Authorization": f"Bearer {used.secret}"})
        assert answer.status_code == 404   # a real call: the credential's last use
        yield hub
    engine.dispose()


def _shown(page) -> list[str]:
    return page.eval_on_selector_all("tr.delivery", "rows => rows.map(r => r.dataset.delivery)")


def test_the_delivery_log_pages_and_filters_on_a_desktop_and_a_phone(sync_playwright, served):
    hub = served
    browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        page = desktop.new_page()
        _sign_in(page, hub.url)
        page.goto(hub.url + "/console/integrations")
        assert "WIB" in page.inner_text("#credentials tr.credential >> nth=0")
        assert page.locator("#credentials .last-used time").count() == 1, "only Kasir depan was used"
        assert page.locator("#credentials tr.integration-gone").count() == 1, "the revoked one stays listed"
        first = _shown(page)
        assert len(first) == 50
        page.click("a[rel=next]")
        second = _shown(page)
        assert len(second) == DELIVERIES - 50 and not set(first) & set(second)
        page.click("a[rel=prev]")
        assert _shown(page) == first
        _page_has_no_sideways_scroll(page)
        _shot(page, "integrations-1280x800")

        page.select_option("select[name=status]", "failed")
        page.click("form.integration-filter button")
        failed = _shown(page)
        assert failed and page.locator("tr.delivery .badge.delivery-failed").count() == len(failed)

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                    device_scale_factor=2, is_mobile=True, has_touch=True,
                                    color_scheme="dark")
        mobile = phone.new_page()
        _sign_in(mobile, hub.url)
        mobile.goto(hub.url + "/console/integrations")
        assert "belum pernah dipakai" in mobile.inner_text("#credentials")
        _page_has_no_sideways_scroll(mobile)
        _shot(mobile, "integrations-390x844-dark")
        mobile.goto(hub.url + "/console/integrations?status=pending#deliveries")
        assert "Dicoba ulang" in mobile.inner_text("#deliveries")
        _page_has_no_sideways_scroll(mobile)
        _shot(mobile, "integrations-log-390x844-dark", full_page=False)   # the log, from its #deliveries
        mobile.click("#deliveries button.small >> nth=0")   # replay from the filtered log
        mobile.wait_for_url("**/console/integrations?status=pending&notice=integrations_replayed")
        assert "Kejadian dikirim lagi" in mobile.inner_text("p.notice")
    finally:
        browser.close()

