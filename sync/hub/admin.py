"""Setting up a hub: merchants, stores, terminals' pairing codes, owner tokens.

Used by the ``loyalty-hub`` command and by tests.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sync.hub import tokens
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.schema import merchants, owner_tokens, pairings, stores

DEFAULT_PAIRING_VALIDITY = timedelta(hours=24)


class AdminError(ValueError):
    """A set-up command cannot be done; the message says why and what to do."""


def utc_iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class NewMerchant:
    merchant_id: str
    name: str
    owner_token: str


@dataclass(frozen=True)
class NewPairing:
    code: str
    expires_at: str
    store_id: str
    name: str


def create_merchant(engine: Engine, name: str) -> NewMerchant:
    """A merchant and its first owner token (shown once, stored hashed)."""
    name = _required(name, "merchant name")
    merchant_id = str(uuid.uuid4())
    token = tokens.new_owner_token()
    with writing(engine) as conn:
        conn.execute(sa.insert(merchants).values(
            merchant_id=merchant_id, name=name, created_at=utc_iso(), last_change_id=0))
        conn.execute(sa.insert(owner_tokens).values(
            token_hash=tokens.secret_hash(token), merchant_id=merchant_id, created_at=utc_iso()))
    return NewMerchant(merchant_id, name, token)


def add_owner_token(engine: Engine, merchant_id: str) -> str:
    with writing(engine) as conn:
        ChangeCounter(conn, _merchant(conn, merchant_id))
        token = tokens.new_owner_token()
        conn.execute(sa.insert(owner_tokens).values(
            token_hash=tokens.secret_hash(token), merchant_id=merchant_id, created_at=utc_iso()))
    return token


def add_store(engine: Engine, merchant_id: str, name: str) -> str:
    name = _required(name, "store name")
    store_id = str(uuid.uuid4())
    with writing(engine) as conn:
        ChangeCounter(conn, _merchant(conn, merchant_id))
        conn.execute(sa.insert(stores).values(
            store_id=store_id, merchant_id=merchant_id, name=name, created_at=utc_iso()))
    return store_id


def add_terminal(engine: Engine, store_id: str, name: str,
                 valid_for: timedelta = DEFAULT_PAIRING_VALIDITY) -> NewPairing:
    """A one-time pairing code for a new terminal of ``store_id``."""
    name = _required(name, "terminal name")
    if valid_for <= timedelta(0):
        raise AdminError("a pairing code must be valid for some time; give a positive duration")
    code = tokens.new_pairing_code()
    now = datetime.now(UTC)
    with writing(engine) as conn:
        store = conn.execute(sa.select(stores).where(stores.c.store_id == store_id)).one_or_none()
        if store is None:
            raise AdminError(f"no store {store_id!r}; list stores with 'loyalty-hub stores list'")
        ChangeCounter(conn, store.merchant_id)
        conn.execute(sa.insert(pairings).values(
            code_hash=tokens.secret_hash(tokens.normalize_pairing_code(code)),
            merchant_id=store.merchant_id, store_id=store_id, name=name,
            created_at=utc_iso(now), expires_at=utc_iso(now + valid_for)))
    return NewPairing(code, utc_iso(now + valid_for), store_id, name)


def only_merchant(engine: Engine) -> str:
    """The merchant id when the hub has exactly one (so --merchant may be left out)."""
    with reading(engine) as conn:
        ids = conn.execute(sa.select(merchants.c.merchant_id).limit(2)).scalars().all()
    if not ids:
        raise AdminError("this hub has no merchant yet; run 'loyalty-hub init --merchant NAME' first")
    if len(ids) > 1:
        raise AdminError("this hub has several merchants; say which with --merchant ID")
    return ids[0]


def _merchant(conn: sa.Connection, merchant_id: str) -> str:
    found = conn.execute(sa.select(merchants.c.merchant_id)
                         .where(merchants.c.merchant_id == merchant_id)).scalar_one_or_none()
    if found is None:
        raise AdminError(f"no merchant {merchant_id!r} on this hub")
    return found


def _required(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 200:
        raise AdminError(f"the {what} must be 1 to 200 characters")
    return value
