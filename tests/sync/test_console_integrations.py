"""The console's integrations page through FastAPI's test client, on the real hub app and database
(SQLite, and PostgreSQL with LOYALTY_TEST_PG_URL): integration credentials made, used against the
integration API and revoked; webhook endpoints added (the API's URL checks) and removed; the
delivery log and its replays. Every form: a signed-in owner, its CSRF token, the owner's own merchant."""

from __future__ import annotations

import re

import pytest
from conftest import make_merchant
from console_helpers import client, csrf_of, form_csrf

from sync.hub import integration_credentials, webhooks
from sync.hub.console import i18n, integration_routes
from sync.hub.db import reading, writing
from terminal.domain.codes import new_code

HOME = "/console/integrations"
CARD = f"/api/v1/integration/cards/{new_code()}"   # a well-formed code no card has


def _endpoints(engine, merchant_id):
    with reading(engine) as conn:
        return webhooks.list_endpoints(conn, merchant_id)


def _deliveries(engine, merchant_id):
    with reading(engine) as conn:
        return webhooks.list_deliveries(conn, merchant_id)


def _earn_event(engine, merchant_id: str, entry_id: str = "e-1") -> None:
    entry = {"entry_id": entry_id, "terminal_id": "hub", "card": "7K3M9Q2XPA", "kind": "earn", "stamps": 0,
             "points": 10, "amount": 100, "at": "2026-11-30T12:00:00.000000Z"}
    with writing(engine) as conn:
        webhooks.events_for_entries(conn, merchant_id, [entry])


def _create(web, name="web shop", scope="write", csrf=None):
    return web.post(f"{HOME}/credentials",
                    data={"name": name, "scope": scope, "csrf": csrf if csrf is not None else form_csrf(web, HOME)})


def _secret(html: str, prefix: str) -> str:
    found = re.findall(rf'({prefix}[A-Za-z0-9_-]+)', html)
    assert len(found) == 1, "the answer shows the secret exactly once"
    return found[0]


def test_page_needs_sign_in_and_opens_in_both_languages(app, web):
    with client(app) as stranger:
        assert stranger.get(HOME).headers["location"].startswith(f"/console/sign-in?next={HOME}")
        posted = stranger.post(f"{HOME}/credentials", data={"name": "x", "scope": "read", "csrf": "0" * 64})
        assert posted.status_code == 303 and posted.headers["location"].startswith("/console/sign-in")
    english = web.get(HOME)
    indonesian = web.get(HOME, headers={"Accept-Language": "id"})
    assert english.status_code == indonesian.status_code == 200
    assert 'href="/console/integrations" aria-current="page"' in english.text
    assert "Integration credentials" in english.text and "Kredensial integrasi" in indonesian.text
    assert english.headers["cache-control"] == "no-store"


def test_credential_is_shown_once_works_and_revoking_ends_it(web, hub_engine, merchant):
    made = _create(web, "  web shop  ", "read")
    assert made.status_code == 200 and "location" not in made.headers
    assert made.headers["cache-control"] == "no-store"
    secret = _secret(made.text, integration_credentials.PREFIX)
    assert "it is not shown again" in made.text
    [info] = integration_credentials.list_all(hub_engine, merchant.merchant_id)
    assert (info.name, info.scope, info.revoked_at) == ("web shop", "read", None)

    listed = web.get(HOME).text
    assert secret not in listed and info.credential_id in listed and "web shop" in listed
    bearer = {"Authorization": f"Bearer {secret}"}
    looked_up = web.get(CARD, headers=bearer)
    assert looked_up.status_code == 404 and looked_up.json()["code"] == "CARD_NOT_FOUND", looked_up.text
    write = web.post("/api/v1/integration/cards", headers={**bearer, "Idempotency-Key": "k1"},
                     json={"source": "shop", "order_id": "1"})
    assert write.status_code == 403, "a read credential may not write"

    confirm = web.get(f"{HOME}/credentials/{info.credential_id}/revoke")
    assert confirm.status_code == 200 and "web shop" in confirm.text
    assert integration_credentials.list_all(hub_engine, merchant.merchant_id)[0].revoked_at is None, "a page, no change"
    revoked = web.post(f"{HOME}/credentials/{info.credential_id}/revoke", data={"csrf": csrf_of(confirm.text)})
    assert (revoked.status_code, revoked.headers["location"]) == (303, f"{HOME}?notice=integrations_revoked")
    assert integration_credentials.list_all(hub_engine, merchant.merchant_id)[0].revoked_at is not None
    assert web.get(CARD, headers=bearer).status_code == 401
    assert web.get(f"{HOME}/credentials/{info.credential_id}/revoke").status_code == 404, "already revoked"


