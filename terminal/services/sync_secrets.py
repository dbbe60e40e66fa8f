"""Secrets of the sync link kept outside the database: the hub token, a received PIN key.

Same places as the PIN key (terminal/store/secret_key.py): the OS keyring
when it works, else a 0600 file in the config folder. A copy of the
database file alone can neither talk to the hub nor check PINs.
"""

from __future__ import annotations

import base64
import contextlib
import os
from pathlib import Path

from terminal.settings import Settings, resolve_config_dir
from terminal.store import secret_key


def _token_name(terminal_id: str) -> str:
    return f"hub-token-{terminal_id}"


def _keyring_set(name: str, value: str) -> bool:
    import keyring  # lazily: probing backends is slow and may touch D-Bus

    try:
        keyring.set_password(secret_key.KEYRING_SERVICE, name, value)
        return keyring.get_password(secret_key.KEYRING_SERVICE, name) == value
    except Exception:  # noqa: BLE001 - any backend failure means "no usable keyring here"
        return False


def _keyring_get(name: str) -> str | None:
    import keyring

    try:
        return keyring.get_password(secret_key.KEYRING_SERVICE, name)
    except Exception:  # noqa: BLE001
        return None


def _write_private(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_private(path: Path) -> str | None:
    if not path.exists():
        return None
    mode = path.stat().st_mode & 0o777
    if os.name == "posix" and mode & 0o077:
        raise secret_key.SecretKeyError(f"{path} can be read by other users (mode {mode:o}). Run: chmod 600 {path}")
    return path.read_text().strip() or None


def _store(settings: Settings, name: str, file_name: str, value: str) -> None:
    backend = settings.secret_backend
    if backend in ("auto", "keyring") and _keyring_set(name, value):
        return
    if backend == "keyring":
        raise secret_key.SecretKeyError("The OS keyring refused to store a secret; set secret_backend = 'file'.")
    _write_private(resolve_config_dir(settings) / file_name, value)


def _load(settings: Settings, name: str, file_name: str) -> str | None:
    backend = settings.secret_backend
    found = _keyring_get(name) if backend in ("auto", "keyring") else None
    if found is None and backend in ("auto", "file"):
        found = _read_private(resolve_config_dir(settings) / file_name)
    return found


def save_token(settings: Settings, terminal_id: str, token: str) -> None:
    _store(settings, _token_name(terminal_id), _token_name(terminal_id), token)


def load_token(settings: Settings, terminal_id: str) -> str | None:
    return _load(settings, _token_name(terminal_id), _token_name(terminal_id))


def token_file(settings: Settings, terminal_id: str) -> Path:
    """Where the token file is when no keyring is used (for tests and support)."""
    return resolve_config_dir(settings) / _token_name(terminal_id)


def save_pin_key(settings: Settings, store_id: str, key: bytes) -> None:
    """Keep a PIN key received from the hub where ``load_secret_key(store_id, ...)`` finds it."""
    if len(key) != secret_key.KEY_BYTES:
        raise secret_key.SecretKeyError("The hub sent a PIN key of the wrong size; pair again.")
    encoded = base64.b64encode(key).decode()
    # secret_key names its file "pin-key-<name>" and its keyring entry "<name>".
    _store(settings, store_id, secret_key._file_path(Path("."), store_id).name, encoded)
