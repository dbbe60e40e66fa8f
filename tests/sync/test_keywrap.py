"""The hub's master key file and PIN-key wrapping."""

from __future__ import annotations

import secrets

import pytest

from sync.hub import keywrap


def test_master_key_file_is_private_and_reused(tmp_path):
    path = tmp_path / "dir" / "master.key"
    key = keywrap.load_master_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert keywrap.load_master_key(path, create=False) == key
    path.chmod(0o644)
    with pytest.raises(keywrap.MasterKeyError, match="chmod 600"):
        keywrap.load_master_key(path)
    with pytest.raises(keywrap.MasterKeyError, match="missing"):
        keywrap.load_master_key(tmp_path / "nope", create=False)


def test_a_wrapped_key_opens_only_with_its_master_key_and_store(tmp_path):
    master, pin_key = secrets.token_bytes(32), secrets.token_bytes(32)
    wrapped = keywrap.wrap(master, pin_key, "store-1")
    assert pin_key.hex() not in wrapped and keywrap.wrap(master, pin_key, "store-1") != wrapped
    assert keywrap.unwrap(master, wrapped, "store-1") == pin_key
    with pytest.raises(keywrap.MasterKeyError, match="master key file"):
        keywrap.unwrap(secrets.token_bytes(32), wrapped, "store-1")
    with pytest.raises(keywrap.MasterKeyError):
        keywrap.unwrap(master, wrapped, "store-2")
