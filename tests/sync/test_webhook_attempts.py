"""Every try of a webhook delivery: recorded with its outcome in one transaction, once under two
workers, never for a worker that lost its lease, bounded per delivery, kept for deliveries from before
schema 22, and read through the owner API and the CLI.

Real receivers on loopback (tests/sync/webhook_receiver.py), the real worker and hub app; SQLite and,
with LOYALTY_TEST_PG_URL, PostgreSQL.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
import sqlalchemy as sa
from conftest import free_port, make_merchant
from console_helpers import client
from sync_helpers import wait_for
from webhook_receiver import Receiver

from sync.hub import delivery_attempts, webhooks
from sync.hub.cli import main as hub_cli
from sync.hub.db import reading, writing
from sync.hub.schema import webhook_attempts, webhook_deliveries
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker

FAST = DeliverySettings(timeout_s=2.0, lease_s=4.0, first_retry_s=0.05, max_retry_s=0.2, poll_s=0.05)
_DUE = "2000-01-01T00:00:00.000000Z"


def _earn_event(engine, merchant_id: str, entry_id: str) -> None:
    entry = {"entry_id": entry_id, "terminal_id": "hub", "card": "7K3M9Q2XPA", "kind": "earn", "stamps": 0,
             "points": 10, "amount": 100, "at": "2026-11-30T12:00:00.000000Z"}
    with writing(engine) as conn:
        webhooks.events_for_entries(conn, merchant_id, [entry])


def _deliver_all(engine, worker: DeliveryWorker, rounds: int = 200) -> None:
    for _ in range(rounds):
        with writing(engine) as conn:   # no waiting for the backoff: every retry is due now
            pending = conn.execute(sa.update(webhook_deliveries).where(webhook_deliveries.c.status == "pending")
                                   .values(next_attempt_at=_DUE)).rowcount
        if not pending:
            return
        worker.run_once()
    raise AssertionError("deliveries still pending")


def _deliveries(engine) -> list[dict]:
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(sa.select(webhook_deliveries)
                                              .order_by(webhook_deliveries.c.created_at)).mappings()]


def _tries(engine, merchant_id: str, delivery_id: str) -> list[dict]:
    with reading(engine) as conn:
        return delivery_attempts.of_delivery(conn, merchant_id, delivery_id)


def _moment(wire: str) -> datetime:
    return datetime.fromisoformat(wire.replace("Z", "+00:00"))


def test_a_receiver_failing_twice_then_recovering_leaves_three_tries_and_a_replay_its_own(
        app, hub_db_url, hub_engine, merchant, capsys):
    with Receiver(script=[500, 503]) as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            before = time.time()
            _deliver_all(hub_engine, worker)
            [delivery] = _deliveries(hub_engine)
            ident = delivery["delivery_id"]
            assert (delivery["status"], delivery["attempts"]) == ("delivered", 3)
            tries = _tries(hub_engine, merchant.merchant_id, ident)
            assert [(t["attempt"], delivery_attempts.outcome(t), t["error_kind"]) for t in tries] == \
                [(1, "HTTP 500", None), (2, "HTTP 503", None), (3, "HTTP 200", None)]
            assert [t["answer"] for t in tries] == ["HTTP 500 Internal Server Error", "HTTP 503 Service Unavailable",
                                                    "HTTP 200 OK"]
            starts = [_moment(t["started_at"]) for t in tries]
            assert starts == sorted(starts) and starts[0].timestamp() >= before - 1
            assert all(0 <= t["duration_ms"] < 2000 for t in tries)
            assert starts[-1] <= _moment(delivery["delivered_at"])

            with writing(hub_engine) as conn:
                again = webhooks.replay(conn, merchant.merchant_id, ident)
            _deliver_all(hub_engine, worker)
        finally:
            worker.stop()
    assert len(receiver.got) == 4
    [replayed] = _tries(hub_engine, merchant.merchant_id, again["delivery_id"])
    assert (replayed["attempt"], replayed["response_code"]) == (1, 200), "the replay's try is its own"
    assert len(_tries(hub_engine, merchant.merchant_id, ident)) == 3, "the original's history stays as it was"

    with client(app) as api:   # the owner API, by a prefix of the id as the other delivery calls take
        owner = {"Authorization": f"Bearer {merchant.owner_token}"}
        answer = api.get(f"/api/v1/webhooks/deliveries/{ident[:8]}/attempts", headers=owner)
        assert answer.status_code == 200, answer.text
        assert [(a["attempt"], a["response_code"], a["answer"]) for a in answer.json()] == \
            [(t["attempt"], t["response_code"], t["answer"]) for t in tries]
        unknown = api.get("/api/v1/webhooks/deliveries/abcdef/attempts", headers=owner)
        assert (unknown.status_code, unknown.json()["code"]) == (404, "webhook_not_found")
        assert api.get(f"/api/v1/webhooks/deliveries/{ident}/attempts").status_code == 401

    assert hub_cli(["--database-url", hub_db_url, "webhooks", "attempts", ident[:8]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"delivery {ident}: 3 tries recorded (times UTC)"
    assert [line.split()[0] for line in lines[1:]] == ["#1", "#2", "#3"]
    assert "HTTP 503 Service Unavailable" in lines[2] and lines[3].endswith("HTTP 200 OK")
    assert hub_cli(["--database-url", hub_db_url, "webhooks", "attempts", "zzzzzz"]) == 2
    assert "no delivery zzzzzz" in capsys.readouterr().err


def test_a_receiver_that_is_not_there_is_recorded_as_the_transport_errors_kind(hub_engine, merchant):
    with writing(hub_engine) as conn:   # a loopback port nothing listens on
        webhooks.add_endpoint(conn, merchant.merchant_id, f"http://127.0.0.1:{free_port()}/hooks", ["*"])
    _earn_event(hub_engine, merchant.merchant_id, "e-1")
    worker = DeliveryWorker(hub_engine, FAST)
    try:
        assert worker.run_once() == 1
    finally:
        worker.stop()
    [delivery] = _deliveries(hub_engine)
    [tried] = _tries(hub_engine, merchant.merchant_id, delivery["delivery_id"])
    assert (tried["attempt"], tried["response_code"], tried["error_kind"]) == (1, None, "ConnectError")
    assert delivery_attempts.outcome(tried) == "ConnectError"
    assert tried["answer"].startswith("ConnectError: ") and tried["answer"] == delivery["last_error"]


def test_two_workers_record_each_try_once(hub_engine, merchant):
    with Receiver(script=[500] * 12) as receiver:   # the first dozen tries fail: some deliveries retry
        with writing(hub_engine) as conn:
            for path in ("/a", "/b"):
                webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url + path, ["*"])
        for n in range(20):
            _earn_event(hub_engine, merchant.merchant_id, f"e-{n}")
        workers = [DeliveryWorker(hub_engine, FAST).start() for _ in range(2)]
        try:
            wait_for(lambda: all(d["status"] == "delivered" for d in _deliveries(hub_engine)),
                     what="every delivery delivered")
        finally:
            for worker in workers:
                worker.stop()
        sent = len(receiver.got)
    deliveries = _deliveries(hub_engine)
    assert len(deliveries) == 40 and sent == 40 + 12
    with reading(hub_engine) as conn:
        rows = [dict(r) for r in conn.execute(sa.select(webhook_attempts)).mappings()]
    assert len(rows) == sent == sum(d["attempts"] for d in deliveries), "each try recorded, none twice"
    for d in deliveries:
        mine = sorted((r for r in rows if r["delivery_id"] == d["delivery_id"]), key=lambda r: r["attempt"])
        assert [r["attempt"] for r in mine] == list(range(1, d["attempts"] + 1))
        assert [r["response_code"] for r in mine] == [500] * (d["attempts"] - 1) + [200]


def test_the_tries_that_ended_together_are_recorded_in_one_transaction(hub_engine, merchant):
    """A transaction per delivery was a third of a delivery's CPU at the hub; each try still has its row."""
    with Receiver(script=[200, 200, 503, 200, 200]) as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        for n in range(5):
            _earn_event(hub_engine, merchant.merchant_id, f"e-{n}")
        worker = DeliveryWorker(hub_engine, FAST)
        commits = []

        def committed(conn) -> None:
            commits.append(conn)

        sa.event.listen(hub_engine, "commit", committed)
        try:
            assert worker.run_once() == 5
        finally:
            worker.stop()
            sa.event.remove(hub_engine, "commit", committed)
    assert len(commits) == 3, "one to look, one to claim the five, one to record how they went (not one each)"
    deliveries = _deliveries(hub_engine)
    assert sorted(d["status"] for d in deliveries) == ["delivered"] * 4 + ["pending"]
    for d in deliveries:
        [tried] = _tries(hub_engine, merchant.merchant_id, d["delivery_id"])
        assert tried["response_code"] == d["response_code"]


