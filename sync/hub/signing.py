"""Chain keys at the hub: binding a till's key, refusing unsigned records, and the hub's own key.

A till's Ed25519 public key is bound to its terminal id at pairing (a
recovery code rebinds it). A till paired before signing existed offers its
key on a later push, once: trust on first use, with the seq each of its
chains starts signing at (the *boundary*) recorded beside it. From the
boundary on, every pushed record must carry a signature; the hub checks
the last signed record of each batch cryptographically. That is enough
because the till signs a record only on top of a head its key signed
(terminal/store/chain_key.py), so each good signature vouches for the
whole chain before it, and the hub checks every link; it keeps a push of
5,000 entries to one signature check instead of 5,000 (~0.1 ms each).

The hub's own key (a 0600 file beside its database, or in its config
folder; made at first use) signs receipts (sync/hub/receipts.py) and,
later, chains the hub writes itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from platformdirs import user_config_dir
from sqlalchemy.engine import Connection, Engine

from ledger_chain import signing
from sync.hub.errors import HubError
from sync.hub.schema import terminals
from sync.protocol import AuditEvent, Entry, PushRequest, SignedFrom

ENV_SIGNING_KEY = "LOYALTY_HUB_SIGNING_KEY_FILE"


# ---- the hub's own key ------------------------------------------------------------

def default_signing_key_path(engine: Engine) -> Path:
    configured = os.environ.get(ENV_SIGNING_KEY, "").strip()
    if configured:
        return Path(configured).expanduser()
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().with_suffix(".signing-key")
    return Path(user_config_dir("loyalty-hub", appauthor=False)) / "signing.key"


class HubKeyError(RuntimeError):
    pass


def load_hub_key(path: Path, create: bool = True) -> Ed25519PrivateKey:
    """The hub's signing key in ``path``, made (0600, in a 0700 folder) when absent and ``create``."""
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if os.name == "posix" and mode & 0o077:
            raise HubKeyError(f"{path} can be read by other users (mode {mode:o}); run: chmod 600 {path}")
        try:
            return signing.private_key(path.read_text().strip())
        except signing.SigningError as exc:
            raise HubKeyError(f"{path}: {exc}; restore it from backup") from None
    if not create:
        raise HubKeyError(f"the hub's signing key file {path} is missing; restore it from backup")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    encoded = signing.new_private_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another hub process made it first
        return load_hub_key(path, create=False)
    with os.fdopen(fd, "w") as fh:
        fh.write(encoded)
        fh.flush()
        os.fsync(fh.fileno())
    return signing.private_key(encoded)


def lazy_hub_key(path: Path) -> Callable[[], Ed25519PrivateKey]:
    lock = threading.Lock()
    loaded: list[Ed25519PrivateKey] = []

    def hub_key() -> Ed25519PrivateKey:
        with lock:
            if not loaded:
                loaded.append(load_hub_key(path))
            return loaded[0]

    return hub_key


# ---- binding a till's key ------------------------------------------------------------

def bound_values(signing_key: str | None, signed_from: SignedFrom | None) -> dict[str, Any]:
    """The terminals columns for a key offered at pairing (recovery rebinds: every column replaced)."""
    if signing_key is None:
        return {"signing_key": None, "entries_signed_from": None, "audit_signed_from": None}
    start = signed_from or SignedFrom(entries=1, audit=1)
    return {"signing_key": signing_key, "entries_signed_from": start.entries, "audit_signed_from": start.audit}


def bind_on_push(conn: Connection, term: Any, request: PushRequest) -> Any:
    """Bind the key a till paired before signing offers now (once); refuse one that differs.

    Returns the terminal's row as it now is.
    """
    offered = request.signing_key
    if offered is None or term["signing_key"] == offered:
        return term
    if term["signing_key"] is not None:
        raise HubError(409, "signing_key_mismatch",
                       "this push offers a different signing key than the one bound to this till; "
                       "only the owner can rebind it: pair the till again with a recovery code "
                       f"('loyalty-hub terminals recover {term['terminal_id'][:8]}')")
    values = bound_values(offered, request.signed_from)
    conn.execute(sa.update(terminals).where(terminals.c.terminal_id == term["terminal_id"]).values(**values))
    return {**term, **values}


def check_signed(term: Any, stream: str, records: Sequence[Entry | AuditEvent]) -> None:
    """Refuse new records from the boundary on that are unsigned, or whose batch head is not the till's."""
    key = term["signing_key"]
    if key is None or not records:
        return  # a till that never offered a key (an older version): its chain is checked by links only
    start = term[f"{stream}_signed_from"]
    noun = "entry" if stream == "entries" else "audit event"
    signed = [r for r in records if r.seq >= start]
    for record in signed:
        if record.sig is None:
            raise HubError(422, "signature_missing",
                           f"{noun} seq {record.seq} is not signed, but this till signs every record from "
                           f"seq {start} on; the record was written outside the program — run verify on the "
                           "terminal", stream=stream, expected_seq=record.seq)
    if signed and not signing.record_signed(signing.public_key(key), cast(signing.Stream, stream),
                                            signed[-1].hash, signed[-1].sig):
        raise HubError(422, "signature_invalid",
                       f"{noun} seq {signed[-1].seq} is not signed with the key bound to this till: the records "
                       "were written or changed outside the program, or by another till — run verify on the "
                       "terminal", stream=stream, expected_seq=signed[0].seq)
