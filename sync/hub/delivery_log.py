"""The webhook delivery log a page at a time: newest first, filtered, by keyset.

A page is the rows before (older) or after (newer) a cursor, the
``(created_at, delivery_id)`` of the row a page ended at, never an OFFSET:
a page costs the same on the thousandth page as on the first, and a
delivery written while the owner reads does not shift the pages they are
on. Each filter walks an index that ends in ``created_at, delivery_id``
(schema v21): the merchant's, an endpoint's, or the merchant's per status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.schema import webhook_deliveries, webhook_events
from sync.hub.webhooks import WebhookError, WebhookNotFound

PAGE_SIZE = 50
# An event type with fewer events than this at the merchant is found from its events (their ids,
# then their deliveries by event_id); a commoner one by walking the merchant's log, where it is dense.
RARE_EVENTS = 1000
# "pending" is waiting for its first try or retrying after a failure; "failed" is failed for good.
STATUSES = ("delivered", "pending", "failed", "cancelled")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
_ID = re.compile(r"^[0-9a-f-]{1,36}$")


class LogQueryError(ValueError):
    """A filter or cursor the log cannot use; ``key`` names the console's sentence for it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Cursor:
    at: str
    delivery_id: str

    def text(self) -> str:
        return f"{self.at}~{self.delivery_id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        at, _, ident = text.partition("~")
        if not _TIME.match(at) or not _ID.match(ident):
            raise LogQueryError("integrations_bad_cursor")
        return cls(at, ident)


@dataclass(frozen=True)
class LogFilter:
    endpoint_id: str | None = None
    event_type: str | None = None
    status: str | None = None
    since: str | None = None   # UTC wire times, [since, until)
    until: str | None = None


@dataclass(frozen=True)
class LogPage:
    rows: list[dict[str, Any]]
    older: Cursor | None = None   # the cursor of the next older page, if there is one
    newer: Cursor | None = None   # the cursor of the next newer page, if there is one


def _key(row: dict[str, Any]) -> Cursor:
    return Cursor(row["created_at"], row["delivery_id"])


def _before(cursor: Cursor) -> Any:
    d = webhook_deliveries.c
    # The "<=" alone bounds the index range on both databases (an OR of the two cases would be a
    # filter on PostgreSQL, read from the newest row on); the OR then drops the cursor's own moment's
    # rows from the cursor on.
    return sa.and_(d.created_at <= cursor.at,
                   sa.or_(d.created_at < cursor.at, d.delivery_id < cursor.delivery_id))


def _after(cursor: Cursor) -> Any:
    d = webhook_deliveries.c
    return sa.and_(d.created_at >= cursor.at,
                   sa.or_(d.created_at > cursor.at, d.delivery_id > cursor.delivery_id))


def _filtered(query: Any, merchant_id: str, wanted: LogFilter, rare: list[str] | None = None) -> Any:
    d, ev = webhook_deliveries.c, webhook_events.c
    query = query.where(d.merchant_id == merchant_id)
    if wanted.endpoint_id:
        query = query.where(d.endpoint_id == wanted.endpoint_id)
    if wanted.status:
        query = query.where(d.status == wanted.status)
    if rare is not None:
        query = query.where(d.event_id.in_(rare))
    elif wanted.event_type:
        query = query.where(ev.type == wanted.event_type)
    if wanted.since:
        query = query.where(d.created_at >= wanted.since)
    if wanted.until:
        query = query.where(d.created_at < wanted.until)
    return query


def _rare(conn: Connection, merchant_id: str, wanted: LogFilter) -> list[str] | None:
    """The ids of the filter's event type's events when there are fewer than RARE_EVENTS, else None."""
    if not wanted.event_type:
        return None
    ev = webhook_events.c
    ids = conn.execute(sa.select(ev.event_id).where(ev.merchant_id == merchant_id, ev.type == wanted.event_type)
                       .limit(RARE_EVENTS)).scalars().all()
    return list(ids) if len(ids) < RARE_EVENTS else None