def test_bad_credential_requests_are_refused_with_the_reason(web, hub_engine, merchant):
    for name, scope in (("   ", "write"), ("x" * 201, "write"), ("shop", "admin"), ("line\nbreak", "read")):
        answer = _create(web, name, scope)
        assert answer.status_code == 422, (name, scope)
        assert 'role="alert"' in answer.text and integration_credentials.PREFIX not in answer.text
    assert integration_credentials.list_all(hub_engine, merchant.merchant_id) == []


def test_every_form_refuses_a_missing_or_foreign_csrf_token(app, web, hub_engine, merchant):
    with writing(hub_engine) as conn:
        endpoint = webhooks.add_endpoint(conn, merchant.merchant_id, "https://shop.example/hooks", ["*"])
    _earn_event(hub_engine, merchant.merchant_id)
    [delivery] = _deliveries(hub_engine, merchant.merchant_id)
    credential = integration_credentials.create(hub_engine, merchant.merchant_id, "pos", "write")
    with client(app) as other_session:
        foreign = form_csrf(other_session, "/console/sign-in")   # a token, but not this session's
    forms = [(f"{HOME}/credentials", {"name": "new", "scope": "read"}),
             (f"{HOME}/credentials/{credential.credential_id}/revoke", {}),
             (f"{HOME}/endpoints", {"url": "https://other.example/h", "events": "*"}),
             (f"{HOME}/endpoints/{endpoint.endpoint_id}/remove", {}),
             (f"{HOME}/deliveries/{delivery['delivery_id']}/replay", {})]
    for path, data in forms:
        for token in (None, foreign):
            answer = web.post(path, data={**data, **({"csrf": token} if token else {})})
            assert answer.status_code == 403, path
    assert [c.revoked_at for c in integration_credentials.list_all(hub_engine, merchant.merchant_id)] == [None]
    assert [e.endpoint_id for e in _endpoints(hub_engine, merchant.merchant_id)] == [endpoint.endpoint_id]
    assert len(_deliveries(hub_engine, merchant.merchant_id)) == 1


def test_another_merchants_records_are_404_and_untouched(web, hub_engine):
    other = make_merchant(hub_engine, "Other shop")
    credential = integration_credentials.create(hub_engine, other.merchant_id, "their pos", "write")
    with writing(hub_engine) as conn:
        endpoint = webhooks.add_endpoint(conn, other.merchant_id, "https://them.example/hooks", ["*"])
    _earn_event(hub_engine, other.merchant_id)
    [delivery] = _deliveries(hub_engine, other.merchant_id)
    csrf = form_csrf(web, HOME)
    assert "their pos" not in web.get(HOME).text and "them.example" not in web.get(HOME).text
    for path in (f"{HOME}/credentials/{credential.credential_id}/revoke",
                 f"{HOME}/endpoints/{endpoint.endpoint_id}/remove"):
        assert web.get(path).status_code == 404
        assert web.post(path, data={"csrf": csrf}).status_code == 404
    assert web.post(f"{HOME}/deliveries/{delivery['delivery_id']}/replay", data={"csrf": csrf}).status_code == 404
    assert web.post(f"{HOME}/deliveries/{delivery['delivery_id'][:8]}/replay",
                    data={"csrf": csrf}).status_code == 404, "no prefix matching from a form"
    assert web.get(HOME, params={"endpoint": endpoint.endpoint_id}).status_code == 404
    assert integration_credentials.list_all(hub_engine, other.merchant_id)[0].revoked_at is None
    assert len(_endpoints(hub_engine, other.merchant_id)) == 1
    assert len(_deliveries(hub_engine, other.merchant_id)) == 1


