import os
import stat
import threading

import pytest

from terminal.store.secret_key import SecretKeyError, load_secret, load_secret_key, save_secret, save_secret_key


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


def test_a_damaged_key_file_is_a_clear_error(tmp_path):
    path = tmp_path / "pin-key-store-4"
    path.write_text("not base64 at all!")
    os.chmod(path, 0o600)
    with pytest.raises(SecretKeyError, match="damaged"):
        load_secret_key("store-4", "file", tmp_path, create=False)


def test_a_received_key_is_found_like_an_own_key_and_a_wrong_size_is_refused(tmp_path):
    key = bytes(range(32))
    save_secret_key("store-5", key, "file", tmp_path)
    assert load_secret_key("store-5", "file", tmp_path, create=False) == key
    with pytest.raises(SecretKeyError, match="wrong size"):
        save_secret_key("store-6", b"short", "file", tmp_path)
    assert not (tmp_path / "pin-key-store-6").exists()


def test_a_named_secret_is_replaced_whole_in_a_private_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "config" / "hub-token-t1"
    assert load_secret("hub-token-t1", backend="file", path=path) is None
    save_secret("hub-token-t1", "first", backend="file", path=path)
    save_secret("hub-token-t1", "second", backend="file", path=path)
    assert load_secret("hub-token-t1", backend="file", path=path) == "second"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["hub-token-t1"]


def test_without_replace_a_secret_already_kept_wins(tmp_path):
    path = tmp_path / "secret"
    assert save_secret("s", "mine", backend="file", path=path, replace=False) == "mine"
    assert save_secret("s", "theirs", backend="file", path=path, replace=False) == "mine"
    assert load_secret("s", backend="file", path=path) == "mine"


def test_tills_creating_the_pin_key_at_once_all_get_the_same_key(tmp_path):
    # Two windows of one till starting together must not each make a key:
    # PINs set with the key that lost would never verify again.
    start = threading.Barrier(8)
    keys, errors = [], []

    def create() -> None:
        start.wait()
        try:
            keys.append(load_secret_key("store-7", "file", tmp_path, create=True))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(keys) == 8 and len(set(keys)) == 1
    assert load_secret_key("store-7", "file", tmp_path, create=False) == keys[0]


@pytest.fixture
def keyring_that_keeps_nothing():
    """keyring's own null backend: the machine's keyring is never touched, and it stores nothing."""
    import keyring
    from keyring.backends import null

    before = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(before)


def test_a_keyring_that_keeps_nothing_falls_back_to_the_file_on_auto_and_is_an_error_alone(
        tmp_path, keyring_that_keeps_nothing):
    path = tmp_path / "secret"
    save_secret("s", "value", backend="auto", path=path)
    assert load_secret("s", backend="auto", path=path) == "value"
    assert path.exists()
    with pytest.raises(SecretKeyError, match="keyring refused"):
        save_secret("t", "value", backend="keyring", path=tmp_path / "t")
    assert not (tmp_path / "t").exists()
    with pytest.raises(SecretKeyError, match="keyring refused"):
        load_secret_key("store-8", "keyring", tmp_path, create=True)
