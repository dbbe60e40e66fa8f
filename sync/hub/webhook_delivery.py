"""The webhook delivery worker: sends the outbox's due deliveries, signed, with retries.

Several workers (threads, hub processes, hosts) may share one database.
A worker *claims* due deliveries in a short write transaction by giving
them a lease (owner and expiry); PostgreSQL lets concurrent claimers skip
each other's rows (``FOR UPDATE SKIP LOCKED``), SQLite's single writer
(``BEGIN IMMEDIATE``) makes claims take turns. The HTTP request runs
outside any transaction; its outcome is recorded only if the worker still
holds the lease, so one delivery is recorded as delivered at most once. A
worker killed mid-request leaves its lease to expire, and another worker
sends the delivery again: on the wire it is at least once, and receivers
drop repeats by the ``Loyalty-Delivery`` id.

Failures are retried with exponential backoff and jitter until the
delivery's ``give_up_at`` (a day after it was made), then it is ``failed``
and the owner may replay it. Each try goes into the delivery's history
(delivery_attempts.py) in the transaction that records its outcome.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub import delivery_attempts, secret_store
from sync.hub.admin import utc_iso
from sync.hub.db import reading, writing
from sync.hub.keywrap import MasterKeyError
from sync.hub.schema import webhook_deliveries, webhook_endpoints, webhook_events
from sync.hub.secret_store import MasterKey
from sync.hub.webhooks import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, later, sign

log = logging.getLogger(__name__)
_ERROR_TEXT = delivery_attempts.ANSWER_CHARS  # characters of a failure kept in the log, and of each try's answer


@dataclass(frozen=True)
class DeliverySettings:
    timeout_s: float = 10.0
    lease_s: float = 60.0          # longer than a request can take: a lease outliving it is never stolen
    batch: int = 20
    concurrency: int = 8           # requests in flight per worker
    first_retry_s: float = 10.0    # then 20, 40, … (each with jitter down to half) up to max_retry_s
    max_retry_s: float = 3600.0
    poll_s: float = 1.0            # how often an idle worker looks for due deliveries

    def __post_init__(self) -> None:
        if self.lease_s <= self.timeout_s:
            raise ValueError("the lease must be longer than the request timeout, or a slow "
                             "receiver's delivery would be sent twice at once: raise the lease or lower the timeout")
        if self.batch < 1 or self.concurrency < 1 or self.timeout_s <= 0 or self.first_retry_s <= 0 or self.poll_s <= 0:
            raise ValueError("the batch and concurrency must be at least 1, "
                             "the timeout, first retry and poll above 0")


def backoff_s(attempts: int, settings: DeliverySettings, rng: Callable[[], float] = random.random) -> float:
    """Seconds before the next try after ``attempts`` failed tries: doubling, capped, jittered."""
    full = min(settings.first_retry_s * 2 ** max(attempts - 1, 0), settings.max_retry_s)
    return full * (0.5 + 0.5 * rng())


@dataclass(frozen=True)
class _Try:
    """One try's outcome: an HTTP status or the transport error's kind, and the answer's words (no body)."""

    started_at: str
    duration_ms: int
    code: int | None
    kind: str | None
    answer: str


_Outcome = tuple[dict[str, Any], _Try]  # a claimed delivery and how its try went


