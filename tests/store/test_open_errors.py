"""A database that cannot be used as it is is refused with a clear error, and left byte for byte as it was.

Before, any exception while opening read as "no store yet": a locked or
corrupt database led to the setup wizard (or demo data) on top of the store.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.cli import main
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.facade import open_services
from terminal.store import db as store_db
from terminal.store.db import DB_FILENAME, SQLITE_SIDE_FILES
from tests.conftest import OWNER_PIN

ROOT = Path(__file__).resolve().parents[2]


def _files(folder: Path) -> dict[str, bytes]:
    names = [DB_FILENAME, *(DB_FILENAME + side for side in SQLITE_SIDE_FILES)]
    return {name: (folder / name).read_bytes() for name in names if (folder / name).exists()}


def _untouched(folder: Path, before: dict[str, bytes]) -> bool:
    """The database and its side files as they were; a read may add an index (-shm) and an empty -wal."""
    after = _files(folder)
    return (all(after.get(name) == data for name, data in before.items())
            and after.get(DB_FILENAME + "-wal", b"") == b""
            and set(after) - set(before) <= {DB_FILENAME + "-wal", DB_FILENAME + "-shm"})


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    services = open_services(folder)
    services.init_store(name="Kopi", timezone="Asia/Jakarta", currency="IDR", owner_name="Ida",
                        owner_pin=OWNER_PIN, template="hybrid")
    services.close()
    return folder


def _garbage_header(folder: Path) -> None:
    path = folder / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[0:64] = os.urandom(64)
    path.write_bytes(bytes(data))


def _garbage_pages(folder: Path) -> None:
    path = folder / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[100:len(data)] = b"\xa5" * (len(data) - 100)  # the header survives; the schema and every table do not
    path.write_bytes(bytes(data))


def _newer_schema(folder: Path) -> None:
    conn = sqlite3.connect(folder / DB_FILENAME)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed_from_the_future'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.mark.parametrize(("damage", "words"), [
    (_garbage_header, "damaged"), (_garbage_pages, "damaged"), (_newer_schema, "newer version"),
])
def test_an_unusable_database_is_refused_and_left_untouched(store, damage, words):
    damage(store)
    before = _files(store)
    with pytest.raises(LoyaltyError) as err:
        open_services(store)
    assert err.value.code is ErrorCode.STORE_UNUSABLE
    assert words in err.value.message and "nothing was changed" in err.value.message
    assert _untouched(store, before)


def test_a_locked_database_is_refused_and_left_untouched(store, monkeypatch):
    monkeypatch.setattr(store_db, "PROBE_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(store / DB_FILENAME, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE store_info SET name = name")
        before = _files(store)
        with pytest.raises(LoyaltyError) as err:
            open_services(store)
        assert err.value.code is ErrorCode.STORE_UNUSABLE and "locked by another program" in err.value.message
        assert _untouched(store, before)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_cli_says_one_sentence_and_exits_2(store, capsys):
    _garbage_header(store)
    before = _files(store)
    code = main(["--data-dir", str(store), "admin", "verify"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: The store database") and err.count("\n") == 1
    assert "Traceback" not in err
    assert _untouched(store, before)


def test_the_window_shows_the_error_before_anything_else_even_with_demo(store):
    _garbage_header(store)
    before = _files(store)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOYALTY_QUIT_AFTER_SHOWN": "1", "LOYALTY_CAMERA": "demo",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "terminal", "--demo", "--data-dir", str(store)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "is damaged" in done.stderr and "Traceback" not in done.stderr
    assert _untouched(store, before)


def test_an_empty_folder_is_still_a_new_store(tmp_path):
    services = open_services(tmp_path / "fresh")
    try:
        assert not services.initialised
    finally:
        services.close()


def test_initialised_means_only_no_store_yet(store):
    """A store that opens but cannot be read must not pass for a new one (the wizard would run on it)."""
    services = open_services(store)
    try:
        services.ctx.forget_store()
        with services.ctx.db.write() as session:
            session.connection().exec_driver_sql("ALTER TABLE store_info RENAME TO store_info_gone")
        with pytest.raises(Exception) as err:
            _ = services.initialised
        assert "store_info" in str(err.value)
    finally:
        services.close()