def test_a_worker_that_lost_its_lease_records_no_try(hub_engine, merchant):
    """The slow worker's try happened on the wire, but its outcome is not the delivery's: neither is written."""
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        slow, other = DeliveryWorker(hub_engine, FAST), DeliveryWorker(hub_engine, FAST)
        try:
            [claimed] = slow._claim(1)
            with writing(hub_engine) as conn:   # its lease runs out before it answers
                conn.execute(sa.update(webhook_deliveries).values(lease_until=_DUE))
            assert other.run_once() == 1
            outcome = slow._attempt(claimed)  # sent, then recorded as the worker records what ended
            assert outcome is not None
            slow._record_all([outcome])
        finally:
            slow.stop()
            other.stop()
        assert len(receiver.got) == 2
    [delivery] = _deliveries(hub_engine)
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 2)
    assert [t["attempt"] for t in _tries(hub_engine, merchant.merchant_id, delivery["delivery_id"])] == [2], \
        "try 1's worker lost the delivery: its number is missing, nothing is written twice"


def test_the_history_keeps_the_latest_tries_of_a_delivery(hub_engine, merchant, monkeypatch):
    monkeypatch.setattr(delivery_attempts, "KEEP_PER_DELIVERY", 2)
    with Receiver(script=[500, 502, 503]) as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        _earn_event(hub_engine, merchant.merchant_id, "e-2")
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            _deliver_all(hub_engine, worker)
        finally:
            worker.stop()
    histories = {d["attempts"]: _tries(hub_engine, merchant.merchant_id, d["delivery_id"])
                 for d in _deliveries(hub_engine)}
    assert sorted(histories) != [1, 1], "one delivery retried"
    for attempts, tries in histories.items():
        assert [t["attempt"] for t in tries] == list(range(max(1, attempts - 1), attempts + 1))
        assert tries[-1]["response_code"] == 200


