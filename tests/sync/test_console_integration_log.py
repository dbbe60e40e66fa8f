"""The integrations page's delivery log, credentials' last use and refusals in the page's language,
through FastAPI's test client on the real hub app and database (SQLite, and PostgreSQL with
LOYALTY_TEST_PG_URL).

The log pages by keyset: walking "Older" from the newest page and "Newer" back must meet every
delivery of the filter exactly once, in order, also where deliveries share a creation time.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from console_helpers import csrf_of, form_csrf

from sync.hub import admin, delivery_log, integration_credentials, tokens, webhooks
from sync.hub.console import i18n, integration_refusals
from sync.hub.db import reading, writing
from sync.hub.schema import store_profiles, webhook_deliveries, webhook_events
from terminal.domain.codes import new_code

HOME = "/console/integrations"
ZONE = "Asia/Jakarta"
START = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)   # 03:00 on 2 Nov in Jakarta
INDONESIAN = {"Accept-Language": "id"}


@pytest.fixture
def web(web, hub_engine, merchant):
    """The conftest's signed-in owner, with the store's profile as its till would have synced it: the log's
    times are shown in its zone."""
    with writing(hub_engine) as conn:
        conn.execute(sa.insert(store_profiles).values(store_id=merchant.store_id, name="Main", timezone=ZONE,
                                                      currency="IDR", pin_key_wrapped="-", updated_at=admin.utc_iso()))
    return web


def _wire(moment: datetime) -> str:
    return admin.utc_iso(moment)


@pytest.fixture
def log(hub_engine, merchant):
    """Two endpoints (every event; points only), 10 earns and 3 enrolments: 23 deliveries, made an hour
    apart in pairs of four hours (so pairs share a creation time), with every status; returns them newest first."""
    m = merchant.merchant_id
    with writing(hub_engine) as conn:
        every = webhooks.add_endpoint(conn, m, "https://every.example/hooks", ["*"])
        points = webhooks.add_endpoint(conn, m, "https://points.example/hooks", ["points.earned"])
        made = [{"entry_id": f"e-{i}", "terminal_id": "hub", "card": new_code(), "stamps": 0,
                 "kind": "enroll" if i % 4 == 3 else "earn", "points": 0 if i % 4 == 3 else 10, "amount": 100,
                 "at": _wire(START)} for i in range(13)]
        webhooks.events_for_entries(conn, m, made)
        ids = conn.execute(sa.select(webhook_deliveries.c.delivery_id).order_by(webhook_deliveries.c.delivery_id)
                           ).scalars().all()
        d = webhook_deliveries.c
        for i, ident in enumerate(ids):
            at = _wire(START + timedelta(hours=4 * (i // 2)))
            status, attempts = [("delivered", 1), ("pending", 0), ("pending", 3), ("failed", 9)][i % 4]
            conn.execute(sa.update(webhook_deliveries).where(d.delivery_id == ident).values(
                created_at=at, status=status, attempts=attempts, response_code=500 if attempts > 1 else None,
                last_error="HTTP 500 from the receiver" if attempts > 1 else None,
                delivered_at=at if status == "delivered" else None))
        rows = conn.execute(sa.select(webhook_deliveries, webhook_events.c.type)
                            .join(webhook_events, webhook_events.c.event_id == d.event_id)
                            .order_by(d.created_at.desc(), d.delivery_id.desc())).mappings().all()
    assert len(rows) == 23
    return {"every": every.endpoint_id, "points": points.endpoint_id, "rows": [dict(r) for r in rows]}


def _ids(text: str) -> list[str]:
    return re.findall(r'data-delivery="([0-9a-f-]+)"', text)


def _link(text: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', text)
    return html.unescape(found.group(1)) if found else None


def _walk(web, params: dict[str, str]) -> tuple[list[list[str]], list[list[str]]]:
    """Every page from the newest by "Older", then back from the oldest by "Newer"."""
    first = web.get(HOME, params=params)
    assert first.status_code == 200, first.text
    assert _link(first.text, "prev") is None, "the newest page has nothing newer"
    pages, text = [_ids(first.text)], first.text
    while (older := _link(text, "next")) is not None:
        assert "offset" not in older.lower()
        text = web.get(older).text
        pages.append(_ids(text))
        assert len(pages) < 50, "the pages never end"
    back = [pages[-1]]
    while (newer := _link(text, "prev")) is not None:
        text = web.get(newer).text
        back.append(_ids(text))
    return pages, list(reversed(back))


@pytest.mark.parametrize("chosen", [
    {}, {"endpoint": "points"}, {"event": "card.enrolled"}, {"event": "points.earned"}, {"status": "pending"},
    {"status": "failed"},
    {"from": "2026-11-03", "to": "2026-11-03"}, {"endpoint": "every", "status": "delivered", "from": "2026-11-02"},
])
def test_keyset_pages_meet_every_delivery_of_the_filter_once_in_order(web, log, monkeypatch, chosen):
    monkeypatch.setattr(delivery_log, "PAGE_SIZE", 4)
    params = {k: (log[v] if k == "endpoint" else v) for k, v in chosen.items()}
    zone = ZoneInfo(ZONE)

    def wanted(row):
        day = datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")).astimezone(zone).date().isoformat()
        return ((not params.get("endpoint") or row["endpoint_id"] == params["endpoint"])
                and (not params.get("event") or row["type"] == params["event"])
                and (not params.get("status") or row["status"] == params["status"])
                and (not params.get("from") or day >= params["from"]) and (not params.get("to") or day <= params["to"]))

    expected = [r["delivery_id"] for r in log["rows"] if wanted(r)]
    assert expected, "the case finds something"
    # An event type is found from its events when rare, by walking the log when common: both ways.
    for rare_events in ((1000, 2) if "event" in params else (1000,)):
        monkeypatch.setattr(delivery_log, "RARE_EVENTS", rare_events)
        pages, back = _walk(web, params)
        assert [ident for p in pages for ident in p] == expected, "every delivery once, newest first"
        assert all(1 <= len(p) <= 4 for p in pages) and all(len(p) == 4 for p in pages[:-1])
        assert len({tuple(p) for p in pages}) == len(pages), "each page distinct"
        assert back == pages, "Newer walks the same pages back"


def test_the_page_shows_each_deliverys_attempts_and_the_time_in_the_stores_zone(web, log):
    page = web.get(HOME, params={"status": "pending"}, headers=INDONESIAN).text
    assert "Dicoba ulang" in page and "Menunggu" in page and "HTTP 500" in page
    retrying = next(r for r in log["rows"] if r["status"] == "pending" and r["attempts"] == 3)
    shown = datetime.fromisoformat(retrying["next_attempt_at"].replace("Z", "+00:00")).astimezone(ZoneInfo(ZONE))
    assert f"{shown:%H}.{shown:%M} WIB" in page, "Indonesian time: 19.15, in the store's zone"
    assert "waktu dalam Asia/Jakarta" in page
    english = web.get(HOME, params={"status": "failed"}).text
    assert "Failed for good" in english and "<td data-label=\"Attempts\">9</td>" in english


def test_replay_from_an_older_page_comes_back_to_it(web, log, hub_engine, merchant, monkeypatch):
    monkeypatch.setattr(delivery_log, "PAGE_SIZE", 4)
    second = web.get(_link(web.get(HOME, params={"endpoint": log["every"]}).text, "next"))
    here = re.search(r'name="here" value="([^"]*)"', second.text).group(1)
    target = _ids(second.text)[0]
    answer = web.post(f"{HOME}/deliveries/{target}/replay",
                      data={"csrf": csrf_of(second.text), "here": html.unescape(here)})
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert "before=" in location and f"endpoint={log['every']}" in location
    assert location.endswith("notice=integrations_replayed")
    again = web.get(location)
    assert again.status_code == 200 and _ids(again.text) == _ids(second.text), "the same page, as it was"
    assert "sent again" in again.text
    with reading(hub_engine) as conn:
        [replayed] = webhooks.list_deliveries(conn, merchant.merchant_id, limit=1)
    assert replayed["replay_of"] == target
    assert _ids(web.get(HOME).text)[0] == replayed["delivery_id"], "the replay is the newest delivery"
    sneaky = web.post(f"{HOME}/deliveries/{target}/replay",
                      data={"csrf": csrf_of(second.text), "here": "next=https://evil.example&status=failed"})
    assert sneaky.headers["location"] == f"{HOME}?status=failed&notice=integrations_replayed"


@pytest.mark.parametrize("params, key", [
    ({"status": "lost"}, "integrations_bad_status"), ({"event": "points.lost"}, "integrations_bad_event"),
    ({"before": "yesterday"}, "integrations_bad_cursor"), ({"after": "2026-11-01T20:00:00.000000Z~<x>"},
                                                           "integrations_bad_cursor"),
    ({"from": "2026-02-30"}, "audit_bad_date"), ({"from": "2026-11-05", "to": "2026-11-01"}, "audit_dates_reversed"),
])
def test_a_bad_filter_or_cursor_is_refused_in_the_pages_language(web, log, params, key):
    answer = web.get(HOME, params=params, headers=INDONESIAN)
    assert answer.status_code == 422
    assert html.escape(i18n.MESSAGES["id"][key], quote=True) in answer.text
    assert _ids(answer.text) == []


# ---- last used --------------------------------------------------------------------

def test_last_used_is_set_by_a_real_call_and_written_at_most_once_a_minute(app, web, hub_engine, merchant):
    made = integration_credentials.create(hub_engine, merchant.merchant_id, "register", "read")
    assert "belum pernah dipakai" in web.get(HOME, headers=INDONESIAN).text
    updates = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE INTEGRATION_CREDENTIALS"):
            updates.append(statement)

    sa.event.listen(hub_engine, "before_cursor_execute", count)
    try:
        bearer = {"Authorization": f"Bearer {made.secret}"}
        for _ in range(4):
            assert web.get(f"/api/v1/integration/cards/{new_code()}", headers=bearer).status_code == 404
    finally:
        sa.event.remove(hub_engine, "before_cursor_execute", count)
    assert len(updates) == 1, "one write for four calls within the minute"
    [info] = integration_credentials.list_all(hub_engine, merchant.merchant_id)
    used = datetime.fromisoformat(info.last_used_at.replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - used) < timedelta(minutes=1)

    page = web.get(HOME, headers=INDONESIAN).text
    local = used.astimezone(ZoneInfo(ZONE))
    month = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"][local.month - 1]
    assert f"{local.day} {month} {local.year}, {local:%H}.{local:%M} WIB" in page and "Terakhir dipakai" in page
    assert f"{local:%H}:{local:%M} WIB" in web.get(HOME).text, "English: 19:15"

    hashed = tokens.secret_hash(made.secret)
    a_minute_on = used + timedelta(seconds=61)
    assert not integration_credentials.note_use(hub_engine, hashed, info.last_used_at, used + timedelta(seconds=30))
    assert integration_credentials.note_use(hub_engine, hashed, info.last_used_at, a_minute_on)
    assert not integration_credentials.note_use(hub_engine, hashed, info.last_used_at, a_minute_on), \
        "a second worker that read the old time writes nothing"
    assert integration_credentials.list_all(hub_engine, merchant.merchant_id)[0].last_used_at == \
        admin.utc_iso(a_minute_on)


def test_a_revoked_credential_stays_listed_with_its_scope_and_times(web, hub_engine, merchant):
    made = integration_credentials.create(hub_engine, merchant.merchant_id, "old shop", "write")
    web.get(f"/api/v1/integration/cards/{new_code()}", headers={"Authorization": f"Bearer {made.secret}"})
    integration_credentials.revoke(hub_engine, merchant.merchant_id, made.credential_id)
    page = web.get(HOME, headers=INDONESIAN).text
    row = re.search(rf'<tr class="credential integration-gone" id="credential-{made.credential_id}">(.*?)</tr>',
                    page, re.S)
    assert row, "the revoked credential is still listed"
    assert "Dicabut" in row.group(1) and "Baca dan tulis" in row.group(1) and "WIB" in row.group(1)
    assert "belum pernah dipakai" not in row.group(1) and "/revoke" not in row.group(1)


# ---- refusals in the page's language ------------------------------------------------------

def _refusals(hub_engine, merchant_id) -> list[str]:
    """Every refusal of the checks behind the page's forms, as the API words it."""
    said = []
    for url in ("", "https://a.example/" + "x" * 2100, "https://a b.example/", "ftp://shop.example/hooks",
                "https://user:pw@shop.example/hooks", "https://shop.example:99999/", "https:///hooks",
                "https://a..b/hooks"):
        with pytest.raises(webhooks.WebhookError) as refused:
            webhooks.check_url(url)
        said.append(str(refused.value))
    for events in ([], ["points.lost"]):
        with pytest.raises(webhooks.WebhookError) as refused:
            webhooks.check_events(events)
        said.append(str(refused.value))
    with pytest.raises(webhooks.WebhookError) as refused, writing(hub_engine) as conn:
        webhooks.add_endpoint(conn, merchant_id, "https://shop.example/h", ["*"], "d" * 201)
    said.append(str(refused.value))
    for name, scope in (("", "read"), ("shop", "admin")):
        with pytest.raises(admin.AdminError) as refused:
            integration_credentials.create(hub_engine, merchant_id, name, scope)
        said.append(str(refused.value))
    with writing(hub_engine) as conn:
        gone = webhooks.add_endpoint(conn, merchant_id, "https://gone.example/h", ["*"])
        webhooks.events_for_entries(conn, merchant_id, [{"entry_id": "x-1", "card": new_code(), "kind": "earn",
                                                         "points": 5, "at": admin.utc_iso()}])
        webhooks.remove_endpoint(conn, merchant_id, gone.endpoint_id)
        [delivery] = webhooks.list_deliveries(conn, merchant_id)
    with pytest.raises(webhooks.WebhookError) as refused, writing(hub_engine) as conn:
        webhooks.replay(conn, merchant_id, delivery["delivery_id"])
    said.append(str(refused.value))
    return said


