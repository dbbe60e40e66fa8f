"""The canonical encoding and hash chain shared by terminals and the hub.

Each terminal's ledger entries form one SHA-256 chain and its audit events
another. A record's hash covers a fixed-order JSON array of its fields and
the previous record's hash, so an edit anywhere breaks every later link and
the hub can check a pushed batch continues what it already holds.

A top-level package of its own: the terminal's store, the hub and offline
tools all import it, and it imports neither ``terminal`` nor ``sync`` (an
import contract in pyproject.toml), so neither side has to depend on the
other for the one format they must agree on. The hash chain here is stdlib
only; :mod:`ledger_chain.signing` (Ed25519 signatures over chain hashes and
the hub's receipts) uses ``cryptography``, a main dependency.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64
CHAIN_VERSION = 1

# Field order is part of the format: never reorder, only append with a new
# CHAIN_VERSION.
ENTRY_FIELDS = (
    "entry_id", "terminal_id", "seq", "card", "kind", "stamps", "points",
    "amount", "reward_id", "staff_id", "reason", "reverses", "at",
)
AUDIT_FIELDS = (
    "event_id", "terminal_id", "seq", "kind", "staff_id", "subject", "details", "at",
)


def _digest(kind: str, prev_hash: str, values: list[Any]) -> str:
    encoded = json.dumps(
        [CHAIN_VERSION, kind, prev_hash, *values],
        separators=(",", ":"), ensure_ascii=False, allow_nan=False,
    ).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """Hash of a ledger entry given as a mapping with ENTRY_FIELDS."""
    return _digest("entry", prev_hash, [entry[f] for f in ENTRY_FIELDS])


def audit_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """Hash of an audit event given as a mapping with AUDIT_FIELDS."""
    return _digest("audit", prev_hash, [event[f] for f in AUDIT_FIELDS])
