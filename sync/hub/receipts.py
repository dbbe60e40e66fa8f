"""Receipts: with every push answer the hub signs the chain heads it now holds for the till.

A receipt says "the hub holds this till's <stream> chain up to seq N, whose
record N has hash H" at a time, signed with the hub's key. The till keeps
them; its ``admin verify`` then finds a record changed after it was pushed
even by someone holding the till's own signing key, because the hub's key
is not on the till. The heads are those the push read and moved under its
merchant's lock, so they are what it committed; chains only grow, so the
statement stays true (no second transaction to read them again).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger_chain import signing
from sync.hub.admin import utc_iso
from sync.protocol import PushResponse, Receipt


def with_receipts(hub_key: Callable[[], Ed25519PrivateKey], terminal_id: str, answer: PushResponse,
                  heads: Mapping[str, Any]) -> PushResponse:
    key = hub_key()
    now = utc_iso()
    receipts = []
    for stream in ("entries", "audit"):
        seq, head = heads[f"{stream}_through"], heads[f"{stream}_head"]
        if seq == 0:
            continue
        fields = {"author": terminal_id, "stream": stream, "seq": seq, "hash": head, "at": now}
        receipts.append(Receipt(**fields, sig=signing.sign_receipt(key, fields)))
    return answer.model_copy(update={"receipts": receipts, "hub_key": signing.public_key_of(key)})
