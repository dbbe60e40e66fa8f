"""A delivery's page on the console: every try (time in the store's zone, outcome, duration, answer),
its replays, the way back to the log page it was opened from; through FastAPI's test client on the real
hub app, with tries made by the real worker against a real receiver on loopback.

The page in a real browser: test_console_integration_attempts_browser.py.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from conftest import make_merchant
from console_helpers import client, csrf_of
from webhook_receiver import Receiver

from sync.hub import admin, delivery_attempts, webhooks
from sync.hub.db import reading, writing
from sync.hub.schema import store_profiles, webhook_attempts, webhook_deliveries
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker

HOME = "/console/integrations"
ZONE = "Asia/Jakarta"
INDONESIAN = {"Accept-Language": "id"}
FAST = DeliverySettings(timeout_s=2.0, lease_s=4.0, first_retry_s=0.05, max_retry_s=0.2, poll_s=0.05)
MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@pytest.fixture
def web(web, hub_engine, merchant):
    """The signed-in owner, with the store's profile as its till would have synced it (times in its zone)."""
    with writing(hub_engine) as conn:
        conn.execute(sa.insert(store_profiles).values(store_id=merchant.store_id, name="Main", timezone=ZONE,
                                                      currency="IDR", pin_key_wrapped="-", updated_at=admin.utc_iso()))
    return web


def _deliver(engine, rounds: int = 50) -> None:
    worker = DeliveryWorker(engine, FAST)
    try:
        for _ in range(rounds):
            with writing(engine) as conn:   # every retry due now: no waiting for the backoff
                pending = conn.execute(sa.update(webhook_deliveries).where(webhook_deliveries.c.status == "pending")
                                       .values(next_attempt_at="2000-01-01T00:00:00.000000Z")).rowcount
            if not pending:
                return
            worker.run_once()
        raise AssertionError("deliveries still pending")
    finally:
        worker.stop()


@pytest.fixture
def delivered(hub_engine, merchant):
    """One delivery to a receiver that failed twice (500, 503) then took it: its id."""
    with Receiver(script=[500, 503]) as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"], "shop")
            webhooks.events_for_entries(conn, merchant.merchant_id, [
                {"entry_id": "e-1", "terminal_id": "hub", "card": "7K3M9Q2XPA", "kind": "earn", "stamps": 0,
                 "points": 10, "amount": 100, "at": admin.utc_iso()}])
        _deliver(hub_engine)
    with reading(hub_engine) as conn:
        return conn.execute(sa.select(webhook_deliveries.c.delivery_id)).scalar_one()


def _tries(text: str) -> list[tuple[str, str]]:
    """(try number, the row's html) of each try shown."""
    return re.findall(r'<tr class="try" data-try="(\d+)">(.*?)</tr>', text, re.S)


def _said(wire: str) -> str:
    """A wire time as the Indonesian page says it, in the store's zone: ``30 Nov 2026, 19.15 WIB``."""
    local = datetime.fromisoformat(wire.replace("Z", "+00:00")).astimezone(ZoneInfo(ZONE))
    return f"{local.day} {MONTHS_ID[local.month - 1]} {local.year}, {local:%H}.{local:%M} WIB"


def test_a_deliverys_page_shows_each_try_in_order_in_the_stores_zone(web, hub_engine, merchant, delivered):
    log = web.get(HOME, params={"status": "delivered"}, headers=INDONESIAN).text
    link = f"/console/integrations/deliveries/{delivered}?status=delivered"
    assert f'href="{link}"' in log and ">Riwayat</a>" in log, "each row of the log links to its tries"

    page = web.get(link, headers=INDONESIAN)
    assert page.status_code == 200, page.text
    with reading(hub_engine) as conn:
        kept = delivery_attempts.of_delivery(conn, merchant.merchant_id, delivered)
    shown = _tries(page.text)
    assert [number for number, _ in shown] == ["1", "2", "3"]
    for (_, row), tried, (outcome, answer) in zip(shown, kept, [("HTTP 500", "HTTP 500 Internal Server Error"),
                                                                 ("HTTP 503", "HTTP 503 Service Unavailable"),
                                                                 ("HTTP 200", "HTTP 200 OK")], strict=True):
        assert _said(tried["started_at"]) in row, "the try's start, in the store's zone and the page's words"
        assert f'datetime="{tried["started_at"]}"' in row
        assert f">{outcome}</span>" in row and f"<small>{answer}</small>" in row
        assert f"{tried['duration_ms']} milidetik" in row
    assert 'class="badge delivery-failed">HTTP 503' in shown[1][1] and 'delivery-delivered">HTTP 200' in shown[2][1]
    assert "waktu dalam Asia/Jakarta" in page.text and "Terkirim" in page.text
    assert f'href="{HOME}?status=delivered#deliveries"' in page.text, "back to the log page it came from"
    assert "tidak tercantum" not in page.text, "every try is there"

    english = web.get(f"/console/integrations/deliveries/{delivered}").text
    assert f"{kept[0]['duration_ms']} ms" in english and "Tries" in english and "Outcome" in english
    assert f'href="{HOME}#deliveries"' in english


