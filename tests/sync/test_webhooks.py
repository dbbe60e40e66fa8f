"""Webhooks: events from real pushes, signed deliveries to a real receiver, retries, replays,
exactly one recorded delivery under two workers and a SIGKILLed worker, and ingest never waiting.

Runs on SQLite and, with ``LOYALTY_TEST_PG_URL``, on PostgreSQL (the ``hub`` fixtures).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from conftest import make_merchant
from sync_helpers import pair_terminal, wait_for
from webhook_receiver import Receiver

from sync.hub import webhooks
from sync.hub.app import create_app
from sync.hub.cli import main as hub_cli
from sync.hub.db import reading, writing
from sync.hub.schema import webhook_deliveries, webhook_events
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker, backoff_s
from sync.syncer import Syncer

ROOT = Path(__file__).resolve().parents[2]
FAST = DeliverySettings(timeout_s=2.0, lease_s=4.0, first_retry_s=0.05, max_retry_s=0.2, poll_s=0.05)


def _docs_verify():
    """The ``verify`` function exactly as docs/integration.md shows it."""
    text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
    section = text[text.index("## Webhooks"):]
    [code] = [c for c in re.findall(r"```python\n(.*?)```", section, re.S) if "def verify" in c]
    space: dict = {}
    exec(compile(code, "docs/integration.md", "exec"), space)
    return space["verify"]


def _owner(merchant) -> dict[str, str]:
    return {"Authorization": f"Bearer {merchant.owner_token}"}


def _add_endpoint(hub_url: str, merchant, url: str, events: list[str]) -> dict:
    answer = httpx.post(f"{hub_url}/api/v1/webhooks", headers=_owner(merchant),
                        json={"url": url, "events": events})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _deliver_all(engine, worker: DeliveryWorker, rounds: int = 200) -> None:
    for _ in range(rounds):
        with reading(engine) as conn:
            pending = conn.execute(sa.select(sa.func.count()).select_from(webhook_deliveries)
                                   .where(webhook_deliveries.c.status == "pending")).scalar_one()
        if not pending:
            return
        if not worker.run_once():
            time.sleep(0.02)
    raise AssertionError("deliveries still pending")


def _rows(engine) -> list[dict]:
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(sa.select(webhook_deliveries)).mappings()]


# ---- events from real pushes -----------------------------------------------------------

def test_a_push_writes_events_and_the_worker_delivers_them_signed(hub, hub_engine, merchant, tmp_path):
    verify = _docs_verify()
    with Receiver() as receiver:
        made = _add_endpoint(hub.url, merchant, receiver.url, ["*"])
        earned_only = _add_endpoint(hub.url, merchant, receiver.url + "/earn", ["points.earned"])
        till, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
        till.set_program("default", "Points", {"tiers": [
            {"name": "Silver", "min_lifetime_points": 100, "multiplier_percent": 100},
            {"name": "Gold", "min_lifetime_points": 500, "multiplier_percent": 120}]})
        with client:
            sync = Syncer(till, client)
            card = till.enroll()
            till.earn(card, points=60, amount=600)
            sync.sync_once()
            till.earn(card, points=60, amount=600)          # 120 lifetime: Silver
            till.redeem(card, 30)
            till.record([dict(card=card, kind="expire", points=-10, reason="expiry:age:2026-01-01")])
            till.redeem(card, 500)                           # more than the card holds: an overdraft
            sync.sync_once()
        with reading(hub_engine) as conn:
            types = sorted(conn.execute(sa.select(webhook_events.c.type)).scalars())
        assert types == sorted(["card.enrolled", "points.earned", "points.earned", "tier.changed",
                                "reward.redeemed", "reward.redeemed", "points.expired", "flag.overdraft"])

        worker = DeliveryWorker(hub_engine, FAST)
        try:
            _deliver_all(hub_engine, worker)
        finally:
            worker.stop()
        assert len(receiver.got) == 8 + 2
        for got in receiver.got:
            secret = made["secret"] if got.path == "/hooks" else earned_only["secret"]
            assert verify(secret, got.headers["loyalty-signature"], got.body)
            assert not verify(secret, got.headers["loyalty-signature"], got.body + b" ")
            assert not verify("whsec_other", got.headers["loyalty-signature"], got.body)
            body = json.loads(got.body)
            assert got.headers["loyalty-event"] == body["type"] and got.headers["loyalty-event-id"] == body["id"]
        assert sorted(json.loads(g.body)["type"] for g in receiver.got if g.path == "/hooks/earn") == \
            ["points.earned", "points.earned"]
        [tier] = [json.loads(g.body)["data"] for g in receiver.got if g.headers["loyalty-event"] == "tier.changed"]
        assert (tier["card"], tier["from_tier"], tier["to_tier"], tier["lifetime_points"]) == \
            (card, None, "Silver", 120)
        [flag] = [json.loads(g.body)["data"]["flag"] for g in receiver.got
                  if g.headers["loyalty-event"] == "flag.overdraft"]
        assert (flag["card"], flag["points_balance"]) == (card, 120 - 30 - 10 - 500)
    assert {r["status"] for r in _rows(hub_engine)} == {"delivered"}


def test_the_signature_recipe_refuses_old_timestamps_and_malformed_headers():
    verify = _docs_verify()
    body = b'{"id":"x"}'
    now = int(time.time())
    assert verify("whsec_a", webhooks.sign("whsec_a", now, body), body)
    assert not verify("whsec_a", webhooks.sign("whsec_a", now - 3600, body), body)
    assert not verify("whsec_a", "v1=abc", body)
    assert not verify("whsec_a", "garbage", body)
    assert not verify("whsec_a", f"t={now},v1=", body)


def test_no_endpoint_means_no_event_and_a_removed_one_gets_nothing_more(hub, hub_engine, merchant, tmp_path):
    till, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    with Receiver() as receiver, client:
        sync = Syncer(till, client)
        till.enroll()
        sync.sync_once()
        assert _rows(hub_engine) == []
        made = _add_endpoint(hub.url, merchant, receiver.url, ["card.enrolled"])
        till.enroll()
        sync.sync_once()
        removed = httpx.delete(f"{hub.url}/api/v1/webhooks/{made['endpoint_id']}", headers=_owner(merchant))
        assert removed.status_code == 200
        till.enroll()
        sync.sync_once()
    [row] = _rows(hub_engine)
    assert row["status"] == "cancelled" and row["last_error"] == "the endpoint was removed"


# ---- retries, giving up, replay --------------------------------------------------------

def test_a_failing_receiver_is_retried_until_it_recovers_then_replayed(hub, hub_engine, merchant):
    with Receiver(script=[500, 503]) as receiver:
        made = _add_endpoint(hub.url, merchant, receiver.url, ["points.earned"])
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            worker.run_once()
            [row] = _rows(hub_engine)
            assert (row["status"], row["attempts"], row["response_code"]) == ("pending", 1, 500)
            assert row["last_error"].startswith("HTTP 500") and row["next_attempt_at"] > row["created_at"]
            _deliver_all(hub_engine, worker)
            [row] = _rows(hub_engine)
            assert (row["status"], row["attempts"], row["response_code"]) == ("delivered", 3, 200)
            assert len(set(receiver.delivery_ids())) == 1 and len(receiver.got) == 3

            log = httpx.get(f"{hub.url}/api/v1/webhooks/deliveries", headers=_owner(merchant)).json()
            assert [(d["delivery_id"], d["status"], d["attempts"]) for d in log] == \
                [(row["delivery_id"], "delivered", 3)]
            again = httpx.post(f"{hub.url}/api/v1/webhooks/deliveries/{row['delivery_id']}/replay",
                               headers=_owner(merchant))
            assert again.status_code == 201, again.text
            assert again.json()["replay_of"] == row["delivery_id"] and again.json()["status"] == "pending"
            _deliver_all(hub_engine, worker)
        finally:
            worker.stop()
        first, replayed = receiver.got[0], receiver.got[-1]
        assert replayed.headers["loyalty-delivery"] == again.json()["delivery_id"] != first.headers["loyalty-delivery"]
        assert replayed.headers["loyalty-event-id"] == first.headers["loyalty-event-id"]
        assert replayed.body == first.body
        assert _docs_verify()(made["secret"], replayed.headers["loyalty-signature"], replayed.body)


def test_a_receiver_that_never_recovers_is_given_up_on_a_day_later(hub_engine, merchant):
    with Receiver(script=[500] * 10) as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, merchant.merchant_id, "e-2")
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            worker.run_once()
            with writing(hub_engine) as conn:  # a day has gone by
                conn.execute(sa.update(webhook_deliveries).values(give_up_at="2000-01-01T00:00:00.000000Z",
                                                                  next_attempt_at="2000-01-01T00:00:00.000000Z"))
            worker.run_once()
        finally:
            worker.stop()
    [row] = _rows(hub_engine)
    assert (row["status"], row["attempts"]) == ("failed", 2)
    assert row["last_error"].startswith("gave up after 2 attempts: HTTP 500")


def test_backoff_doubles_with_jitter_and_is_capped():
    settings = DeliverySettings(first_retry_s=10, max_retry_s=3600)
    assert [backoff_s(n, settings, lambda: 1.0) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff_s(3, settings, lambda: 0.0) == 20
    assert backoff_s(30, settings, lambda: 1.0) == 3600
    with pytest.raises(ValueError, match="lease must be longer"):
        DeliverySettings(timeout_s=10, lease_s=5)


def _earn_event(engine, merchant_id: str, entry_id: str, card: str = "7K3M9Q2XPA") -> None:
    entry = {"entry_id": entry_id, "terminal_id": "hub", "card": card, "kind": "earn", "stamps": 0,
             "points": 10, "amount": 100, "at": "2026-11-30T12:00:00.000000Z"}
    with writing(engine) as conn:
        webhooks.events_for_entries(conn, merchant_id, [entry])
        assert webhooks.events_for_entries(conn, merchant_id, [entry]) == 0, "one event per cause"


# ---- exactly once ----------------------------------------------------------------------

def test_two_worker_threads_deliver_each_event_once_per_endpoint(hub_engine, merchant):
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            for path in ("/a", "/b"):
                webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url + path, ["*"])
        for n in range(40):
            _earn_event(hub_engine, merchant.merchant_id, f"e-{n}")
        workers = [DeliveryWorker(hub_engine, FAST).start() for _ in range(2)]
        try:
            wait_for(lambda: len(receiver.got) >= 80, what="80 deliveries")
            time.sleep(0.3)  # a double would arrive now
        finally:
            for worker in workers:
                worker.stop()
        ids = receiver.delivery_ids()
        assert len(ids) == len(set(ids)) == 80
        rows = _rows(hub_engine)
        assert {r["status"] for r in rows} == {"delivered"} and {r["attempts"] for r in rows} == {1}
        assert len({(r["event_id"], r["endpoint_id"]) for r in rows}) == 80
        assert len({r["lease_owner"] for r in rows}) == 1 and rows[0]["lease_owner"] is None


def _worker_process(url: str, lease: float) -> tuple[subprocess.Popen, str]:
    """``loyalty-hub webhooks run`` as its own process (one delivery at a time) and its worker id."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.hub.cli", "--database-url", url, "webhooks", "run",
         "--batch", "1", "--concurrency", "1", "--timeout", "5", "--lease-seconds", str(lease),
         "--first-retry-seconds", "0.1", "--poll-seconds", "0.05"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    found = re.search(r"delivering webhooks as (\S+);", line)
    if found is None:
        process.kill()
        raise AssertionError(f"the worker did not start: {line}{process.stderr.read()}")
    return process, found.group(1)