def test_every_refusal_has_a_code_whose_english_is_the_apis_and_indonesian_words(hub_engine, merchant):
    english, indonesian = i18n.translator("en"), i18n.translator("id")
    codes = set()
    for reason in _refusals(hub_engine, merchant.merchant_id):
        known = integration_refusals.code_of(reason)
        assert known is not None, f"no words for the refusal {reason!r}"
        codes.add(known[0])
        assert integration_refusals.say(english, reason) == f"The hub refused this: {reason}"
        said = integration_refusals.say(indonesian, reason)
        assert said.startswith("Hub menolak ini: ") and reason not in said
    assert len(codes) == 14, sorted(codes)


@pytest.mark.parametrize("url, events, words", [
    ("ftp://shop.example/hooks", ["*"], "harus diawali https://"),
    ("https://user:pw@shop.example/hooks", ["*"], "tidak boleh memuat nama pengguna"),
    ("https://shop.example/hooks", [], "pilih paling sedikit satu kejadian"),
    ("https://shop.example/hooks", ["points.lost"], "kejadian &#39;points.lost&#39; tidak dikenal"),
])
def test_an_indonesian_page_refuses_an_endpoint_in_indonesian(web, hub_engine, merchant, url, events, words):
    csrf = form_csrf(web, HOME)
    answer = web.post(f"{HOME}/endpoints", data={"url": url, "events": events, "csrf": csrf}, headers=INDONESIAN)
    assert answer.status_code == 422
    assert "Hub menolak ini: " in answer.text and words in answer.text
    assert "the endpoint URL" not in answer.text and "choose" not in answer.text
    with reading(hub_engine) as conn:
        assert webhooks.list_endpoints(conn, merchant.merchant_id) == []


