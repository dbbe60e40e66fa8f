"""Pairing: a one-time code becomes a terminal's own token.

The terminal already has its UUID (its ledger may hold entries from before
pairing); the hub binds that id to the code's store. An ordinary code pairs
a new id only: anyone holding one could otherwise take over a paired till's
identity. A till that must pair again (reinstalled, token lost, revoked) uses
a recovery code the owner makes for that very till (``loyalty-hub terminals
recover``); it replaces the old token and lifts a revocation; the chain
heads stay. Pairing binds the till's chain signing key to its id; only a
recovery rebinds it (sync/hub/signing.py).
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Engine

import ledger_chain as chain
from ledger_chain import signing
from sync.hub import keywrap, tokens
from sync.hub import signing as chain_keys
from sync.hub.admin import utc_iso
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.errors import HubError
from sync.hub.schema import merchants, pairings, store_profiles, stores, terminals
from sync.protocol import PROTOCOL_VERSION, PairRequest, PairResponse, StoreProfile


def _invalid() -> HubError:
    return HubError(403, "pairing_code_invalid",
                    "this pairing code is not valid: check it, or ask the owner for a new one "
                    "('loyalty-hub terminals add')")


def pair(engine: Engine, request: PairRequest, master_key: Callable[[], bytes] | None = None,
         hub_key: Callable[[], Ed25519PrivateKey] | None = None) -> PairResponse:
    """Bind the terminal (and its chain signing key) to the code's store; hand over or take in the PIN key.

    ``master_key`` returns the hub's master key (read only when a PIN key
    is wrapped or unwrapped); ``hub_key`` the hub's signing key, whose
    public half the answer carries so the till can check receipts.
    """
    code_hash = tokens.secret_hash(tokens.normalize_pairing_code(request.code))
    with reading(engine) as conn:
        merchant_id = conn.execute(sa.select(pairings.c.merchant_id)
                                   .where(pairings.c.code_hash == code_hash)).scalar_one_or_none()
    if merchant_id is None:
        raise _invalid()
    token = tokens.new_terminal_token()
    now = utc_iso()
    with writing(engine) as conn:
        ChangeCounter(conn, merchant_id)  # take the merchant's lock: one pairing at a time
        pairing = conn.execute(sa.select(pairings).where(pairings.c.code_hash == code_hash)).one()
        if pairing.used_at is not None:
            raise HubError(403, "pairing_code_used",
                           "this pairing code was already used; ask the owner for a new one")
        if pairing.expires_at < now:
            raise HubError(403, "pairing_code_expired",
                           f"this pairing code expired at {pairing.expires_at}; ask the owner for a new one")
        existing = conn.execute(sa.select(terminals.c.merchant_id)
                                .where(terminals.c.terminal_id == request.terminal_id)).one_or_none()
        _check_claim(pairing.recover_terminal_id, request.terminal_id, existing, merchant_id)
        values = dict(store_id=pairing.store_id, name=pairing.name,
                      token_hash=tokens.secret_hash(token), paired_at=now, revoked_at=None,
                      **chain_keys.bound_values(request.signing_key, request.signed_from))
        if existing is None:
            conn.execute(sa.insert(terminals).values(
                terminal_id=request.terminal_id, merchant_id=merchant_id,
                entries_through=0, entries_head=chain.GENESIS,
                audit_through=0, audit_head=chain.GENESIS, pulled_through=0, **values))
        else:
            conn.execute(sa.update(terminals)
                         .where(terminals.c.terminal_id == request.terminal_id).values(**values))
        profile, pin_key = _store_keys(conn, request, pairing.store_id, master_key, now)
        conn.execute(sa.update(pairings).where(pairings.c.code_hash == code_hash)
                     .values(used_at=now, terminal_id=request.terminal_id))
        names = conn.execute(
            sa.select(merchants.c.name.label("merchant"), stores.c.name.label("store"))
            .select_from(stores.join(merchants, stores.c.merchant_id == merchants.c.merchant_id))
            .where(stores.c.store_id == pairing.store_id)).one()
    return PairResponse(v=PROTOCOL_VERSION, token=token, terminal_id=request.terminal_id,
                        merchant_id=merchant_id, merchant_name=names.merchant,
                        store_id=pairing.store_id, store_name=names.store,
                        store=profile, pin_key=pin_key,
                        hub_key=None if hub_key is None else signing.public_key_of(hub_key()))


def _check_claim(recovers: str | None, terminal_id: str, existing: sa.Row | None, merchant_id: str) -> None:
    """A recovery code fits its own till only; an ordinary code, only a till id not yet paired."""
    if recovers is not None:
        if terminal_id != recovers:
            raise HubError(403, "pairing_code_other_terminal",
                           f"this recovery code is for another till ({recovers[:8]}…); use it there, "
                           "or ask the owner for a pairing code ('loyalty-hub terminals add')")
        return
    if existing is not None and existing.merchant_id != merchant_id:
        raise HubError(409, "terminal_id_taken",
                       "another merchant's terminal already uses this terminal id; "
                       "this terminal's data cannot be paired here")
    if existing is not None:
        raise HubError(409, "terminal_already_paired",
                       f"a till with this id ({terminal_id[:8]}…) is already paired with this hub; "
                       "if this is that till (reinstalled, or its access was ended), ask the owner for "
                       f"a recovery code: 'loyalty-hub terminals recover {terminal_id[:8]}'")


def _store_keys(conn: sa.Connection, request: PairRequest, store_id: str,
                master_key: Callable[[], bytes] | None, now: str) -> tuple[StoreProfile | None, str | None]:
    """Take in (first terminal) or hand over (joining terminal) the store's profile and PIN key."""
    if not request.join and request.pin_key is None:
        return None, None
    if master_key is None:
        raise HubError(503, "no_master_key", "this hub has no master key configured; "
                       "PIN keys cannot be handed over")
    row = conn.execute(sa.select(store_profiles)
                       .where(store_profiles.c.store_id == store_id)).mappings().one_or_none()
    if request.join:
        if row is None:
            raise HubError(409, "store_not_set_up",
                           "no terminal of this store has paired its store data yet: pair the first "
                           "terminal (the one already set up) before joining others")
        profile = StoreProfile(name=row["name"], timezone=row["timezone"], currency=row["currency"])
        key = keywrap.unwrap(master_key(), row["pin_key_wrapped"], store_id)
        return profile, base64.b64encode(key).decode()
    given = base64.b64decode(request.pin_key)
    if row is not None:
        if not hmac.compare_digest(keywrap.unwrap(master_key(), row["pin_key_wrapped"], store_id), given):
            raise HubError(409, "store_key_conflict",
                           "another terminal already paired its own store data with this hub store; "
                           "join it from an empty data folder instead, or pair to a new store "
                           "('loyalty-hub stores add')")
        return None, None
    if request.store is None:
        raise HubError(422, "malformed", "a terminal sending its PIN key must send its store profile too")
    conn.execute(sa.insert(store_profiles).values(
        store_id=store_id, name=request.store.name, timezone=request.store.timezone,
        currency=request.store.currency, updated_at=now,
        pin_key_wrapped=keywrap.wrap(master_key(), given, store_id)))
    return None, None

