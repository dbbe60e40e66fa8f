"""The till's Ed25519 signing key: kept outside the database like the PIN key, and the signer.

Each record this till writes to its ledger or audit chain is signed in the
transaction that writes it (``ledger.append_with_balance``,
``services.audit.record``), so a copy of the database file alone can be
rewritten and re-hashed but not re-signed: ``admin verify`` and the hub find it.

The key is made the first time this till writes a record after the
change that brought signing (a new till: its first record; an older till:
its first new record). The secret kept (keyring or a 0600 file
``chain-key-<terminal id>`` in a 0700 folder, by ``secret_key.save_secret``)
holds the key and, with it, where signing began in each chain (the
*boundary*): records before it were written unsigned by an older version.
The boundary lives beside the key, not in the database, so whoever edits
the database cannot move it to leave forged records "unsigned".
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger_chain import signing
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.store import secret_key
from terminal.store.models import AuditRow, LedgerRow

if TYPE_CHECKING:
    from terminal.store.db import Database

SESSION_KEY = "chain_signer"  # where a write session carries its ChainSigner (Session.info)


@dataclass(frozen=True)
class ChainKey:
    private: Ed25519PrivateKey
    public: str  # base64, what the hub is given
    entries_from: int  # first entry seq signed
    audit_from: int  # first audit seq signed

    def signed_from(self, stream: signing.Stream) -> int:
        return self.entries_from if stream == "entries" else self.audit_from


def _name(terminal_id: str) -> str:
    return f"chain-key-{terminal_id}"


def key_file(config_dir: Path, terminal_id: str) -> Path:
    return config_dir / _name(terminal_id)


def _decode(text: str, where: str) -> ChainKey:
    try:
        data = json.loads(text)
        key = signing.private_key(data["key"])
        return ChainKey(key, signing.public_key_of(key), int(data["entries_from"]), int(data["audit_from"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise secret_key.SecretKeyError(
            f"The till's signing key in {where} is damaged ({exc}). Restore it from backup; "
            "otherwise the owner must recover this till at the hub ('loyalty-hub terminals recover')."
        ) from None


def load_chain_key(backend: str, config_dir: Path, terminal_id: str) -> ChainKey | None:
    """The till's signing key, or None before its first signed record."""
    path = key_file(config_dir, terminal_id)
    text = secret_key.load_secret(_name(terminal_id), backend=backend, path=path)
    return None if text is None else _decode(text, str(path))


def create_chain_key(backend: str, config_dir: Path, terminal_id: str,
                     entries_from: int, audit_from: int) -> ChainKey:
    """Make and keep a new key signing from these seqs on; a key already kept wins."""
    fresh = json.dumps({"v": 1, "key": signing.new_private_key(),
                        "entries_from": entries_from, "audit_from": audit_from})
    path = key_file(config_dir, terminal_id)
    kept = secret_key.save_secret(_name(terminal_id), fresh, backend=backend, path=path, replace=False)
    return _decode(kept, str(path))


def _next_seq(session: Session, table: type[LedgerRow] | type[AuditRow], terminal_id: str) -> int:
    last = session.execute(select(func.max(table.seq)).where(table.terminal_id == terminal_id)).scalar()
    return (last or 0) + 1