def test_an_indonesian_page_refuses_a_credential_in_indonesian(web, hub_engine, merchant):
    answer = web.post(f"{HOME}/credentials", data={"name": "kasir", "scope": "admin", "csrf": form_csrf(web, HOME)},
                      headers=INDONESIAN)
    assert answer.status_code == 422 and "cakupan harus" in answer.text and "scope must" not in answer.text
    assert integration_credentials.list_all(hub_engine, merchant.merchant_id) == []


def test_the_schema_step_adds_last_used_and_the_logs_indexes(hub_engine):
    from sync.hub.migrations import migrate
    from sync.hub.schema import hub_schema

    with writing(hub_engine) as conn:
        for name in ("ix_webhook_deliveries_log", "ix_webhook_deliveries_endpoint_log",
                     "ix_webhook_deliveries_status_log", "ix_webhook_deliveries_event", "ix_webhook_events_type"):
            conn.execute(sa.text(f"DROP INDEX {name}"))
        conn.execute(sa.text("CREATE INDEX ix_webhook_deliveries_merchant ON webhook_deliveries "
                             "(merchant_id, created_at)"))
        conn.execute(sa.text("ALTER TABLE integration_credentials DROP COLUMN last_used_at"))
        conn.execute(sa.update(hub_schema).values(version=20))
    assert migrate(hub_engine) == 20
    with reading(hub_engine) as conn:
        inspect = sa.inspect(conn)
        names = {i["name"] for t in ("webhook_deliveries", "webhook_events") for i in inspect.get_indexes(t)}
        columns = {c["name"] for c in inspect.get_columns("integration_credentials")}
    assert {"ix_webhook_deliveries_log", "ix_webhook_deliveries_status_log", "ix_webhook_events_type"} <= names
    assert "ix_webhook_deliveries_merchant" not in names and "last_used_at" in columns
