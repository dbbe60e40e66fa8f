"""Webhooks: an owner's endpoints, and the outbox of events other systems are told about.

Events are written in the transaction that stores what caused them (a push,
or an entry the hub writes itself), with one pending delivery per endpoint
that wants them; ``webhook_delivery.py`` sends them later. So a slow or
failing receiver never slows a push, and an event exists exactly when its
cause was committed.

Signing (documented in docs/integration.md): ``Loyalty-Signature:
t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's
secret>``. The secret is shown once, when the endpoint is made, and kept
only wrapped with the hub's master key (secret_store.py).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub import secret_store
from sync.hub.admin import utc_iso
from sync.hub.flags import flag_model
from sync.hub.schema import cards, entries, overdrafts, programs, webhook_deliveries, webhook_endpoints, webhook_events
from sync.hub.secret_store import MasterKey
from sync.hub.visibility import chunks, one_of
from terminal.domain.ledger import ORDER_REFUND_REASON, EntryKind, lifetime_delta

EVENT_TYPES = (
    "card.enrolled", "points.earned", "reward.redeemed", "tier.changed", "points.expired",
    "flag.overdraft", "flag.double_void", "flag.daily_limit", "flag.stock",
)
ALL_EVENTS = "*"
MAX_URL = 2048
SIGNATURE_HEADER = "Loyalty-Signature"
DELIVERY_HEADER = "Loyalty-Delivery"
EVENT_HEADER = "Loyalty-Event"
GIVE_UP_AFTER_S = 24 * 3600
WIRE_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"

_BY_KIND = {"enroll": "card.enrolled", "earn": "points.earned", "bonus": "points.earned",
            "redeem": "reward.redeemed", "stamp_redeem": "reward.redeemed", "expire": "points.expired"}
_ENTRY_FIELDS = ("entry_id", "terminal_id", "card", "kind", "stamps", "points", "amount", "reward_id",
                 "reason", "reverses", "at")


class WebhookError(ValueError):
    """Bad input from the owner: the message says what is wrong and what to do."""


class WebhookNotFound(WebhookError):
    pass


@dataclass(frozen=True)
class Endpoint:
    endpoint_id: str
    url: str
    events: list[str]
    description: str | None
    created_at: str
    removed_at: str | None = None
    secret: str | None = None  # only in the answer that made it


def later(iso: str, seconds: float) -> str:
    """The wire time ``seconds`` after ``iso`` (times are compared as text, so keep one format)."""
    return utc_iso(datetime.strptime(iso, WIRE_TIME).replace(tzinfo=UTC) + timedelta(seconds=seconds))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Loyalty-Signature`` header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


# ---- the registry ----------------------------------------------------------

def check_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise WebhookError("the endpoint URL is empty: give the full https:// address of the receiver")
    if len(url) > MAX_URL:
        raise WebhookError(f"the endpoint URL is {len(url)} characters long; at most {MAX_URL} are allowed")
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        raise WebhookError("the endpoint URL contains spaces or control characters: encode them (%20)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookError(f"the endpoint URL must start with https:// (or http://), not {parts.scheme or url!r}")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise WebhookError("the endpoint URL must not carry a user name or password: the receiver checks "
                           "the signature instead; remove the 'user:password@' part")
    try:
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise WebhookError(f"the endpoint URL has a bad port: {exc}") from None
    if not host:
        raise WebhookError("the endpoint URL has no host name: e.g. https://shop.example/hooks/loyalty")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not all(label and len(label) <= 63 for label in host.split(".")):
            raise WebhookError(f"the endpoint URL's host {host!r} is not a valid name") from None
    return url


def check_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    if not chosen:
        raise WebhookError("choose at least one event (or '*' for all): " + ", ".join(EVENT_TYPES))
    unknown = [e for e in chosen if e != ALL_EVENTS and e not in EVENT_TYPES]
    if unknown:
        raise WebhookError(f"unknown event {unknown[0]!r}: choose from {', '.join(EVENT_TYPES)}, or '*' for all")
    return [ALL_EVENTS] if ALL_EVENTS in chosen else chosen


def add_endpoint(conn: Connection, merchant_id: str, url: str, events: Iterable[str],
                 description: str | None = None, *, master_key: MasterKey | None = None) -> Endpoint:
    """Register an endpoint; the answer holds its secret, which is never shown again.

    ``master_key`` wraps the secret (default: the one of ``conn``'s engine, see secret_store.py).
    """
    url, chosen = check_url(url), check_events(events)
    if description is not None and len(description) > 200:
        raise WebhookError("the description is longer than 200 characters")
    secret = "whsec_" + secrets.token_hex(24)
    endpoint = Endpoint(str(uuid.uuid4()), url, chosen, description, utc_iso(), secret=secret)
    conn.execute(sa.insert(webhook_endpoints).values(
        endpoint_id=endpoint.endpoint_id, merchant_id=merchant_id, url=url, events=json.dumps(chosen),
        secret="", secret_wrapped=secret_store.seal(master_key or secret_store.master_key_for(conn.engine),
                                                    secret_store.WEBHOOK, endpoint.endpoint_id, secret),
        description=description, created_at=endpoint.created_at))
    return endpoint


def list_endpoints(conn: Connection, merchant_id: str, *, removed: bool = False) -> list[Endpoint]:
    query = (sa.select(webhook_endpoints).where(webhook_endpoints.c.merchant_id == merchant_id)
             .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.endpoint_id))
    if not removed:
        query = query.where(webhook_endpoints.c.removed_at.is_(None))
    return [_endpoint(row) for row in conn.execute(query).mappings()]


def _endpoint(row: Any) -> Endpoint:
    return Endpoint(row["endpoint_id"], row["url"], json.loads(row["events"]), row["description"],
                    row["created_at"], row["removed_at"])


def find_endpoint(conn: Connection, merchant_id: str, ident: str) -> str:
    """An endpoint id from the id or its first 6+ characters."""
    if len(ident) < 6:
        raise WebhookError("give the endpoint id, or at least its first 6 characters (see 'webhooks list')")
    found = conn.execute(sa.select(webhook_endpoints.c.endpoint_id)
                         .where(webhook_endpoints.c.merchant_id == merchant_id,
                                webhook_endpoints.c.endpoint_id.startswith(ident, autoescape=True))).scalars().all()
    if len(found) != 1:
        raise (WebhookNotFound(f"no webhook endpoint {ident} at this merchant (see 'webhooks list')") if not found
               else WebhookError(f"{ident} matches several endpoints: give more characters"))
    return found[0]


def remove_endpoint(conn: Connection, merchant_id: str, ident: str) -> str:
    """Stop sending to an endpoint; its pending deliveries are cancelled, its log stays."""
    endpoint_id = find_endpoint(conn, merchant_id, ident)
    now = utc_iso()
    conn.execute(sa.update(webhook_endpoints)
                 .where(webhook_endpoints.c.endpoint_id == endpoint_id, webhook_endpoints.c.removed_at.is_(None))
                 .values(removed_at=now))
    conn.execute(sa.update(webhook_deliveries)
                 .where(webhook_deliveries.c.endpoint_id == endpoint_id, webhook_deliveries.c.status == "pending")
                 .values(status="cancelled", last_error="the endpoint was removed", lease_owner=None,
                         lease_until=None))
    return endpoint_id


def list_deliveries(conn: Connection, merchant_id: str, *, endpoint_id: str | None = None,
                    status: str | None = None, delivery_id: str | None = None,
                    limit: int = 100) -> list[dict[str, Any]]:
    d, ev = webhook_deliveries, webhook_events
    query = (sa.select(d.c.delivery_id, d.c.event_id, d.c.endpoint_id, d.c.replay_of, d.c.status, d.c.attempts,
                       d.c.next_attempt_at, d.c.last_error, d.c.response_code, d.c.created_at, d.c.delivered_at,
                       ev.c.type)
             .join(ev, ev.c.event_id == d.c.event_id)
             .where(d.c.merchant_id == merchant_id)
             .order_by(d.c.created_at.desc(), d.c.delivery_id).limit(limit))
    if endpoint_id:
        query = query.where(d.c.endpoint_id == endpoint_id)
    if status:
        query = query.where(d.c.status == status)
    if delivery_id:
        query = query.where(d.c.delivery_id == delivery_id)
    return [dict(row) for row in conn.execute(query).mappings()]


def replay(conn: Connection, merchant_id: str, ident: str) -> dict[str, Any]:
    """Send a delivery's event again, to the same endpoint, as a new delivery (a new delivery id)."""
    if len(ident) < 6:
        raise WebhookError("give the delivery id, or at least its first 6 characters (see 'webhooks deliveries')")
    d = webhook_deliveries
    rows = conn.execute(sa.select(d.c.delivery_id, d.c.event_id, d.c.endpoint_id)
                        .where(d.c.merchant_id == merchant_id,
                               d.c.delivery_id.startswith(ident, autoescape=True))).all()
    if len(rows) != 1:
        raise (WebhookNotFound(f"no delivery {ident} at this merchant (see 'webhooks deliveries')") if not rows
               else WebhookError(f"{ident} matches several deliveries: give more characters"))
    original = rows[0]
    live = conn.execute(sa.select(webhook_endpoints.c.removed_at)
                        .where(webhook_endpoints.c.endpoint_id == original.endpoint_id)).scalar_one()
    if live is not None:
        raise WebhookError("its endpoint was removed: register it again (webhooks add) to receive events")
    now = utc_iso()
    row = _delivery(merchant_id, original.event_id, original.endpoint_id, now, later(now, GIVE_UP_AFTER_S),
                    replay_of=original.delivery_id)
    conn.execute(sa.insert(d).values(**row))
    return row


# ---- the outbox --------------------------------------------------------------

_SUBSCRIPTIONS = (sa.select(webhook_endpoints.c.endpoint_id, webhook_endpoints.c.events)
                  .where(webhook_endpoints.c.merchant_id == sa.bindparam("m"),
                         webhook_endpoints.c.removed_at.is_(None)))


def _subscriptions(conn: Connection, merchant_id: str) -> list[tuple[str, set[str]]]:
    return [(row.endpoint_id, set(json.loads(row.events)))
            for row in conn.execute(_SUBSCRIPTIONS, {"m": merchant_id})]


def events_for_entries(conn: Connection, merchant_id: str, new_entries: Sequence[Any],
                       flag_ids: Sequence[int] = ()) -> int:
    """Write the events that newly stored entries (and flags) cause; return how many deliveries.

    Call it in the transaction that stored them, after they are stored. An
    entry is a wire ``Entry`` or a mapping with its fields; ``flag_ids`` are
    ``overdrafts.overdraft_id`` values (flags of any kind). An event already
    written for the same cause is not written again.
    """
    subscribed = _subscriptions(conn, merchant_id)
    return _events(conn, merchant_id, subscribed, new_entries, flag_ids) if subscribed else 0


def events_for_push(conn: Connection, merchant_id: str, terminal_id: str, new_entries: Sequence[Any],
                    flagged_at: str) -> int:
    """The push's hook: its new entries and the flags it raised (all flagged at ``flagged_at``)."""
    if not new_entries:
        return 0
    subscribed = _subscriptions(conn, merchant_id)  # the one query a push pays when nobody listens
    if not subscribed:
        return 0
    flag_ids = conn.execute(sa.select(overdrafts.c.overdraft_id)
                            .where(overdrafts.c.merchant_id == merchant_id, overdrafts.c.terminal_id == terminal_id,
                                   overdrafts.c.flagged_at == flagged_at)).scalars().all()
    return _events(conn, merchant_id, subscribed, new_entries, flag_ids)


def _events(conn: Connection, merchant_id: str, subscribed: list[tuple[str, set[str]]],
            new_entries: Sequence[Any], flag_ids: Sequence[int]) -> int:
    if not new_entries and not flag_ids:
        return 0
    wanted = set().union(*(events for _, events in subscribed))
    every = ALL_EVENTS in wanted
    found: list[tuple[str, str, dict[str, Any]]] = []  # (key, type, data)
    rows = [_fields(e) for e in new_entries]
    for row in rows:
        kind = _BY_KIND.get(row["kind"])
        if kind == "points.earned" and row["points"] <= 0:
            continue
        if kind and (every or kind in wanted):
            found.append((f"{kind}:{row['entry_id']}", kind, {"entry": row}))
    if every or "tier.changed" in wanted:
        found += _tier_changes(conn, merchant_id, rows)
    if flag_ids:
        found += _flag_events(conn, merchant_id, flag_ids, wanted, every)
    return _write(conn, merchant_id, subscribed, found)


def _fields(entry: Any) -> dict[str, Any]:
    if isinstance(entry, Mapping):
        return {name: entry.get(name) for name in _ENTRY_FIELDS}
    return {name: getattr(entry, name, None) for name in _ENTRY_FIELDS}


def _flag_events(conn: Connection, merchant_id: str, flag_ids: Sequence[int], wanted: set[str],
                 every: bool) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for part in chunks(list(flag_ids)):
        for row in conn.execute(sa.select(overdrafts).where(overdrafts.c.merchant_id == merchant_id,
                                                            one_of(conn, overdrafts.c.overdraft_id, part))).mappings():
            kind = f"flag.{row['kind']}"
            if every or kind in wanted:
                found.append((f"flag:{row['overdraft_id']}", kind, {"flag": flag_model(row).model_dump(mode="json")}))
    return found


_Found = tuple[str, str, dict[str, Any]]  # (what caused it, event type, data)


# A card replacement's pair moves lifetime points in its ``amount`` (terminal/domain/replacement.py).
_TRANSFERS = ("transfer_out", "transfer_in")


def _tier_changes(conn: Connection, merchant_id: str, rows: list[dict[str, Any]]) -> list[_Found]:
    """Cards whose lifetime points crossed a tier of their program with these entries.

    Lifetime points count earns, take back voided earns and refunded orders'
    earns, and move with a card replacement (the till's
    ``terminal.domain.ledger.lifetime_delta``); two queries per card whose lifetime moved.
    """
    voided = [r["reverses"] for r in rows if r["kind"] == "void" and r["reverses"]]
    earn_ids: set[str] = set()
    for part in chunks(voided):
        earn_ids.update(conn.execute(sa.select(entries.c.entry_id).where(
            entries.c.merchant_id == merchant_id, one_of(conn, entries.c.entry_id, part),
            entries.c.kind == "earn")).scalars())
    delta: dict[str, int] = {}
    last: dict[str, str] = {}
    for r in rows:
        moves = lifetime_delta(EntryKind(r["kind"]), r["points"],
                               EntryKind.EARN if r["reverses"] in earn_ids else None,
                               reason=r["reason"], amount=r["amount"])
        if moves:
            delta[r["card"]] = delta.get(r["card"], 0) + moves
            last[r["card"]] = r["entry_id"]
    found = []
    for card, moved in delta.items():
        if not moved:
            continue
        tiers = _card_tiers(conn, merchant_id, card)
        if not tiers:
            continue
        after = _lifetime(conn, merchant_id, card)
        before_tier, after_tier = _tier(tiers, after - moved), _tier(tiers, after)
        if before_tier != after_tier:
            found.append((f"tier.changed:{last[card]}", "tier.changed",
                          {"card": card, "from_tier": before_tier, "to_tier": after_tier,
                           "lifetime_points": after, "entry_id": last[card]}))
    return found


def _card_tiers(conn: Connection, merchant_id: str, card: str) -> list[tuple[int, str]]:
    settings = conn.execute(sa.select(programs.c.settings).join(
        cards, sa.and_(cards.c.merchant_id == programs.c.merchant_id, cards.c.program_id == programs.c.program_id))
        .where(cards.c.merchant_id == merchant_id, cards.c.code == card)).scalar()
    try:
        tiers = json.loads(settings or "{}").get("tiers") or []
        return [(int(t["min_lifetime_points"]), str(t["name"])) for t in tiers]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []  # a program without readable tiers has no tier to change


def _tier(tiers: list[tuple[int, str]], lifetime: int) -> str | None:
    reached = [t for t in tiers if lifetime >= t[0]]
    return max(reached)[1] if reached else None


def _lifetime(conn: Connection, merchant_id: str, card: str) -> int:
    earns = sa.select(entries.c.entry_id).where(entries.c.merchant_id == merchant_id, entries.c.card == card,
                                                 entries.c.kind == "earn")
    counted = sa.case((entries.c.kind.in_(_TRANSFERS), sa.func.coalesce(entries.c.amount, 0)),
                      else_=entries.c.points)
    total = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(counted), 0)).where(
        entries.c.merchant_id == merchant_id, entries.c.card == card,
        sa.or_(entries.c.kind == "earn", entries.c.kind.in_(_TRANSFERS),
               sa.and_(entries.c.kind == "void", entries.c.reverses.in_(earns.scalar_subquery())),
               # a refund of an order's earn (lifetime_delta)
               sa.and_(entries.c.kind == "adjust", entries.c.points < 0,
                       entries.c.reason.startswith(ORDER_REFUND_REASON, autoescape=True))))).scalar_one()
    return int(total)