def test_a_sigkilled_worker_process_delivery_is_taken_over_and_recorded_once(hub_db_url, hub_engine, merchant):
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        receiver.hold.set()
        receiver.first_only = True
        workers = dict(reversed(_worker_process(hub_db_url, lease=6.0)) for _ in range(2))
        try:
            for n in range(20):  # once both run, so the held request is not timed out while one starts
                _earn_event(hub_engine, merchant.merchant_id, f"e-{n}")
            assert receiver.holding.wait(20), "no delivery reached the receiver"
            with reading(hub_engine) as conn:
                owner = conn.execute(sa.select(webhook_deliveries.c.lease_owner).where(
                    webhook_deliveries.c.delivery_id == receiver.held_delivery)).scalar_one()
            victim = workers[owner]
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            receiver.released.set()  # the killed worker's request gets its 200, but nobody records it
            wait_for(lambda: _count(hub_engine, "delivered") == 20, timeout=30, what="all 20 delivered")
        finally:
            for process in workers.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                process.wait(10)
                process.stdout.close()
                process.stderr.close()
        assert victim.returncode == -signal.SIGKILL
        assert [p.returncode for p in workers.values() if p is not victim] == [0]
        rows = _rows(hub_engine)
        assert len(rows) == 20 and {r["status"] for r in rows} == {"delivered"}
        ids = receiver.delivery_ids()
        assert {i for i in ids if ids.count(i) > 1} == {receiver.held_delivery}, \
            "only the killed worker's delivery went out twice (at least once on the wire)"
        assert len(ids) == 21
        assert {r["delivery_id"]: r["attempts"] for r in rows if r["attempts"] != 1} == {receiver.held_delivery: 2}


