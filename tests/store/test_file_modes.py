"""Private files (issue 12, item 10): databases with their WAL and SHM, key files and
exports are 0600, in folders others cannot list (0700), whatever the umask."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from terminal.cli import main
from terminal.services.demo import DEMO_OWNER
from terminal.store.db import DB_FILENAME, Database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _loose_umask() -> Iterator[None]:
    # The usual desktop umask: without care, files come out 0644 and folders 0755.
    old = os.umask(0o022)
    yield
    os.umask(old)


def _sqlite_files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def test_a_new_till_database_and_its_wal_and_shm_are_private(tmp_path):
    data = tmp_path / "data"
    database = Database(data / DB_FILENAME)
    try:
        with database.write() as session:
            session.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
        files = _sqlite_files(data / DB_FILENAME)
        assert all(f.exists() for f in files)
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(data) == 0o700
    finally:
        database.close()


def test_an_old_world_readable_till_database_is_made_private_when_opened(tmp_path):
    data = tmp_path / "data"
    Database(data / DB_FILENAME).close()
    data.chmod(0o755)
    for f in _sqlite_files(data / DB_FILENAME):
        if f.exists():
            f.chmod(0o644)
    database = Database(data / DB_FILENAME)
    try:
        with database.write() as session:
            session.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
        assert all(mode(f) == 0o600 for f in _sqlite_files(data / DB_FILENAME) if f.exists())
        assert mode(data) == 0o700
    finally:
        database.close()


def test_a_new_hub_sqlite_database_and_its_wal_and_shm_are_private(tmp_path):
    folder = tmp_path / "hub"
    engine = create_hub_engine(f"sqlite:///{folder / 'hub.db'}")
    try:
        migrate(engine)
        with engine.connect() as conn:  # keeps the WAL and SHM while the modes are read
            conn.execute(sa.text("SELECT 1"))
            files = _sqlite_files(folder / "hub.db")
            assert all(f.exists() for f in files)
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(folder) == 0o700
    finally:
        engine.dispose()


def test_an_old_world_readable_hub_database_is_made_private(tmp_path):
    db = tmp_path / "hub.db"
    engine = create_hub_engine(f"sqlite:///{db}")
    migrate(engine)
    engine.dispose()
    db.chmod(0o644)
    engine = create_hub_engine(f"sqlite:///{db}")
    try:
        migrate(engine)
        assert mode(db) == 0o600
    finally:
        engine.dispose()


def test_private_text_files_are_0600_even_over_an_old_0644_file(tmp_path):
    from terminal.services.private_files import open_private_text

    fresh = tmp_path / "fresh.csv"
    with open_private_text(fresh) as fh:
        fh.write("a,b\n")
    old = tmp_path / "old.csv"
    old.write_text("secret names from last week\n")
    old.chmod(0o644)
    with open_private_text(old) as fh:
        fh.write("x\n")
    assert (mode(fresh), mode(old)) == (0o600, 0o600)
    assert old.read_text() == "x\n"  # replaced, not appended


def test_the_cli_export_is_private(tmp_path, monkeypatch, capsys):
    data = tmp_path / "d"
    assert main(["--data-dir", str(data), "admin", "demo"]) == 0
    out = tmp_path / "history.csv"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{DEMO_OWNER[1]}\n"))
    code = main(["--data-dir", str(data), "--pin-stdin", "admin", "export", "--out", str(out)])
    capsys.readouterr()
    assert code == 0 and out.read_text().count("\n") > 1
    assert mode(out) == 0o600


def test_key_files_are_private_in_private_folders(tmp_path):
    from sync.hub.keywrap import load_master_key
    from terminal.store.secret_key import load_secret_key

    load_secret_key("store-1", "file", tmp_path / "config", create=True)
    load_master_key(tmp_path / "hub-keys" / "master.key")
    key_files = [p for p in (tmp_path / "config").iterdir()] + [tmp_path / "hub-keys" / "master.key"]
    assert key_files and all(mode(p) == 0o600 for p in key_files)
    assert (mode(tmp_path / "config"), mode(tmp_path / "hub-keys")) == (0o700, 0o700)


def test_saved_card_pdfs_are_readable_by_their_owner_only(tmp_path):
    from terminal.ui.owner.enroll_page import _write_file

    older = tmp_path / "cards.pdf"
    older.write_bytes(b"old")
    older.chmod(0o644)  # a file saved before keeps its mode through O_TRUNC unless it is tightened
    for path in (tmp_path / "card.pdf", older):
        _write_file(path, b"%PDF-1.4 holders' names")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes() == b"%PDF-1.4 holders' names"
