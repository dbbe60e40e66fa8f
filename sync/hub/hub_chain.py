"""The hub's own signed chain per merchant: entries the hub writes as an author of its own.

Integration writes (integration_api.py) and the console's point adjustments
are facts made at the hub, not at a till. They go into the same ``entries``
table as the tills' entries, under a per-merchant author registered in
``terminals`` with ``is_hub`` set: its terminal id is a UUID of its own, its
public key is the hub's (sync/hub/signing.py), it has no usable token (a
random hash no token maps to) and the admin commands never find it, so it
cannot be paired, recovered or revoked. Its entries carry seq, prev_hash and
hash from ``ledger_chain`` and a signature by the hub's key under the same
scheme as a till's, so any till or auditor checks them the same way.

They are counted like a till's entries (``settle_balances``, ``raise_flags``)
and served by the normal pull: a till of a store that has seen the card gets
them on its next pull, another gets them with the card's history when it
first scans it. Daily limits are counted in the time zone of the merchant's
first store (the hub author's home store).

Writers take the merchant's write lock (``ChangeCounter`` inside
``db.writing``), so the hub chain, like every till chain, grows one entry at
a time in order.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Connection, Engine

import ledger_chain as chain
from ledger_chain import signing
from sync.hub import daily_totals
from sync.hub.admin import utc_iso
from sync.hub.auth import TerminalPrincipal
from sync.hub.db import ChangeCounter, writing
from sync.hub.errors import HubError
from sync.hub.flags import raise_flags
from sync.hub.overdrafts import settle_balances
from sync.hub.schema import entries, stores, terminals
from sync.hub.visibility import insert_rows
from sync.hub.webhooks import events_for_push
from sync.protocol import Entry, Overdraft

HUB_AUTHOR_NAME = "Hub (integrations and console)"


@dataclass(frozen=True)
class NewEntry:
    """What a hub writer states; the chain fields (ids, seq, hashes, time, signature) are added here."""

    card: str
    kind: str
    stamps: int = 0
    points: int = 0
    amount: int | None = None
    reward_id: str | None = None
    staff_id: str | None = None
    reason: str | None = None
    reverses: str | None = None


@dataclass(frozen=True)
class Appended:
    entries: list[Entry]
    overdrafts: list[Overdraft]


_HUB_AUTHOR = sa.select(terminals).where(terminals.c.merchant_id == sa.bindparam("m"),
                                         terminals.c.is_hub.is_(sa.true()))


_MOVE_HEAD = (sa.update(terminals).where(terminals.c.terminal_id == sa.bindparam("t"))
              .values(entries_through=sa.bindparam("seq"), entries_head=sa.bindparam("head"),
                      pulled_through=sa.bindparam("pulled")))


def hub_author(conn: Connection, merchant_id: str, key: Ed25519PrivateKey) -> Any:
    """The merchant's hub author row, registered on first use (call under the merchant's lock)."""
    row = conn.execute(_HUB_AUTHOR, {"m": merchant_id}).mappings().one_or_none()
    if row is not None:
        if row["signing_key"] != signing.public_key_of(key):
            raise HubError(500, "hub_key_changed",
                           "the hub's signing key is not the one its chain was started with; restore the "
                           "hub's key file from backup (see LOYALTY_HUB_SIGNING_KEY_FILE)")
        return row
    store_id = conn.execute(sa.select(stores.c.store_id).where(stores.c.merchant_id == merchant_id)
                            .order_by(stores.c.created_at, stores.c.store_id).limit(1)).scalar_one_or_none()
    if store_id is None:
        raise HubError(409, "no_store", "this merchant has no store yet; add one first "
                       "('loyalty-hub stores add NAME')")
    values = {
        "terminal_id": str(uuid.uuid4()), "merchant_id": merchant_id, "store_id": store_id,
        "name": HUB_AUTHOR_NAME, "token_hash": "hub:" + secrets.token_hex(28), "paired_at": utc_iso(),
        "entries_through": 0, "entries_head": chain.GENESIS, "audit_through": 0, "audit_head": chain.GENESIS,
        "pulled_through": 0, "signing_key": signing.public_key_of(key), "entries_signed_from": 1,
        "audit_signed_from": 1, "is_hub": True,
    }
    conn.execute(sa.insert(terminals).values(**values))
    return conn.execute(sa.select(terminals).where(terminals.c.terminal_id == values["terminal_id"])
                        ).mappings().one()


def append_locked(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey,
                  new: Sequence[NewEntry], now: str | None = None, *, author: Any = None) -> Appended:
    """Append ``new`` to the merchant's hub chain inside a write transaction holding ``counter``;
    ``author``: the hub author row as ``hub_author`` just gave it in this transaction."""
    author = author if author is not None else hub_author(conn, counter.merchant_id, key)
    at = now or utc_iso()
    seq, prev = author["entries_through"], author["entries_head"]
    made: list[Entry] = []
    for item in new:
        seq += 1
        fields = {"entry_id": str(uuid.uuid4()), "terminal_id": author["terminal_id"], "seq": seq,
                  "card": item.card, "kind": item.kind, "stamps": item.stamps, "points": item.points,
                  "amount": item.amount, "reward_id": item.reward_id, "staff_id": item.staff_id,
                  "reason": item.reason, "reverses": item.reverses, "at": at}
        digest = chain.entry_hash(prev, fields)
        made.append(Entry.model_validate({**fields, "prev_hash": prev, "hash": digest,
                                          "sig": signing.sign_record(key, "entries", digest)}))
        prev = digest
    if not made:
        return Appended([], [])
    # The hub knows every change made before this one: nothing it did not see can meet its debits.
    conn.execute(_MOVE_HEAD, {"t": author["terminal_id"], "seq": seq, "head": prev, "pulled": counter.take()})
    insert_rows(conn, entries, [{**e.model_dump(), "merchant_id": counter.merchant_id, "received_at": at,
                                 "change_id": counter.take()} for e in made])
    daily_totals.count(conn, counter.merchant_id, author["store_id"], made)  # the console's period figures
    who = TerminalPrincipal(author["terminal_id"], counter.merchant_id, author["store_id"], 0)
    flagged = settle_balances(conn, who, counter, made, at)
    raise_flags(conn, who, counter, made, at)
    events_for_push(conn, counter.merchant_id, author["terminal_id"], made, at)  # webhooks, as for a till's push
    return Appended(made, flagged)


def append(engine: Engine, merchant_id: str, key: Ed25519PrivateKey, new: Sequence[NewEntry]) -> Appended:
    """Append entries to the merchant's hub chain in a transaction of their own (e.g. the console's
    "adjust points"): under the merchant's write lock, counted in balances and flags, served by pull."""
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        done = append_locked(conn, counter, key, new)
        counter.save()
    return done