def _count(engine, status: str) -> int:
    with reading(engine) as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(webhook_deliveries)
                            .where(webhook_deliveries.c.status == status)).scalar_one()


# ---- ingest never waits ----------------------------------------------------------------

def test_a_hanging_receiver_does_not_delay_the_push_answer(hub, hub_engine, merchant, tmp_path):
    with Receiver() as receiver:
        receiver.hold.set()
        _add_endpoint(hub.url, merchant, receiver.url, ["*"])
        till, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
        worker = DeliveryWorker(hub_engine, DeliverySettings(timeout_s=20, lease_s=30, poll_s=0.05)).start()
        try:
            with client:
                sync = Syncer(till, client)
                card = till.enroll()
                sync.sync_once()
                assert receiver.holding.wait(10), "the first delivery is being held"
                times = []
                for _ in range(5):
                    till.earn(card, points=5, amount=50)
                    started = time.monotonic()
                    sync.sync_once()
                    times.append(time.monotonic() - started)
            # Waiting on the receiver would take the worker's 20 s timeout; a loaded machine takes well under 5.
            assert max(times) < 5, f"pushes took {times} while the receiver hung"
            assert receiver.got == [], "the receiver was still holding the first delivery all along"
            assert _count(hub_engine, "pending") == 6
        finally:
            receiver.released.set()
            worker.stop()


