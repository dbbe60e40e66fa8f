"""The console's audit log page through FastAPI's test client, on events real pushes brought to the hub.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL, like the other hub tests.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from conftest import make_merchant
from console_helpers import client
from sync_helpers import pair_terminal

from sync.hub import admin
from sync.hub.app import create_app
from sync.syncer import Syncer


@pytest.fixture
def history(hub, hub_engine, merchant, tmp_path):
    """Two stores' tills push lockouts, a void, an adjustment, a refused staff change; a rival merchant too."""
    harbour = admin.add_store(hub_engine, merchant.merchant_id, "Harbour")
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "Front till")
    b, client_b = pair_terminal(hub.url, hub_engine, harbour, tmp_path / "b.db", "Harbour till")
    rival = make_merchant(hub_engine, "Rival Shop", "Rival street")
    r, client_r = pair_terminal(hub.url, hub_engine, rival.store_id, tmp_path / "r.db", "Rival till")
    try:
        a.set_staff("s1", "Sam Cashier")
        siti, budi = a.enroll(holder="Siti"), a.enroll(holder="Budi")
        earned = a.record([dict(card=siti, kind="earn", points=100, amount=1000, staff_id="s1")])
        a.record([dict(card=siti, kind="void", points=-100, reverses=earned[0]["entry_id"], staff_id="s1",
                       reason="wrong card")])
        a.record([dict(card=budi, kind="adjust", points=25, staff_id="s1", reason="goodwill")])
        a.audit("pin_failed", {"attempts": 3})
        a.audit("staff_locked", {"until": "2026-05-01 09:30:00+00:00"})
        Syncer(a, client_a).sync_once()
        b.set_staff("s1", "Sam at the harbour")   # Main's staff member: refused for Harbour's till
        b.audit("export", {"what": "report"}, staff_id="s9")
        Syncer(b, client_b).sync_once()
        rival_card = r.enroll(holder="Rita")
        r.record([dict(card=rival_card, kind="adjust", points=999, staff_id="x1", reason="rival reason")])
        r.audit("pin_failed", {"attempts": 7})
        Syncer(r, client_r).sync_once()
        return {"siti": siti, "budi": budi, "harbour": harbour, "front": a.terminal_id(),
                "rival_card": rival_card, "rival_store": rival.store_id, "rival_till": r.terminal_id()}
    finally:
        for closing in (client_a, client_b, client_r, a, b, r):
            closing.close()


@pytest.fixture
def web(web, history):
    """The signed-in console client (conftest.py), on a hub that holds the tills' history."""
    return web


def _kinds(html: str) -> list[str]:
    return re.findall(r"<td data-label=\"What\"><span><strong>([^<]+)</strong>", html)


def test_a_stranger_is_sent_to_sign_in(hub_engine):
    with client(create_app(hub_engine, run_migrations=False)) as stranger:
        answer = stranger.get("/console/audit?kind=voids")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/sign-in?next=/console/audit")


def test_every_kind_is_listed_newest_first_and_nothing_of_another_merchant(web, history):
    page = web.get("/console/audit")
    assert page.status_code == 200
    kinds = _kinds(page.text)
    assert set(kinds) == {"Wrong PIN", "Locked out", "Void", "Adjustment", "Change refused by the hub",
                          "Data exported"}
    # newest first: the harbour till pushed after the front till (the refusal is the hub's receipt time)
    times = re.findall(r'<time datetime="([^"]+)"', page.text)
    assert times == sorted(times, reverse=True)
    assert "Sam Cashier" in page.text and "goodwill" in page.text and "wrong card" in page.text
    assert "this till&#39;s store may not change it" in page.text and "staff member Sam Cashier" in page.text
    assert "wrong PIN number 3 in a row" in page.text and "locked until 2026-05-01 09:30 UTC" in page.text
    assert "Main · Front till" in page.text and "Harbour · Harbour till" in page.text
    for rival in (history["rival_card"], "Rival till", "rival reason", "number 7", history["rival_store"]):
        assert rival not in page.text
    _indonesian_words(web)


def _indonesian_words(web):
    page = web.get("/console/audit", headers={"Accept-Language": "id"})
    assert page.status_code == 200 and '<html lang="id">' in page.text
    assert {"PIN salah", "Terkunci", "Pembatalan", "Penyesuaian", "Perubahan ditolak oleh hub"} <= set(
        _kinds(page.text.replace('data-label="Apa"', 'data-label="What"')))


FILTERS = [
    ("kind=lockouts", {"Wrong PIN", "Locked out"}),
    ("kind=voids", {"Void"}),
    ("kind=adjustments", {"Adjustment"}),
    ("kind=refusals", {"Change refused by the hub"}),
    ("kind=other", {"Data exported"}),
    ("kind=flags", set()),
    ("staff=s1", {"Void", "Adjustment", "Wrong PIN", "Locked out", "Change refused by the hub"}),
]


