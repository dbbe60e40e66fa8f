"""Secrets of the sync link kept outside the database: the hub token, a received PIN key.

Kept by terminal/store/secret_key.py like the store's own PIN key: the OS
keyring when it works, else a 0600 file in the config folder. A copy of the
database file alone can neither talk to the hub nor check PINs.
"""

from __future__ import annotations

from pathlib import Path

from terminal.settings import Settings, resolve_config_dir
from terminal.store import secret_key


def _token_name(terminal_id: str) -> str:
    return f"hub-token-{terminal_id}"


def token_file(settings: Settings, terminal_id: str) -> Path:
    """Where the token file is when no keyring is used (for tests and support)."""
    return resolve_config_dir(settings) / _token_name(terminal_id)


def save_token(settings: Settings, terminal_id: str, token: str) -> None:
    secret_key.save_secret(_token_name(terminal_id), token, backend=settings.secret_backend,
                           path=token_file(settings, terminal_id))


def load_token(settings: Settings, terminal_id: str) -> str | None:
    return secret_key.load_secret(_token_name(terminal_id), backend=settings.secret_backend,
                                  path=token_file(settings, terminal_id))


def save_pin_key(settings: Settings, store_id: str, key: bytes) -> None:
    """Keep a PIN key received from the hub where ``load_secret_key(store_id, ...)`` finds it."""
    secret_key.save_secret_key(store_id, key, settings.secret_backend, resolve_config_dir(settings))