def test_a_hanging_endpoint_does_not_hold_up_another_endpoints_deliveries(hub_engine, merchant):
    with Receiver() as slow, Receiver() as quick:
        slow.hold.set()
        slow.first_only = True  # its first request hangs for as long as the test lasts
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, slow.url, ["*"])
        worker = DeliveryWorker(hub_engine, DeliverySettings(timeout_s=20, lease_s=30, poll_s=0.05,
                                                             concurrency=4)).start()
        try:
            _earn_event(hub_engine, merchant.merchant_id, "e-slow")
            assert slow.holding.wait(10)
            with writing(hub_engine) as conn:
                webhooks.add_endpoint(conn, merchant.merchant_id, quick.url, ["*"])
            for n in range(5):
                _earn_event(hub_engine, merchant.merchant_id, f"e-quick-{n}")
            wait_for(lambda: len(quick.got) == 5, timeout=10, what="the quick endpoint's deliveries")
            assert slow.held_delivery not in slow.delivery_ids(), "the slow receiver still holds its first"
        finally:
            slow.released.set()
            worker.stop()


def test_serve_runs_the_worker_for_the_apps_lifespan(hub_engine, merchant):
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["points.earned"])
        app = create_app(hub_engine, run_migrations=False, webhook_delivery=FAST)

        async def serve_a_while() -> None:  # what uvicorn does at start-up and shutdown
            async with app.router.lifespan_context(app):
                _earn_event(hub_engine, merchant.merchant_id, "e-life")
                await asyncio.to_thread(wait_for, lambda: len(receiver.got) == 1, 20.0,
                                        "the lifespan worker's delivery")

        asyncio.run(serve_a_while())
        assert _count(hub_engine, "delivered") == 1


# ---- registering endpoints -------------------------------------------------------------