REFUSED_ENDPOINTS = [("ftp://shop.example/hooks", ["*"]), ("https://user:pw@shop.example/hooks", ["*"]),
                     ("https://shop.example/hooks", []), ("https://shop.example/hooks", ["points.lost"])]


def test_a_refused_endpoint_answers_422_with_the_reason_and_writes_nothing(web, hub_engine, merchant):
    for url, events in REFUSED_ENDPOINTS:
        answer = web.post(f"{HOME}/endpoints", data={"url": url, "events": events, "csrf": form_csrf(web, HOME)})
        assert answer.status_code == 422, url
        with pytest.raises(webhooks.WebhookError) as reason:   # the API's own checks say why
            webhooks.check_url(url)
            webhooks.check_events(events)
        assert str(reason.value).split(":")[0] in answer.text.replace("&#39;", "'")
        assert f'value="{url}"' in answer.text, "what the owner typed is kept"
        assert "whsec_" not in answer.text and 'class="secret"' not in answer.text
    assert _endpoints(hub_engine, merchant.merchant_id) == []


def test_endpoint_secret_once_log_replay_and_remove(web, hub_engine, merchant):
    made = web.post(f"{HOME}/endpoints", data={"url": "https://shop.example/hooks",
                                               "events": ["points.earned", "card.enrolled"],
                                               "description": "till to shop", "csrf": form_csrf(web, HOME)})
    assert made.status_code == 200, made.text
    secret = _secret(made.text, "whsec_")
    [endpoint] = _endpoints(hub_engine, merchant.merchant_id)
    assert endpoint.events == ["points.earned", "card.enrolled"]
    _earn_event(hub_engine, merchant.merchant_id)
    [original] = _deliveries(hub_engine, merchant.merchant_id)

    page = web.get(HOME)
    assert secret not in page.text and "https://shop.example/hooks" in page.text and "points.earned" in page.text
    replay_path = f"{HOME}/deliveries/{original['delivery_id']}/replay"
    assert f'action="{replay_path}"' in page.text
    replayed = web.post(replay_path, data={"csrf": csrf_of(page.text)})
    assert (replayed.status_code, replayed.headers["location"]) == (303, f"{HOME}?notice=integrations_replayed")
    newest, oldest = _deliveries(hub_engine, merchant.merchant_id)
    assert oldest["delivery_id"] == original["delivery_id"]
    assert (newest["replay_of"], newest["event_id"], newest["status"]) == (original["delivery_id"],
                                                                           original["event_id"], "pending")
    filtered = web.get(HOME, params={"endpoint": endpoint.endpoint_id, "status": "pending"})
    assert filtered.status_code == 200 and filtered.text.count("/replay\"") == 2
    assert web.get(HOME, params={"status": "lost"}).status_code == 422

    confirm = web.get(f"{HOME}/endpoints/{endpoint.endpoint_id}/remove")
    assert confirm.status_code == 200 and len(_endpoints(hub_engine, merchant.merchant_id)) == 1
    removed = web.post(f"{HOME}/endpoints/{endpoint.endpoint_id}/remove", data={"csrf": csrf_of(confirm.text)})
    assert (removed.status_code, removed.headers["location"]) == (303, f"{HOME}?notice=integrations_removed")
    assert _endpoints(hub_engine, merchant.merchant_id) == []
    assert {d["status"] for d in _deliveries(hub_engine, merchant.merchant_id)} == {"cancelled"}
    after = web.get(HOME)
    assert "/replay\"" not in after.text, "no replay to a removed endpoint"
    refused = web.post(replay_path, data={"csrf": csrf_of(after.text)})
    assert refused.status_code == 422 and len(_deliveries(hub_engine, merchant.merchant_id)) == 2


def test_every_event_type_and_delivery_status_has_words_in_both_languages():
    # The page says them with t("integrations_event_" ~ type): a new event type needs its words here.
    for language in i18n.LANGUAGES:
        for event in webhooks.EVENT_TYPES:
            assert "integrations_event_" + event.replace(".", "_") in i18n.MESSAGES[language], (language, event)
        for status in integration_routes.STATUSES:
            assert "integrations_status_" + status in i18n.MESSAGES[language], (language, status)