def test_another_merchants_delivery_has_no_history_here(hub_engine, merchant):

    other = make_merchant(hub_engine, "Other")
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, other.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, other.merchant_id, "e-1")
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            worker.run_once()
        finally:
            worker.stop()
    [delivery] = _deliveries(hub_engine)
    assert len(_tries(hub_engine, other.merchant_id, delivery["delivery_id"])) == 1
    assert _tries(hub_engine, merchant.merchant_id, delivery["delivery_id"]) == []


# ---- schema 22 -------------------------------------------------------------------------------

def _as_of_schema_21(engine) -> None:
    from sync.hub.schema import hub_schema

    with writing(engine) as conn:
        conn.execute(sa.text("DROP TABLE webhook_attempts"))
        conn.execute(sa.text("DROP INDEX ix_webhook_deliveries_replay"))
        conn.execute(sa.update(hub_schema).values(version=21))


@pytest.mark.parametrize("case, kept", [
    (dict(status="delivered", attempts=1, response_code=200), (1, 200, None)),
    (dict(status="pending", attempts=3, response_code=500, last_error="HTTP 500 Internal Server Error"),
     (3, 500, "HTTP 500 Internal Server Error")),
    (dict(status="pending", attempts=2, response_code=None, last_error="ConnectError: refused"),
     (2, None, "ConnectError: refused")),
    # in flight when the hub stopped: what the log shows is the try before
    (dict(status="pending", attempts=2, response_code=503, last_error="HTTP 503 Service Unavailable",
          lease_owner="w-gone", lease_until=_DUE), (1, 503, "HTTP 503 Service Unavailable")),
    (dict(status="failed", attempts=9, response_code=None, last_error="gave up after 9 attempts: " + "x" * 900),
     (9, None, "gave up after 9 attempts: " + "x" * (500 - 26))),
    (dict(status="cancelled", attempts=2, response_code=None, last_error="the endpoint was removed"), None),
    (dict(status="cancelled", attempts=2, response_code=404, last_error="the endpoint was removed"), (2, 404, None)),
    (dict(status="pending", attempts=0), None),
])
def test_the_schema_step_keeps_the_latest_try_of_each_delivery_from_before(hub_engine, merchant, case, kept):
    from sync.hub.migrations import SCHEMA_VERSION, migrate

    with writing(hub_engine) as conn:
        webhooks.add_endpoint(conn, merchant.merchant_id, "https://shop.example/hooks", ["*"])
    _earn_event(hub_engine, merchant.merchant_id, "e-1")
    with writing(hub_engine) as conn:
        conn.execute(sa.update(webhook_deliveries).values(**case))
    _as_of_schema_21(hub_engine)
    assert migrate(hub_engine) == 21
    [delivery] = _deliveries(hub_engine)
    tries = _tries(hub_engine, merchant.merchant_id, delivery["delivery_id"])
    assert [(t["attempt"], t["response_code"], t["answer"]) for t in tries] == ([kept] if kept else [])
    assert all(t["started_at"] is None and t["duration_ms"] is None for t in tries), "never kept before"
    with reading(hub_engine) as conn:
        inspect = sa.inspect(conn)
        assert "ix_webhook_deliveries_replay" in {i["name"] for i in inspect.get_indexes("webhook_deliveries")}
        from sync.hub.schema import hub_schema
        assert conn.execute(sa.select(hub_schema.c.version)).scalar_one() == SCHEMA_VERSION == 22


def test_a_delivery_retrying_across_the_upgrade_goes_on_numbering_its_tries(hub_engine, merchant):
    from sync.hub.migrations import migrate

    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["*"])
        _earn_event(hub_engine, merchant.merchant_id, "e-1")
        with writing(hub_engine) as conn:
            conn.execute(sa.update(webhook_deliveries).values(
                attempts=2, response_code=502, last_error="HTTP 502 Bad Gateway", next_attempt_at=_DUE))
        _as_of_schema_21(hub_engine)
        migrate(hub_engine)
        worker = DeliveryWorker(hub_engine, FAST)
        try:
            assert worker.run_once() == 1
        finally:
            worker.stop()
    [delivery] = _deliveries(hub_engine)
    tries = _tries(hub_engine, merchant.merchant_id, delivery["delivery_id"])
    assert [(t["attempt"], t["response_code"]) for t in tries] == [(2, 502), (3, 200)]
    assert tries[0]["started_at"] is None and re.match(r"^\d{4}-", tries[1]["started_at"])
