"""Pairing: a one-time code becomes a terminal's own token.

The terminal already has its UUID (its ledger may hold entries from before
pairing); the hub binds that id to the code's store. Pairing again with a
new code (a reinstalled terminal, a lost token) rebinds the same id within
the same merchant and replaces the old token; the chain heads stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sync import chain
from sync.hub import tokens
from sync.hub.admin import utc_iso
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.errors import HubError
from sync.hub.schema import merchants, pairings, stores, terminals
from sync.protocol import PROTOCOL_VERSION, PairRequest, PairResponse


def _invalid() -> HubError:
    return HubError(403, "pairing_code_invalid",
                    "this pairing code is not valid: check it, or ask the owner for a new one "
                    "('loyalty-hub terminals add')")


def pair(engine: Engine, request: PairRequest) -> PairResponse:
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
        if existing is not None and existing.merchant_id != merchant_id:
            raise HubError(409, "terminal_id_taken",
                           "another merchant's terminal already uses this terminal id; "
                           "this terminal's data cannot be paired here")
        values = dict(store_id=pairing.store_id, name=pairing.name,
                      token_hash=tokens.secret_hash(token), paired_at=now)
        if existing is None:
            conn.execute(sa.insert(terminals).values(
                terminal_id=request.terminal_id, merchant_id=merchant_id,
                entries_through=0, entries_head=chain.GENESIS,
                audit_through=0, audit_head=chain.GENESIS, pulled_through=0, **values))
        else:
            conn.execute(sa.update(terminals)
                         .where(terminals.c.terminal_id == request.terminal_id).values(**values))
        conn.execute(sa.update(pairings).where(pairings.c.code_hash == code_hash)
                     .values(used_at=now, terminal_id=request.terminal_id))
        names = conn.execute(
            sa.select(merchants.c.name.label("merchant"), stores.c.name.label("store"))
            .select_from(stores.join(merchants, stores.c.merchant_id == merchants.c.merchant_id))
            .where(stores.c.store_id == pairing.store_id)).one()
    return PairResponse(v=PROTOCOL_VERSION, token=token, terminal_id=request.terminal_id,
                        merchant_id=merchant_id, merchant_name=names.merchant,
                        store_id=pairing.store_id, store_name=names.store)

