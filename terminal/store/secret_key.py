"""The secret that PINs are keyed with, kept outside the database.

A stolen database file alone must not let anyone brute-force 4-digit PINs,
so each PIN is HMAC-keyed with this secret before Argon2id. It lives in the
OS keyring when one works, otherwise in a 0600 file in the config dir.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

KEYRING_SERVICE = "loyalty-terminal"
KEY_BYTES = 32


class SecretKeyError(RuntimeError):
    pass


def _from_keyring(name: str, create: bool) -> bytes | None:
    import keyring  # imported lazily: probing backends is slow and may touch D-Bus

    try:
        stored = keyring.get_password(KEYRING_SERVICE, name)
        if stored:
            return base64.b64decode(stored)
        if not create:
            return None
        key = secrets.token_bytes(KEY_BYTES)
        keyring.set_password(KEYRING_SERVICE, name, base64.b64encode(key).decode())
        if keyring.get_password(KEYRING_SERVICE, name) is None:
            return None
        return key
    except Exception:  # noqa: BLE001 - any backend failure means "no usable keyring here"
        return None


def _file_path(config_dir: Path, name: str) -> Path:
    return config_dir / f"pin-key-{name}"


def _from_file(config_dir: Path, name: str, create: bool) -> bytes | None:
    path = _file_path(config_dir, name)
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if os.name == "posix" and mode & 0o077:
            raise SecretKeyError(
                f"{path} can be read by other users (mode {mode:o}). Run: chmod 600 {path}"
            )
        return base64.b64decode(path.read_text().strip())
    if not create:
        return None
    config_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(key).decode())
    return key


def load_secret_key(name: str, backend: str, config_dir: Path, create: bool) -> bytes:
    """The PIN key called ``name`` (the store id), creating it when asked."""
    use_keyring = backend in ("auto", "keyring")
    use_file = backend in ("auto", "file")
    key = (_from_keyring(name, create=False) if use_keyring else None) or (
        _from_file(config_dir, name, create=False) if use_file else None)
    if key is None and create:
        key = (_from_keyring(name, create=True) if use_keyring else None) or (
            _from_file(config_dir, name, create=True) if use_file else None)
    if key is None:
        where = "the OS keyring" if backend == "keyring" else f"{config_dir}"
        raise SecretKeyError(
            f"The PIN key for this store was not found in {where}. Staff PINs cannot be checked "
            "without it: restore the key file from backup, or reset staff PINs with a new store."
        )
    return key
