"""Every try of a webhook delivery: written with its outcome, read in order, bounded.

The worker (webhook_delivery.py) calls ``record`` in the very transaction
that writes the try's outcome on the delivery, and only when that write
found the delivery still under its lease. So a try is in the history
exactly when the delivery shows its outcome: a crash before the commit
loses both (the lease runs out and the next try gets the next number), and
a try is never recorded twice, whatever number of workers share the outbox.

Bound: delivery rows are kept for good (nothing prunes the log), so there
is no delivery retention to prune with; the history is bounded per
delivery instead, to its ``KEEP_PER_DELIVERY`` latest tries. A delivery is
retried for a day at most, at most an hour apart with jitter down to half:
57 tries at the very most with the default settings, so a day of retries
always fits whole, and the table holds at most that many rows per delivery
even for one taken up again and again after crashed workers. A delivery's
tries go with it (ON DELETE CASCADE) should the log ever be pruned.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.schema import webhook_attempts, webhook_deliveries

KEEP_PER_DELIVERY = 60
# The delivery log's bound on a failure's words (last_error), for each try's answer as well.
ANSWER_CHARS = 500


def record(conn: Connection, delivery_id: str, attempt: int, started_at: str, duration_ms: int,
           response_code: int | None, error_kind: str | None, answer: str | None) -> None:
    """Add try ``attempt`` of a delivery and drop its tries older than the kept ones."""
    a = webhook_attempts.c
    conn.execute(sa.insert(webhook_attempts).values(
        delivery_id=delivery_id, attempt=attempt, started_at=started_at, duration_ms=duration_ms,
        response_code=response_code, error_kind=error_kind,
        answer=answer[:ANSWER_CHARS] if answer is not None else None))
    if attempt > KEEP_PER_DELIVERY:  # a range of the primary key: cheap, and nothing to do before
        conn.execute(sa.delete(webhook_attempts).where(a.delivery_id == delivery_id,
                                                       a.attempt <= attempt - KEEP_PER_DELIVERY))


def of_delivery(conn: Connection, merchant_id: str, delivery_id: str) -> list[dict[str, Any]]:
    """The recorded tries of one of the merchant's deliveries, first first (another merchant's: none)."""
    a, d = webhook_attempts.c, webhook_deliveries.c
    query = (sa.select(a.attempt, a.started_at, a.duration_ms, a.response_code, a.error_kind, a.answer)
             .join(webhook_deliveries, d.delivery_id == a.delivery_id)
             .where(a.delivery_id == delivery_id, d.merchant_id == merchant_id)
             .order_by(a.attempt))
    return [dict(row) for row in conn.execute(query).mappings()]


def outcome(row: dict[str, Any]) -> str:
    """A try's outcome in a word: ``HTTP 503``, the error's kind, or ``-`` (a try from before schema v22)."""
    if row["response_code"] is not None:
        return f"HTTP {row['response_code']}"
    return str(row["error_kind"] or "-")