def test_a_replay_from_the_deliverys_page_is_listed_there_with_its_own_try(web, hub_engine, merchant, delivered):
    page = web.get(f"/console/integrations/deliveries/{delivered}?status=delivered&next=https://evil.example")
    assert "evil" not in page.text, "only the log's own keys are kept"
    here = html.unescape(re.search(r'name="here" value="([^"]*)"', page.text).group(1))
    assert here == "status=delivered"
    with Receiver() as receiver:
        with writing(hub_engine) as conn:   # the receiver moved: the endpoint's URL follows it
            conn.execute(sa.text("UPDATE webhook_endpoints SET url = :url"), {"url": receiver.url})
        answer = web.post(f"{HOME}/deliveries/{delivered}/replay", data={"csrf": csrf_of(page.text), "here": here})
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{HOME}?status=delivered&notice=integrations_replayed"
        _deliver(hub_engine)
    assert len(receiver.got) == 1
    again = web.get(f"/console/integrations/deliveries/{delivered}").text
    [replay] = re.findall(r'data-replay="([0-9a-f-]+)"', again)
    assert len(_tries(again)) == 3, "the original keeps its three tries"
    theirs = web.get(f"/console/integrations/deliveries/{replay}").text
    assert [(n, "HTTP 200" in row) for n, row in _tries(theirs)] == [("1", True)]
    assert f'href="/console/integrations/deliveries/{delivered}"' in theirs, "the replay links to the original"


def test_a_try_from_before_the_history_and_missing_tries_are_said(web, hub_engine, merchant, delivered):
    with writing(hub_engine) as conn:   # as schema 22 left a delivery from before: only its latest try
        conn.execute(sa.delete(webhook_attempts))
        conn.execute(sa.insert(webhook_attempts).values(delivery_id=delivered, attempt=3, response_code=200,
                                                        answer=None))
    page = web.get(f"/console/integrations/deliveries/{delivered}", headers=INDONESIAN).text
    [(number, row)] = _tries(page)
    assert number == "3" and "sebelum hub mencatat setiap percobaan" in row and ">HTTP 200</span>" in row
    assert "2 dari 3 percobaannya tidak tercantum" in page and "60 terakhir" in page
    with writing(hub_engine) as conn:
        conn.execute(sa.delete(webhook_attempts))
    assert "Belum ada percobaan yang tercatat." in web.get(f"/console/integrations/deliveries/{delivered}",
                                                           headers=INDONESIAN).text


def test_another_merchants_delivery_an_unknown_one_and_no_owner_are_refused(app, web, hub_engine, delivered):
    other = make_merchant(hub_engine, "Other")
    with writing(hub_engine) as conn:
        webhooks.add_endpoint(conn, other.merchant_id, "https://other.example/hooks", ["*"])
        webhooks.events_for_entries(conn, other.merchant_id, [
            {"entry_id": "o-1", "terminal_id": "hub", "card": "7K3M9Q2XPA", "kind": "earn", "stamps": 0,
             "points": 10, "amount": 100, "at": admin.utc_iso()}])
        theirs = conn.execute(sa.select(webhook_deliveries.c.delivery_id)
                              .where(webhook_deliveries.c.merchant_id == other.merchant_id)).scalar_one()
    assert web.get(f"/console/integrations/deliveries/{theirs}").status_code == 404
    assert web.get("/console/integrations/deliveries/not-a-delivery").status_code == 404
    assert web.get("/console/integrations/deliveries/" + "a" * 40).status_code == 422
    with client(app) as stranger:
        answer = stranger.get(f"/console/integrations/deliveries/{delivered}")
        assert answer.status_code in (302, 303) and "sign-in" in answer.headers["location"]

