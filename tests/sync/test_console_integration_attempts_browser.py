"""A delivery's tries in a real browser (Debian's Chromium driven by Playwright) against the real hub on
loopback, on a 390 px phone in Indonesian: reached from the log's row, no sideways scroll, no script.

Screenshot: docs/screenshots/console-integrations-attempts-390x844.png. Skipped with the reason when
Chromium or Playwright is missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from conftest import HubServer, make_merchant
from console_helpers import CHROMIUM, CHROMIUM_ARGS, add_owner
from test_console_browser import _page_has_no_sideways_scroll, _shot, _sign_in
from webhook_receiver import Receiver

from sync.hub import admin, webhooks
from sync.hub.db import create_hub_engine, writing
from sync.hub.migrations import migrate
from sync.hub.schema import store_profiles, webhook_deliveries
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker

FAST = DeliverySettings(timeout_s=2.0, lease_s=4.0, first_retry_s=0.05, max_retry_s=0.2, poll_s=0.05)


def test_a_deliverys_tries_on_a_phone(sync_playwright, tmp_path):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        migrate(engine)
        merchant = make_merchant(engine, "Kopi Senja", "Jalan Braga")
        add_owner(engine, merchant.merchant_id, "owner@kopisenja.example")
        with Receiver(script=[500, 503]) as receiver:
            with writing(engine) as conn:
                conn.execute(sa.insert(store_profiles).values(store_id=merchant.store_id, name="Jalan Braga",
                                                              timezone="Asia/Jakarta", currency="IDR",
                                                              pin_key_wrapped="-", updated_at=admin.utc_iso()))
                webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"], "web shop")
                webhooks.events_for_entries(conn, merchant.merchant_id, [
                    {"entry_id": "e-1", "card": "7K3M9Q2XPA", "kind": "earn", "points": 12,
                     "at": admin.utc_iso()}])
            worker = DeliveryWorker(engine, FAST)
            try:
                for _ in range(3):   # fails twice, then taken
                    with writing(engine) as conn:
                        conn.execute(sa.update(webhook_deliveries)
                                     .values(next_attempt_at="2000-01-01T00:00:00.000000Z"))
                    worker.run_once()
            finally:
                worker.stop()
            assert len(receiver.got) == 3
        with HubServer(engine) as hub:
            browser = sync_playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                            device_scale_factor=2, is_mobile=True, has_touch=True)
                page = phone.new_page()
                _sign_in(page, hub.url)
                page.goto(hub.url + "/console/integrations?status=delivered#deliveries")
                page.click("tr.delivery a.button >> nth=0")
                page.wait_for_url("**/console/integrations/deliveries/*?status=delivered")
                rows = page.locator("tr.try")
                assert rows.count() == 3
                assert [rows.nth(i).locator(".badge").inner_text() for i in range(3)] == \
                    ["HTTP 500", "HTTP 503", "HTTP 200"]
                assert "WIB" in rows.nth(0).inner_text() and "milidetik" in rows.nth(0).inner_text()
                _page_has_no_sideways_scroll(page)
                _shot(page, "integrations-attempts-390x844")
                page.click("text=Kembali ke log pengiriman")
                page.wait_for_url("**/console/integrations?status=delivered#deliveries")
            finally:
                browser.close()
    finally:
        engine.dispose()
