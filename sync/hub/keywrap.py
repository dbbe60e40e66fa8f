"""The hub's master key, and wrapping the secrets the hub must use again with it (AES-256-GCM).

A store's PIN key (what staff PINs are HMAC-keyed with before Argon2id) must
reach every terminal of the store, yet never sit in clear in a database.
The hub keeps it wrapped with a master key that lives outside its database:
a 0600 file (``--master-key-file`` / ``$LOYALTY_HUB_MASTER_KEY_FILE``; by
default next to a SQLite database, else in the user's config folder). A
copy of the database alone unwraps nothing. The store id is the associated
data, so a wrapped key moved to another store's row fails to unwrap.

Webhook signing secrets and owners' TOTP secrets are wrapped the same way
(secret_store.py), bound to their endpoint or account.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from platformdirs import user_config_dir
from sqlalchemy.engine import Engine

ENV_MASTER_KEY = "LOYALTY_HUB_MASTER_KEY_FILE"
KEY_BYTES = 32
_NONCE = 12


class MasterKeyError(RuntimeError):
    """The master key is missing, unreadable or wrong; the message says what to do."""


def default_master_key_path(engine: Engine) -> Path:
    configured = os.environ.get(ENV_MASTER_KEY, "").strip()
    if configured:
        return Path(configured).expanduser()
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().with_suffix(".master-key")
    return Path(user_config_dir("loyalty-hub", appauthor=False)) / "master.key"


def load_master_key(path: Path, create: bool = True) -> bytes:
    """The master key in ``path``, made (0600) when absent and ``create``."""
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if os.name == "posix" and mode & 0o077:
            raise MasterKeyError(f"{path} can be read by other users (mode {mode:o}); run: chmod 600 {path}")
        key = base64.b64decode(path.read_text().strip())
        if len(key) != KEY_BYTES:
            raise MasterKeyError(f"{path} does not hold a {KEY_BYTES}-byte key; restore it from backup")
        return key
    if not create:
        raise MasterKeyError(f"the hub's master key file {path} is missing; restore it from backup")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another hub process made it first
        return load_master_key(path, create=False)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(key).decode())
    return key


def wrap(master: bytes, secret: bytes, context: str) -> str:
    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(master).encrypt(nonce, secret, context.encode())
    return base64.b64encode(nonce + sealed).decode()


def unwrap(master: bytes, wrapped: str, context: str, what: str = "PIN key") -> bytes:
    raw = base64.b64decode(wrapped)
    try:
        return AESGCM(master).decrypt(raw[:_NONCE], raw[_NONCE:], context.encode())
    except InvalidTag:
        raise MasterKeyError(f"a stored {what} cannot be unwrapped: this hub runs with a different "
                             "master key file than the one it was stored with (or the value was copied "
                             "from another row); restore that file") from None