class ChainSigner:
    """Signs this till's records; made once per open store, shared by its write sessions."""

    def __init__(self, backend: str, config_dir: Path) -> None:
        self._backend, self._config_dir = backend, config_dir
        self._keys: dict[str, ChainKey] = {}
        self._hub_keys: dict[str, str] = {}
        self._last: dict[tuple[str, str], str] = {}  # (terminal, stream) -> hash this signer signed last
        self._lock = threading.Lock()

    def key(self, session: Session, terminal_id: str) -> ChainKey:
        """The key of ``terminal_id``, made now (inside the writing transaction) when it has none."""
        found = self._keys.get(terminal_id)
        if found is not None:
            return found
        with self._lock:
            found = load_chain_key(self._backend, self._config_dir, terminal_id)
            if found is None:
                found = create_chain_key(self._backend, self._config_dir, terminal_id,
                                         _next_seq(session, LedgerRow, terminal_id),
                                         _next_seq(session, AuditRow, terminal_id))
            self._keys[terminal_id] = found
        return found

    def public_key(self, terminal_id: str) -> ChainKey | None:
        """The key if it exists (never made here): what pairing and verify use."""
        found = self._keys.get(terminal_id) or load_chain_key(self._backend, self._config_dir, terminal_id)
        if found is not None:
            self._keys[terminal_id] = found
        return found

    def offer(self, terminal_id: str) -> tuple[str, dict[str, int]] | None:
        """(public key, where signing began) as pairing and pushes tell the hub; None before the key exists."""
        found = self.public_key(terminal_id)
        return None if found is None else (found.public, {"entries": found.entries_from, "audit": found.audit_from})

    def hub_key(self, terminal_id: str) -> str | None:
        # Cached once found: every push answer asks (a keyring lookup can take milliseconds).
        found = self._hub_keys.get(terminal_id) or load_hub_key(self._backend, self._config_dir, terminal_id)
        if found is not None:
            self._hub_keys[terminal_id] = found
        return found

    def save_hub_key(self, terminal_id: str, public: str) -> None:
        save_hub_key(self._backend, self._config_dir, terminal_id, public)
        self._hub_keys[terminal_id] = public

    def sign(self, session: Session, terminal_id: str, stream: signing.Stream, seq: int, prev_hash: str,
             digest: str) -> str:
        """Sign record ``seq`` (hash ``digest``), but only on top of a head this key signed.

        Were it to sign whatever head it finds, a record forged into the
        database before this one would be covered by a good signature. So
        the head must be the record this signer signed last, or carry a valid
        signature of this key; a head from before the boundary is the old,
        unsigned chain. Checking one signature per start (or per rolled-back
        transaction) keeps the counter's write path fast, and lets the hub
        check only the last record of each pushed batch: every signed record
        vouches for the chain before it.
        """
        key = self.key(session, terminal_id)
        if seq - 1 >= key.signed_from(stream) and self._last.get((terminal_id, stream)) != prev_hash:
            table = LedgerRow if stream == "entries" else AuditRow
            head_sig = session.execute(select(table.sig).where(table.terminal_id == terminal_id,
                                                               table.seq == seq - 1)).scalar()
            if not signing.record_signed(signing.public_key(key.public), stream, prev_hash, head_sig):
                raise LoyaltyError(
                    ErrorCode.STORE_UNUSABLE,
                    f"The {'ledger' if stream == 'entries' else 'audit log'} was changed outside this program: "
                    f"its last record (seq {seq - 1}) is not signed with this till's key. Nothing was written. "
                    "Run 'loyalty-terminal admin verify' and tell the owner.", seq=seq - 1)
        signature = signing.sign_record(key.private, stream, digest)
        self._last[(terminal_id, stream)] = digest
        return signature


def sign_in(session: Session, terminal_id: str, stream: signing.Stream, seq: int, prev_hash: str,
            digest: str) -> str | None:
    """The signature for record ``seq`` being written in ``session``; None for a store opened without a signer."""
    signer = session.info.get(SESSION_KEY)
    return None if signer is None else signer.sign(session, terminal_id, stream, seq, prev_hash, digest)


# ---- the hub's public key: learned at pairing, kept beside the till's own key ------------
# Outside the database for the same reason: whoever holds only the database file
# must not be able to swap in a key of their own and sign receipts with it.

def _hub_name(terminal_id: str) -> str:
    return f"hub-key-{terminal_id}"


def save_hub_key(backend: str, config_dir: Path, terminal_id: str, public: str) -> None:
    signing.public_key(public)  # refuse a damaged key now rather than at verify
    secret_key.save_secret(_hub_name(terminal_id), public, backend=backend,
                           path=config_dir / _hub_name(terminal_id))


def load_hub_key(backend: str, config_dir: Path, terminal_id: str) -> str | None:
    return secret_key.load_secret(_hub_name(terminal_id), backend=backend,
                                  path=config_dir / _hub_name(terminal_id))


def signer_of(session_info: dict[str, object]) -> ChainSigner | None:
    found = session_info.get(SESSION_KEY)
    return found if isinstance(found, ChainSigner) else None


def pairing_offer(db: Database, terminal_id: str) -> tuple[str, dict[str, int]] | None:
    """The key pairing binds to ``terminal_id`` at the hub, made now if this till has none yet."""
    signer = signer_of(db.session_info)
    if signer is None:
        return None
    with db.write() as session:
        signer.key(session, terminal_id)
    return signer.offer(terminal_id)


def keep_hub_key(db: Database, terminal_id: str, hub_key: str | None) -> None:
    """Keep the hub's public key from the pairing answer (outside the database) for ``admin verify``."""
    signer = signer_of(db.session_info)
    if signer is not None and hub_key is not None:
        signer.save_hub_key(terminal_id, hub_key)
