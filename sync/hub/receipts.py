"""Receipts: with every push answer the hub signs the chain heads it now holds for the till.

A receipt says "the hub holds this till's <stream> chain up to seq N, whose
record N has hash H" at a time, signed with the hub's key. The till keeps
them; its ``admin verify`` then finds a record changed after it was pushed
even by someone holding the till's own signing key, because the hub's key
is not on the till. Heads are read after the push committed: chains only
grow, so the statement stays true.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Engine

from ledger_chain import signing
from sync.hub.admin import utc_iso
from sync.hub.db import reading
from sync.hub.schema import terminals
from sync.protocol import PushResponse, Receipt


def with_receipts(engine: Engine, hub_key: Callable[[], Ed25519PrivateKey], terminal_id: str,
                  answer: PushResponse) -> PushResponse:
    with reading(engine) as conn:
        term = conn.execute(sa.select(terminals.c.entries_through, terminals.c.entries_head,
                                      terminals.c.audit_through, terminals.c.audit_head)
                            .where(terminals.c.terminal_id == terminal_id)).one()
    key = hub_key()
    now = utc_iso()
    receipts = []
    for stream, seq, head in (("entries", term.entries_through, term.entries_head),
                              ("audit", term.audit_through, term.audit_head)):
        if seq == 0:
            continue
        fields = {"author": terminal_id, "stream": stream, "seq": seq, "hash": head, "at": now}
        receipts.append(Receipt(**fields, sig=signing.sign_receipt(key, fields)))
    return answer.model_copy(update={"receipts": receipts, "hub_key": signing.public_key_of(key)})