def _select(merchant_id: str, wanted: LogFilter, rare: list[str] | None = None) -> Any:
    d, ev = webhook_deliveries, webhook_events
    query = (sa.select(d.c.delivery_id, d.c.event_id, d.c.endpoint_id, d.c.replay_of, d.c.status, d.c.attempts,
                       d.c.next_attempt_at, d.c.give_up_at, d.c.last_error, d.c.response_code, d.c.created_at,
                       d.c.delivered_at, ev.c.type)
             .join(ev, ev.c.event_id == d.c.event_id))
    return _filtered(query, merchant_id, wanted, rare)


def _exists(conn: Connection, merchant_id: str, wanted: LogFilter, where: Any, rare: list[str] | None) -> bool:
    d, ev = webhook_deliveries, webhook_events
    query = sa.select(d.c.delivery_id).join(ev, ev.c.event_id == d.c.event_id)
    return conn.execute(_filtered(query, merchant_id, wanted, rare).where(where).limit(1)).first() is not None


def page(conn: Connection, merchant_id: str, wanted: LogFilter, *, before: Cursor | None = None,
         after: Cursor | None = None, size: int = PAGE_SIZE) -> LogPage:
    """The ``size`` newest rows older than ``before``, or the ``size`` oldest newer than ``after``.

    Neither cursor: the newest page. A page of ``after`` that finds nothing
    newer (the owner came back to it later) is the newest page.
    """
    d = webhook_deliveries.c
    rare = _rare(conn, merchant_id, wanted)
    if after is not None:
        found = [dict(r) for r in conn.execute(_select(merchant_id, wanted, rare).where(_after(after))
                                               .order_by(d.created_at, d.delivery_id).limit(size + 1)).mappings()]
        if found:
            rows = list(reversed(found[:size]))
            older = _key(rows[-1]) if _exists(conn, merchant_id, wanted, _before(_key(rows[-1])), rare) else None
            return LogPage(rows, older=older, newer=_key(rows[0]) if len(found) > size else None)
        before = None
    query = _select(merchant_id, wanted, rare)
    if before is not None:
        query = query.where(_before(before))
    found = [dict(r) for r in conn.execute(query.order_by(d.created_at.desc(), d.delivery_id.desc())
                                           .limit(size + 1)).mappings()]
    rows = found[:size]
    newer = None
    if before is not None:
        edge = _key(rows[0]) if rows else before
        newer = edge if _exists(conn, merchant_id, wanted, _after(edge), rare) else None
    return LogPage(rows, older=_key(rows[-1]) if len(found) > size else None, newer=newer)


# ---- one delivery, for its history page -------------------------------------------

REPLAYS_SHOWN = 20


def delivery(conn: Connection, merchant_id: str, delivery_id: str) -> dict[str, Any] | None:
    """One of the merchant's deliveries as the log shows it (another merchant's: None)."""
    found = conn.execute(_select(merchant_id, LogFilter())
                         .where(webhook_deliveries.c.delivery_id == delivery_id)).mappings().first()
    return dict(found) if found is not None else None


def find(conn: Connection, merchant_id: str, ident: str) -> str:
    """A delivery id of the merchant from the id or its first 6+ characters (the words of webhooks.replay)."""
    if len(ident) < 6:
        raise WebhookError("give the delivery id, or at least its first 6 characters (see 'webhooks deliveries')")
    d = webhook_deliveries.c
    found = conn.execute(sa.select(d.delivery_id).where(d.merchant_id == merchant_id,
                                                        d.delivery_id.startswith(ident, autoescape=True))
                         .limit(2)).scalars().all()
    if len(found) != 1:
        raise (WebhookNotFound(f"no delivery {ident} at this merchant (see 'webhooks deliveries')") if not found
               else WebhookError(f"{ident} matches several deliveries: give more characters"))
    return str(found[0])


def replays(conn: Connection, merchant_id: str, delivery_id: str) -> list[dict[str, Any]]:
    """The newest REPLAYS_SHOWN replays of a delivery, newest first (by the index on replay_of)."""
    d = webhook_deliveries.c
    return [dict(r) for r in conn.execute(
        _select(merchant_id, LogFilter()).where(d.replay_of == delivery_id)
        .order_by(d.created_at.desc(), d.delivery_id.desc()).limit(REPLAYS_SHOWN)).mappings()]
