"""``loyalty-hub webhooks …``: endpoints, the delivery log, replays, and a delivery worker process."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from sqlalchemy.engine import Engine

from sync.hub import admin, delivery_attempts, delivery_log, webhooks
from sync.hub.db import reading, writing
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker

__all__ = ["DeliverySettings", "add_parser", "run"]


def add_parser(commands: Any) -> None:
    hooks = commands.add_parser("webhooks", help="tell other systems what happens (signed HTTP POSTs)")
    actions = hooks.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register an endpoint; prints its signing secret once")
    add.add_argument("url", metavar="URL", help="https://… address of the receiver")
    add.add_argument("--events", required=True,
                     help="comma-separated event types, or '*' for all: " + ", ".join(webhooks.EVENT_TYPES))
    add.add_argument("--description")
    actions.add_parser("list", help="list endpoints")
    remove = actions.add_parser("remove", help="stop sending to an endpoint (its log stays)")
    remove.add_argument("endpoint", metavar="ID", help="endpoint id, or its first 6+ characters")
    log = actions.add_parser("deliveries", help="the delivery log, newest first")
    log.add_argument("--endpoint", help="only this endpoint's (full id)")
    log.add_argument("--status", choices=("pending", "delivered", "failed", "cancelled"))
    log.add_argument("--limit", type=int, default=50)
    tries = actions.add_parser("attempts", help="every try of one delivery: when, how long, the answer")
    tries.add_argument("delivery", metavar="ID", help="delivery id, or its first 6+ characters")
    replay = actions.add_parser("replay", help="send a delivery's event again (a new delivery id)")
    replay.add_argument("delivery", metavar="ID", help="delivery id, or its first 6+ characters")
    worker = actions.add_parser("run", help="deliver webhooks in this process until stopped (SIGTERM)")
    worker.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    worker.add_argument("--timeout", type=float, default=DeliverySettings.timeout_s,
                        help="seconds a receiver may take (default %(default)g)")
    worker.add_argument("--lease-seconds", type=float, default=DeliverySettings.lease_s,
                        help="how long a claimed delivery is this worker's (default %(default)g); "
                             "must exceed --timeout")
    worker.add_argument("--first-retry-seconds", type=float, default=DeliverySettings.first_retry_s)
    worker.add_argument("--poll-seconds", type=float, default=DeliverySettings.poll_s)
    worker.add_argument("--batch", type=int, default=DeliverySettings.batch,
                        help="deliveries claimed at a time (default %(default)d)")
    worker.add_argument("--concurrency", type=int, default=DeliverySettings.concurrency,
                        help="requests in flight at once (default %(default)d)")
    for parser in (add, actions.choices["list"], remove, log, tries, replay):
        parser.add_argument("--merchant", help="merchant id (needed when the hub has several)")
    worker.set_defaults(merchant=None)


def run(args: argparse.Namespace, engine: Engine, merchant_id: str | None) -> int:
    if args.action == "run":
        return _work(args, engine)
    assert merchant_id is not None
    try:
        return _ACTIONS[args.action](args, engine, merchant_id)
    except webhooks.WebhookError as exc:
        raise admin.AdminError(str(exc)) from None


def _add(args: argparse.Namespace, engine: Engine, merchant_id: str) -> int:
    with writing(engine) as conn:
        made = webhooks.add_endpoint(conn, merchant_id, args.url, [e.strip() for e in args.events.split(",")],
                                     args.description)
    print(f"endpoint: {made.endpoint_id}  {made.url}")
    print(f"events:   {', '.join(made.events)}")
    print(f"secret:   {made.secret}")
    print("          keep it in the receiver: it checks the Loyalty-Signature header; shown only now")
    return 0


def _list(_args: argparse.Namespace, engine: Engine, merchant_id: str) -> int:
    with reading(engine) as conn:
        found = webhooks.list_endpoints(conn, merchant_id)
    for e in found:
        print(f"{e.endpoint_id}  {e.url}  events {','.join(e.events)}  created {e.created_at}")
    if not found:
        print("no webhook endpoints (add one: loyalty-hub webhooks add URL --events '*')")
    return 0


def _remove(args: argparse.Namespace, engine: Engine, merchant_id: str) -> int:
    with writing(engine) as conn:
        endpoint_id = webhooks.remove_endpoint(conn, merchant_id, args.endpoint)
    print(f"endpoint {endpoint_id} removed: nothing more is sent to it; its delivery log stays")
    return 0


def _deliveries(args: argparse.Namespace, engine: Engine, merchant_id: str) -> int:
    if args.limit < 1:
        raise webhooks.WebhookError("--limit must be at least 1")
    with reading(engine) as conn:
        rows = webhooks.list_deliveries(conn, merchant_id, endpoint_id=args.endpoint, status=args.status,
                                        limit=args.limit)
    for r in rows:
        code = r["response_code"] if r["response_code"] is not None else "-"
        error = f"  last error: {r['last_error']}" if r["last_error"] else ""
        print(f"{r['delivery_id']}  {r['created_at']}  {r['type']}  {r['status']}  attempts {r['attempts']}  "
              f"HTTP {code}  endpoint {r['endpoint_id'][:8]}{error}")
    if not rows:
        print("no deliveries")
    return 0


def _attempts(args: argparse.Namespace, engine: Engine, merchant_id: str) -> int:
    with reading(engine) as conn:
        delivery_id = delivery_log.find(conn, merchant_id, args.delivery)
        rows = delivery_attempts.of_delivery(conn, merchant_id, delivery_id)
    print(f"delivery {delivery_id}: {len(rows)} tries recorded (times UTC)")
    for r in rows:
        when = r["started_at"] or "before the hub kept each try"
        took = f"{r['duration_ms']} ms" if r["duration_ms"] is not None else "-"
        # the answer's words start with the outcome (HTTP 503 …, ConnectError: …)
        print(f"#{r['attempt']}  {when}  {took}  {r['answer'] or delivery_attempts.outcome(r)}")
    return 0


def _replay(args: argparse.Namespace, engine: Engine, merchant_id: str) -> int:
    with writing(engine) as conn:
        made = webhooks.replay(conn, merchant_id, args.delivery)
    print(f"delivery {made['delivery_id']} queued: the event of {made['replay_of']} is sent again")
    return 0


def _work(args: argparse.Namespace, engine: Engine) -> int:
    try:
        settings = DeliverySettings(timeout_s=args.timeout, lease_s=args.lease_seconds,
                                    first_retry_s=args.first_retry_seconds, poll_s=args.poll_seconds,
                                    batch=args.batch, concurrency=args.concurrency)
    except ValueError as exc:
        raise admin.AdminError(str(exc)) from None
    worker = DeliveryWorker(engine, settings)
    if args.once:
        try:
            while worker.run_once():
                pass
        finally:
            worker.stop()
        return 0
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    worker.start()
    print(f"delivering webhooks as {worker.worker_id}; stop with Ctrl+C or SIGTERM", flush=True)
    stopped.wait()
    worker.stop()
    return 0


_ACTIONS = {"add": _add, "list": _list, "remove": _remove, "deliveries": _deliveries, "attempts": _attempts,
            "replay": _replay}