class DeliveryWorker:
    """Claims and sends due deliveries; ``run_once`` for one round, ``start``/``stop`` for a thread."""

    def __init__(self, engine: Engine, settings: DeliverySettings | None = None,
                 worker_id: str | None = None, master_key: MasterKey | None = None) -> None:
        self._engine = engine
        self._master_key = master_key or secret_store.master_key_for(engine)
        self.settings = settings or DeliverySettings()
        self.worker_id = worker_id or f"w-{uuid.uuid4().hex[:12]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._http = httpx.Client(timeout=self.settings.timeout_s, follow_redirects=False,
                                  headers={"User-Agent": "loyalty-hub-webhooks/1"},
                                  limits=httpx.Limits(max_connections=self.settings.concurrency))
        self._pool = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix=f"webhooks-{self.worker_id}")

    # ---- running ---------------------------------------------------------------

    def start(self) -> DeliveryWorker:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name=f"webhooks-{self.worker_id}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout if timeout is not None else self.settings.timeout_s + 5)
            self._thread = None
        self._pool.shutdown(wait=True)
        self._http.close()

    def run(self) -> None:
        """Deliver until stopped: up to ``concurrency`` requests at once, claiming more as each ends.

        So one slow receiver holds one slot, not the deliveries behind it. The
        outcomes of the requests that ended meanwhile are recorded together, in
        one transaction (a transaction per delivery was a third of a delivery's
        CPU at the hub). A database or other error is logged and retried after
        a pause.
        """
        busy: set[Future[_Outcome | None]] = set()
        while not self._stop.is_set():
            ended = {f for f in busy if f.done()}
            busy -= ended
            self._record_all([outcome for f in ended if (outcome := f.result()) is not None])
            free = self.settings.concurrency - len(busy)
            claimed: list[dict[str, Any]] = []
            if free > 0:
                try:
                    claimed = self._claim(min(free, self.settings.batch))
                except Exception:  # the loop must outlive a database outage
                    log.exception("claiming webhook deliveries failed; retrying")
            busy.update(self._pool.submit(self._attempt, delivery) for delivery in claimed)
            if not claimed:
                if busy:
                    wait(busy, timeout=self.settings.poll_s, return_when=FIRST_COMPLETED)
                else:
                    self._stop.wait(self.settings.poll_s)
        wait(busy)
        self._record_all([outcome for f in busy if (outcome := f.result()) is not None])

    def run_once(self) -> int:
        """Claim the due deliveries (up to a batch), send them, wait and record; return how many were tried."""
        claimed = self._claim(self.settings.batch)
        sent = [self._pool.submit(self._attempt, delivery) for delivery in claimed]
        wait(sent)
        self._record_all([outcome for f in sent if (outcome := f.result()) is not None])
        return len(claimed)

    # ---- claiming ----------------------------------------------------------------

    def _due(self, now: str) -> Any:
        d = webhook_deliveries
        return (sa.select(d.c.delivery_id)
                .where(d.c.status == "pending", d.c.next_attempt_at <= now,
                       sa.or_(d.c.lease_until.is_(None), d.c.lease_until < now)))

    def _claim(self, limit: int) -> list[dict[str, Any]]:
        d, ep, ev = webhook_deliveries, webhook_endpoints, webhook_events
        now = utc_iso()
        # Look before taking the write lock: an idle worker must not make pushes queue behind it.
        with reading(self._engine) as conn:
            if conn.execute(self._due(now).limit(1)).first() is None:
                return []
        with writing(self._engine) as conn:
            due = conn.execute(self._due(now).order_by(d.c.next_attempt_at).limit(limit)
                               .with_for_update(skip_locked=True)).scalars().all()
            if not due:
                return []
            conn.execute(sa.update(d).where(d.c.delivery_id.in_(due))
                         .values(lease_owner=self.worker_id, lease_until=later(now, self.settings.lease_s),
                                 attempts=d.c.attempts + 1))
            rows = conn.execute(
                sa.select(d.c.delivery_id, d.c.event_id, d.c.attempts, d.c.give_up_at, ev.c.type, ev.c.payload,
                          ep.c.endpoint_id, ep.c.url, ep.c.secret, ep.c.secret_wrapped)
                .join(ev, ev.c.event_id == d.c.event_id).join(ep, ep.c.endpoint_id == d.c.endpoint_id)
                .where(d.c.delivery_id.in_(due))).mappings().all()
            claimed = [dict(r) for r in rows]
            for row in claimed:
                if row["secret"]:  # kept in clear by a hub from before schema 20: sealed now
                    with contextlib.suppress(MasterKeyError):  # unreadable key: _try records why
                        secret_store.seal_endpoint_secret(conn, self._master_key, row["endpoint_id"], row["secret"])
        return claimed

    # ---- sending -----------------------------------------------------------------

    def _attempt(self, delivery: dict[str, Any]) -> _Outcome | None:
        try:
            return delivery, self._try(delivery)
        except Exception:  # not recorded: the lease runs out and it is sent again
            log.exception("delivery %s: the try failed before its outcome was known", delivery["delivery_id"])
            return None

    def _secret(self, delivery: dict[str, Any]) -> str:
        if delivery["secret"]:
            return str(delivery["secret"])
        return secret_store.unseal(self._master_key, secret_store.WEBHOOK, delivery["endpoint_id"],
                                   delivery["secret_wrapped"])

    def _try(self, delivery: dict[str, Any]) -> _Try:
        body = delivery["payload"].encode()
        timestamp = int(time.time())
        started_at, clock = utc_iso(), time.monotonic()
        try:
            secret = self._secret(delivery)
        except MasterKeyError as exc:  # retried like a failed request: restoring the key file lets it through
            log.error("delivery %s: %s", delivery["delivery_id"], exc)
            return _Try(started_at, 0, None, type(exc).__name__, f"not sent: {exc}")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, timestamp, body),
                   DELIVERY_HEADER: delivery["delivery_id"], EVENT_HEADER: delivery["type"],
                   "Loyalty-Event-Id": delivery["event_id"]}
        code: int | None = None
        kind: str | None = None
        try:
            response = self._http.post(delivery["url"], content=body, headers=headers)
            code = response.status_code
            # The status only, never the body: an owner must not read other servers' answers through the log.
            answer = f"HTTP {code} {response.reason_phrase}".rstrip()
        except httpx.HTTPError as exc:
            kind = type(exc).__name__
            answer = f"{kind}: {exc}"
        took = round((time.monotonic() - clock) * 1000)
        return _Try(started_at, took, code, kind, answer)

    def _record_all(self, outcomes: list[_Outcome]) -> None:
        """Record the outcomes of ended tries in one transaction, each only while this worker holds its lease."""
        if not outcomes:
            return
        lost: list[str] = []
        try:
            with writing(self._engine) as conn:
                # in the order of their ids: two workers recording overlapping rows never wait on each other in a circle
                for delivery, tried in sorted(outcomes, key=lambda outcome: outcome[0]["delivery_id"]):
                    if not self._record(conn, delivery, tried):
                        lost.append(delivery["delivery_id"])
        except Exception:  # database down: the leases run out and these are sent again
            log.exception("could not record the outcome of %d webhook deliveries", len(outcomes))
            return
        for delivery_id in lost:
            log.warning("delivery %s is no longer this worker's (its lease ran out, or its endpoint was "
                        "removed): its outcome here is not recorded", delivery_id)

    def _record(self, conn: Connection, delivery: dict[str, Any], tried: _Try) -> bool:
        d = webhook_deliveries
        now = utc_iso()
        error = None if tried.code is not None and 200 <= tried.code < 300 else tried.answer
        if error is None:
            values: dict[str, Any] = {"status": "delivered", "delivered_at": now, "last_error": None}
        elif now >= delivery["give_up_at"]:
            values = {"status": "failed", "last_error": f"gave up after {delivery['attempts']} attempts: {error}"}
        else:
            values = {"last_error": error[:_ERROR_TEXT],
                      "next_attempt_at": later(now, backoff_s(delivery["attempts"], self.settings))}
        done = conn.execute(
            sa.update(d).where(d.c.delivery_id == delivery["delivery_id"], d.c.status == "pending",
                               d.c.lease_owner == self.worker_id)
            .values(**values, response_code=tried.code, lease_owner=None, lease_until=None)).rowcount
        if done:  # the same transaction: the try is in the history exactly when its outcome is recorded
            delivery_attempts.record(conn, delivery["delivery_id"], delivery["attempts"], tried.started_at,
                                     tried.duration_ms, tried.code, tried.kind, tried.answer)
        return bool(done)