def test_filters_by_kind_and_staff(web):
    # one history for every filter: each test's history is three tills pairing and pushing
    for query, expected in FILTERS:
        page = web.get(f"/console/audit?{query}")
        assert page.status_code == 200, query
        assert set(_kinds(page.text)) == expected, query


def test_filters_by_store_till_card_and_dates(web, history):
    harbour = web.get(f"/console/audit?store={history['harbour']}")
    assert set(_kinds(harbour.text)) == {"Change refused by the hub", "Data exported"}
    front = web.get(f"/console/audit?till={history['front']}")
    assert set(_kinds(front.text)) == {"Wrong PIN", "Locked out", "Void", "Adjustment"}
    both = web.get(f"/console/audit?store={history['harbour']}&till={history['front']}")
    assert both.status_code == 422 and "No such till (in that store)" in both.text
    # a card code as people type it: lower case, with a dash
    typed = history["budi"][:5].lower() + "-" + history["budi"][5:].lower()
    assert set(_kinds(web.get(f"/console/audit?card={typed}").text)) == {"Adjustment"}
    assert set(_kinds(web.get(f"/console/audit?card={history['siti']}").text)) == {"Void"}
    today = datetime.now(UTC).date().isoformat()
    assert len(_kinds(web.get(f"/console/audit?from={today}&to={today}").text)) == 6
    past = web.get("/console/audit?from=2021-01-01&to=2021-12-31")
    assert past.status_code == 200 and not _kinds(past.text) and "Nothing matches these filters." in past.text


BAD_FILTERS = [
    ("from=2026-02-30", "A date is not a real date. Write it as YYYY-MM-DD"),
    ("to=yesterday", "A date is not a real date."),
    ("to=9999-12-31", "A date is not a real date."),
    ("from=2026-05-02&to=2026-05-01", "The From date is after the To date."),
    ("card=NOT-A-CARD!", "That is not a card code."),
    ("kind=everything", "No such kind of event."),
    ("staff=x1", "No such staff member at this merchant."),   # the rival's staff member
    ("size=0", "Rows per page must be a whole number from 1 to 200."),
    ("size=201", "Rows per page must be a whole number from 1 to 200."),
    ("after=2026-01-01T00:00:00.000000Z~q~0~1", "This link to older events is damaged."),
]


def test_bad_filters_are_answered_clearly(web):
    for query, sentence in BAD_FILTERS:
        answer = web.get(f"/console/audit?{query}")
        assert answer.status_code == 422, query
        assert sentence in answer.text, query
        assert not _kinds(answer.text), query
    # longer than any real value: refused before it reaches the query
    assert web.get("/console/audit?card=" + "A" * 41).status_code == 422
    assert web.get("/console/audit?after=" + "1" * 121).status_code == 422


def test_another_merchants_store_and_till_are_refused_not_shown(web, history):
    for query in (f"store={history['rival_store']}", f"till={history['rival_till']}"):
        answer = web.get(f"/console/audit?{query}")
        assert answer.status_code == 422 and "at this merchant" in answer.text
        assert history["rival_card"] not in answer.text
    assert not _kinds(web.get(f"/console/audit?card={history['rival_card']}").text)


def test_pages_follow_each_other_with_no_row_twice(web):
    everything = _kinds(web.get("/console/audit").text)
    seen: list[str] = []
    link = "/console/audit?size=2&kind="
    pages = 0
    while link:
        page = web.get(link.replace("&amp;", "&"))
        assert page.status_code == 200
        rows = re.findall(r'<tr class="audit-([a-z])">\s*<td[^>]*><time datetime="([^"]+)"', page.text)
        assert len(rows) <= 2
        seen += _kinds(page.text)
        pages += 1
        found = re.search(r'href="(/console/audit\?[^"]*after=[^"]+)">Older events', page.text)
        link = found.group(1) if found else ""
        if link:
            assert "size=2" in link and "Newest events" in web.get(link.replace("&amp;", "&")).text
    assert pages == 3 and seen == everything


def test_a_date_range_is_read_in_the_store_zone_across_daylight_saving():
    from sync.hub import audit_log

    # Berlin's clocks go forward on 2026-03-29: that day is 23 hours long, from 23:00 UTC the day before.
    assert audit_log.day_range("2026-03-29", "2026-03-29", "Europe/Berlin") == (
        "2026-03-28T23:00:00.000000Z", "2026-03-29T22:00:00.000000Z")
    assert audit_log.day_range("2026-05-01", "", "Asia/Jakarta") == ("2026-04-30T17:00:00.000000Z", None)
    # far dates stay in the wire's sortable form (year 1 is "0001", not "1")
    assert audit_log.day_range("0001-01-01", "", "UTC")[0] == "0001-01-01T00:00:00.000000Z"
