import os
import stat

import pytest

from terminal.store.secret_key import SecretKeyError, load_secret_key


def test_file_key_is_created_once_with_mode_0600(tmp_path):
    key = load_secret_key("store-1", "file", tmp_path, create=True)
    path = tmp_path / "pin-key-store-1"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret_key("store-1", "file", tmp_path, create=False) == key
    assert len(key) == 32


def test_a_missing_key_is_a_clear_error_not_a_new_key(tmp_path):
    with pytest.raises(SecretKeyError, match="PIN key for this store was not found"):
        load_secret_key("store-2", "file", tmp_path, create=False)


def test_a_world_readable_key_file_is_refused(tmp_path):
    load_secret_key("store-3", "file", tmp_path, create=True)
    os.chmod(tmp_path / "pin-key-store-3", 0o644)
    with pytest.raises(SecretKeyError, match="chmod 600"):
        load_secret_key("store-3", "file", tmp_path, create=False)