@pytest.mark.sqlite_only
@pytest.mark.parametrize(("url", "says"), [
    ("ftp://shop.example/hook", "must start with https://"),
    ("https://user:pw@shop.example/hook", "must not carry a user name or password"),
    ("https://shop.example/" + "a" * 2100, "at most 2048"),
    ("https:///nohost", "no host name"),
    ("https://shop example/hook", "spaces or control characters"),
    ("https://shop.example:99999/hook", "bad port"),
    ("", "empty"),
])
def test_bad_urls_are_refused_with_what_to_do(hub, merchant, url, says):
    answer = httpx.post(f"{hub.url}/api/v1/webhooks", headers=_owner(merchant), json={"url": url, "events": ["*"]})
    assert answer.status_code == 422
    if len(url) <= webhooks.MAX_URL:
        assert answer.json()["code"] == "webhook_invalid" and says in answer.json()["message"]
    assert httpx.get(f"{hub.url}/api/v1/webhooks", headers=_owner(merchant)).json() == []


def test_unknown_events_and_other_merchants_endpoints_are_refused(hub, hub_engine, merchant):
    answer = httpx.post(f"{hub.url}/api/v1/webhooks", headers=_owner(merchant),
                        json={"url": "https://shop.example/h", "events": ["points.stolen"]})
    assert answer.status_code == 422 and "unknown event 'points.stolen'" in answer.json()["message"]
    made = _add_endpoint(hub.url, merchant, "https://shop.example/h", ["*"])
    assert "secret" in made and made["secret"].startswith("whsec_")
    listed = httpx.get(f"{hub.url}/api/v1/webhooks", headers=_owner(merchant)).json()
    assert [e["endpoint_id"] for e in listed] == [made["endpoint_id"]] and listed[0]["secret"] is None
    other = make_merchant(hub_engine, "Other")
    gone = httpx.delete(f"{hub.url}/api/v1/webhooks/{made['endpoint_id']}", headers=_owner(other))
    assert gone.status_code == 404 and gone.json()["code"] == "webhook_not_found"


def test_the_cli_adds_lists_removes_and_replays(hub_db_url, hub_engine, merchant, capsys):
    base = ["--database-url", hub_db_url, "webhooks"]
    assert hub_cli([*base, "add", "https://shop.example/h", "--events", "points.earned, card.enrolled"]) == 0
    out = capsys.readouterr().out
    endpoint_id = re.search(r"endpoint: (\S+)", out).group(1)
    assert "secret:   whsec_" in out
    assert hub_cli([*base, "list"]) == 0 and endpoint_id in capsys.readouterr().out
    assert hub_cli([*base, "add", "ftp://x", "--events", "*"]) == 2
    assert "must start with https://" in capsys.readouterr().err
    _earn_event(hub_engine, merchant.merchant_id, "e-cli")
    assert hub_cli([*base, "deliveries"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert "points.earned  pending  attempts 0" in line
    assert hub_cli([*base, "replay", line.split()[0][:8]]) == 0
    assert "is sent again" in capsys.readouterr().out
    assert hub_cli([*base, "remove", endpoint_id[:8]]) == 0
    assert hub_cli([*base, "deliveries", "--status", "cancelled"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3  # removed, then 2 cancelled
    assert hub_cli([*base, "replay", "zzzzzz"]) == 2
    assert "no delivery zzzzzz" in capsys.readouterr().err


def test_the_schema_step_adds_the_webhook_tables_to_an_older_hub_database(tmp_path):
    from sync.hub.db import create_hub_engine
    from sync.hub.migrations import STEPS, migrate
    from sync.hub.schema import webhook_endpoints

    [step] = [f for f in STEPS.values() if f.__name__ == "_add_webhooks"]  # whatever number it gets
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        migrate(engine)
        with writing(engine) as conn:  # as the steps before webhooks left it
            for table in ("webhook_deliveries", "webhook_events", "webhook_endpoints"):
                conn.exec_driver_sql(f"DROP TABLE {table}")
            step(conn)
        with writing(engine) as conn:
            assert sa.inspect(conn).has_table("webhook_deliveries")
            assert conn.execute(sa.select(sa.func.count()).select_from(webhook_endpoints)).scalar_one() == 0
    finally:
        engine.dispose()