def verify(engine: Engine, merchant_id: str, public_key: str) -> list[str]:
    """Problems found in the merchant's hub chain: broken links, wrong hashes, bad signatures."""
    with engine.connect() as conn:
        author = conn.execute(sa.select(terminals.c.terminal_id, terminals.c.entries_through,
                                        terminals.c.entries_head)
                              .where(terminals.c.merchant_id == merchant_id,
                                     terminals.c.is_hub.is_(sa.true()))).one_or_none()
        if author is None:
            return []
        rows = conn.execute(sa.select(entries).where(entries.c.terminal_id == author.terminal_id)
                            .order_by(entries.c.seq)).mappings().all()
    key = signing.public_key(public_key)
    problems: list[str] = []
    prev, expected = chain.GENESIS, 1
    for row in rows:
        label = f"hub entry seq {row['seq']}"
        if row["seq"] != expected:
            problems.append(f"{label}: expected seq {expected}")
        if row["prev_hash"] != prev:
            problems.append(f"{label}: does not continue the chain")
        if chain.entry_hash(row["prev_hash"], dict(row)) != row["hash"]:
            problems.append(f"{label}: the hash does not match the contents")
        if not signing.record_signed(key, "entries", row["hash"], row["sig"]):
            problems.append(f"{label}: not signed with the hub's key")
        prev, expected = row["hash"], row["seq"] + 1
    if (expected - 1, prev) != (author.entries_through, author.entries_head):
        problems.append("the hub chain's recorded head does not match its last entry")
    return problems
