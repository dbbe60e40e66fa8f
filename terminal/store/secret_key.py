"""Secrets kept outside the database: the OS keyring when it works, else a private 0600 file.

A stolen database file alone must not let anyone brute-force 4-digit PINs
or talk to the hub, so the store's PIN key (each PIN is HMAC-keyed with it
before Argon2id) and the hub token live here, never in a table. This module
is the one place that reads and writes such secrets: :func:`save_secret` and
:func:`load_secret` for any named secret (terminal/services/sync_secrets.py
keeps the hub token with them), :func:`load_secret_key` and
:func:`save_secret_key` for the PIN key.

``backend`` is the ``secret_backend`` setting: ``keyring``, ``file``, or
``auto`` (the keyring when it stores and returns a value, else the file).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
import tempfile
from pathlib import Path

KEYRING_SERVICE = "loyalty-terminal"
KEY_BYTES = 32


class SecretKeyError(RuntimeError):
    pass


# ---- any named secret ---------------------------------------------------------

def _keyring_get(name: str) -> str | None:
    import keyring  # imported lazily: probing backends is slow and may touch D-Bus

    try:
        return keyring.get_password(KEYRING_SERVICE, name) or None
    except Exception:  # noqa: BLE001 - any backend failure means "no usable keyring here"
        return None


def _keyring_set(name: str, value: str) -> bool:
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, name, value)
        return keyring.get_password(KEYRING_SERVICE, name) == value
    except Exception:  # noqa: BLE001 - any backend failure means "no usable keyring here"
        return False


def _read_private(path: Path) -> str | None:
    if not path.exists():
        return None
    mode = path.stat().st_mode & 0o777
    if os.name == "posix" and mode & 0o077:
        raise SecretKeyError(f"{path} can be read by other users (mode {mode:o}). Run: chmod 600 {path}")
    return path.read_text().strip() or None


def _write_private(path: Path, value: str, *, replace: bool) -> bool:
    """Write ``value`` to ``path`` whole or not at all; False when ``path`` exists and not ``replace``.

    The value goes to a 0600 temporary file beside ``path`` first and is
    fsynced, so a crash never leaves a half-written secret under its name.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if another process made it first: theirs stays
            except FileExistsError:
                return False
            except OSError:  # no hard links on this file system (FAT, some shares)
                if not _create_exclusive(path, value):
                    return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return True


def _create_exclusive(path: Path, value: str) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def _fsync_dir(folder: Path) -> None:
    # The new name must survive a power cut too: a PIN key lost after its
    # first PINs were set locks every member of staff out.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_secret(name: str, *, backend: str, path: Path) -> str | None:
    """The secret kept as ``name`` in the keyring or in the file ``path``; None when neither has it."""
    found = _keyring_get(name) if backend in ("auto", "keyring") else None
    if found is None and backend in ("auto", "file"):
        found = _read_private(path)
    return found


def save_secret(name: str, value: str, *, backend: str, path: Path, replace: bool = True) -> str:
    """Keep ``value`` as ``name`` in the keyring, or (``auto``, ``file``) in the file ``path``.

    With ``replace=False`` a secret already kept wins and is returned; the
    return value is always the secret now kept.
    """
    if not replace:
        existing = load_secret(name, backend=backend, path=path)
        if existing is not None:
            return existing
    if backend in ("auto", "keyring") and _keyring_set(name, value):
        return value
    if backend == "keyring":
        raise SecretKeyError("The OS keyring refused to store a secret; set secret_backend = 'file'.")
    if _write_private(path, value, replace=replace):
        return value
    kept = _read_private(path)
    if kept is None:
        raise SecretKeyError(f"{path} exists but is empty: remove it, or restore it from backup.")
    return kept


# ---- the PIN key ----------------------------------------------------------------

def _key_file(config_dir: Path, name: str) -> Path:
    return config_dir / f"pin-key-{name}"


def _decode_key(encoded: str, where: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise SecretKeyError(
            f"The PIN key for this store in {where} is damaged. Restore the key file from backup, "
            "or reset staff PINs with a new store."
        )
    return key


def load_secret_key(name: str, backend: str, config_dir: Path, create: bool) -> bytes:
    """The PIN key called ``name`` (the store id), creating it when asked."""
    path = _key_file(config_dir, name)
    encoded = load_secret(name, backend=backend, path=path)
    if encoded is None and create:
        fresh = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
        encoded = save_secret(name, fresh, backend=backend, path=path, replace=False)
    if encoded is None:
        where = "the OS keyring" if backend == "keyring" else f"{config_dir}"
        raise SecretKeyError(
            f"The PIN key for this store was not found in {where}. Staff PINs cannot be checked "
            "without it: restore the key file from backup, or reset staff PINs with a new store."
        )
    where = {"keyring": "the OS keyring", "file": f"{path}"}.get(backend, f"the OS keyring or {path}")
    return _decode_key(encoded, where)


def save_secret_key(name: str, key: bytes, backend: str, config_dir: Path) -> None:
    """Keep a PIN key received from elsewhere (the hub) where :func:`load_secret_key` finds it."""
    if len(key) != KEY_BYTES:
        raise SecretKeyError("The hub sent a PIN key of the wrong size; pair again.")
    save_secret(name, base64.b64encode(key).decode(), backend=backend, path=_key_file(config_dir, name))
