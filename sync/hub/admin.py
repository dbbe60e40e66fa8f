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
from sync.hub.schema import merchants, owner_tokens, pairings, stores, terminals

DEFAULT_PAIRING_VALIDITY = timedelta(hours=24)
TOKEN_ID_LENGTH = 12   # shown hex digits of a token's hash: names it without revealing it
MIN_PREFIX = 6         # the shortest id prefix a command accepts


class AdminError(ValueError):
    """A set-up command cannot be done; the message says why and what to do.

    The message is the English of the CLI and the API. ``key`` (with ``values``, the details it
    carries) names the refusal for the web console, which says it in the owner's language.
    """

    def __init__(self, message: str, key: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


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
    terminal_id: str | None = None  # set for a recovery code: only this till may use it


@dataclass(frozen=True)
class OwnerTokenInfo:
    token_id: str
    created_at: str
    revoked_at: str | None


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
    _check_validity(valid_for)
    with writing(engine) as conn:
        store = conn.execute(sa.select(stores).where(stores.c.store_id == store_id)).one_or_none()
        if store is None:
            raise AdminError(f"no store {store_id!r}; list stores with 'loyalty-hub stores list'")
        ChangeCounter(conn, store.merchant_id)
        return _insert_pairing(conn, store.merchant_id, store_id, name, valid_for, None)


def recover_terminal(engine: Engine, terminal: str, valid_for: timedelta = DEFAULT_PAIRING_VALIDITY,
                     merchant_id: str | None = None) -> NewPairing:
    """A one-time code that only the paired till ``terminal`` (its id or an id prefix) may use.

    For a reinstalled till, a lost token, or a till the owner revoked: using
    the code gives the till a new token, ends the old one and lifts a revocation.
    """
    _check_validity(valid_for)
    with writing(engine) as conn:
        row = _find_terminal(conn, terminal, merchant_id)
        ChangeCounter(conn, row.merchant_id)
        return _insert_pairing(conn, row.merchant_id, row.store_id, row.name, valid_for, row.terminal_id)


def revoke_terminal(engine: Engine, terminal: str, merchant_id: str | None = None) -> tuple[str, str]:
    """End the till's access at once; returns (terminal id, revoked at).

    Its unused recovery codes end too; ``recover_terminal`` lets it back in.
    """
    with writing(engine) as conn:
        row = _find_terminal(conn, terminal, merchant_id)
        ChangeCounter(conn, row.merchant_id)
        now = utc_iso()
        revoked_at = row.revoked_at or now
        conn.execute(sa.update(terminals).where(terminals.c.terminal_id == row.terminal_id)
                     .values(revoked_at=revoked_at))
        conn.execute(sa.update(pairings)
                     .where(pairings.c.recover_terminal_id == row.terminal_id, pairings.c.used_at.is_(None),
                            pairings.c.expires_at > now)
                     .values(expires_at=now))
    return row.terminal_id, revoked_at


def owner_token_id(token: str) -> str:
    """The id an owner token is listed and revoked by: the start of its hash."""
    return tokens.secret_hash(token)[:TOKEN_ID_LENGTH]


def list_owner_tokens(engine: Engine, merchant_id: str) -> list[OwnerTokenInfo]:
    with reading(engine) as conn:
        rows = conn.execute(sa.select(owner_tokens.c.token_hash, owner_tokens.c.created_at,
                                      owner_tokens.c.revoked_at)
                            .where(owner_tokens.c.merchant_id == merchant_id)
                            .order_by(owner_tokens.c.created_at)).all()
    return [OwnerTokenInfo(r.token_hash[:TOKEN_ID_LENGTH], r.created_at, r.revoked_at) for r in rows]


def revoke_owner_token(engine: Engine, merchant_id: str, token_or_id: str) -> OwnerTokenInfo:
    """End an owner token at once, named by the token itself or a prefix of its id."""
    given = (token_or_id or "").strip()
    with writing(engine) as conn:
        ChangeCounter(conn, _merchant(conn, merchant_id))
        query = sa.select(owner_tokens).where(owner_tokens.c.merchant_id == merchant_id)
        if given.startswith(tokens.OWNER_PREFIX):
            query = query.where(owner_tokens.c.token_hash == tokens.secret_hash(given))
        else:
            query = query.where(owner_tokens.c.token_hash.startswith(_prefix(given.lower(), "token id")))
        rows = conn.execute(query.limit(2)).all()
        if len(rows) != 1:
            raise AdminError(f"no owner token {given!r} at this merchant; see 'loyalty-hub tokens list'"
                             if not rows else f"{given!r} names several tokens; give more of its id")
        row = rows[0]
        revoked_at = row.revoked_at or utc_iso()
        conn.execute(sa.update(owner_tokens).where(owner_tokens.c.token_hash == row.token_hash)
                     .values(revoked_at=revoked_at))
    return OwnerTokenInfo(row.token_hash[:TOKEN_ID_LENGTH], row.created_at, revoked_at)


def _check_validity(valid_for: timedelta) -> None:
    if valid_for <= timedelta(0):
        raise AdminError("a pairing code must be valid for some time; give a positive duration")


def _insert_pairing(conn: sa.Connection, merchant_id: str, store_id: str, name: str,
                    valid_for: timedelta, recover_terminal_id: str | None) -> NewPairing:
    code = tokens.new_pairing_code()
    now = datetime.now(UTC)
    conn.execute(sa.insert(pairings).values(
        code_hash=tokens.secret_hash(tokens.normalize_pairing_code(code)),
        merchant_id=merchant_id, store_id=store_id, name=name,
        created_at=utc_iso(now), expires_at=utc_iso(now + valid_for),
        recover_terminal_id=recover_terminal_id))
    return NewPairing(code, utc_iso(now + valid_for), store_id, name, recover_terminal_id)


def _prefix(text: str, what: str) -> str:
    if len(text) < MIN_PREFIX or not all(c in "0123456789abcdef-" for c in text):
        raise AdminError(f"give at least {MIN_PREFIX} characters of the {what} (hex digits)")
    return text


def _find_terminal(conn: sa.Connection, terminal: str, merchant_id: str | None) -> sa.Row:
    query = sa.select(terminals).where(
        terminals.c.terminal_id.startswith(_prefix((terminal or "").strip().lower(), "terminal id")),
        terminals.c.is_hub.is_(sa.false()))  # the hub's own chain is never recovered or revoked
    if merchant_id is not None:
        query = query.where(terminals.c.merchant_id == merchant_id)
    rows = conn.execute(query.limit(2)).all()
    if not rows:
        raise AdminError(f"no paired terminal {terminal!r}; see 'loyalty-hub stores list'")
    if len(rows) > 1:
        raise AdminError(f"{terminal!r} names several terminals; give more of its id")
    return rows[0]


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
        raise AdminError(f"the {what} must be 1 to 200 characters", f"{what.replace(' ', '_')}_length", most=200)
    return value