def _write(conn: Connection, merchant_id: str, subscribed: list[tuple[str, set[str]]],
           found: list[tuple[str, str, dict[str, Any]]]) -> int:
    if not found:
        return 0
    known: set[str] = set()
    for part in chunks([key for key, _, _ in found]):
        known.update(conn.execute(sa.select(webhook_events.c.event_key).where(
            webhook_events.c.merchant_id == merchant_id, one_of(conn, webhook_events.c.event_key, part))).scalars())
    now = utc_iso()
    give_up = later(now, GIVE_UP_AFTER_S)
    events, deliveries = [], []
    for key, kind, data in found:
        if key in known:
            continue
        known.add(key)
        event_id = str(uuid.uuid4())
        body = {"id": event_id, "type": kind, "created_at": now, "merchant_id": merchant_id, "data": data}
        events.append({"event_id": event_id, "merchant_id": merchant_id, "event_key": key, "type": kind,
                       "payload": json.dumps(body, separators=(",", ":"), ensure_ascii=False), "created_at": now})
        deliveries += [_delivery(merchant_id, event_id, endpoint_id, now, give_up)
                       for endpoint_id, wants in subscribed if ALL_EVENTS in wants or kind in wants]
    if events:
        conn.execute(sa.insert(webhook_events), events)
    if deliveries:
        conn.execute(sa.insert(webhook_deliveries), deliveries)
    return len(deliveries)


def _delivery(merchant_id: str, event_id: str, endpoint_id: str, now: str, give_up: str,
              replay_of: str | None = None) -> dict[str, Any]:
    return {"delivery_id": str(uuid.uuid4()), "merchant_id": merchant_id, "event_id": event_id,
            "endpoint_id": endpoint_id, "replay_of": replay_of, "status": "pending", "attempts": 0,
            "next_attempt_at": now, "give_up_at": give_up, "created_at": now}
