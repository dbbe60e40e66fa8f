import sqlite3
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from terminal.store.db import Database, open_database
from terminal.store.models import Base


def test_pragmas_that_keep_committed_data(tmp_path):
    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    db.close()


def test_migrations_produce_exactly_the_models(tmp_path):
    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert db.current_revision() == Database.head_revision()
    db.close()


def test_reopening_keeps_data(tmp_path):
    db = open_database(tmp_path)
    with db.write() as s:
        s.execute(text("CREATE TABLE scratch (x)"))
        s.execute(text("INSERT INTO scratch VALUES (1)"))
    db.close()
    db = open_database(tmp_path)
    with db.read() as s:
        assert s.execute(text("SELECT x FROM scratch")).scalar() == 1
    db.close()


def test_write_rolls_back_on_any_exception(tmp_path):
    db = open_database(tmp_path)
    with db.write() as s:
        s.execute(text("CREATE TABLE scratch (x)"))
    with pytest.raises(ZeroDivisionError), db.write() as s:
        s.execute(text("INSERT INTO scratch VALUES (1)"))
        1 / 0  # noqa: B018
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM scratch")).scalar() == 0
    db.close()


def test_write_takes_the_lock_at_begin_so_check_then_write_cannot_interleave(tmp_path):
    """Two writers each read a counter and write it + 1: with BEGIN IMMEDIATE none is lost."""
    db = open_database(tmp_path)
    with db.write() as s:
        s.execute(text("CREATE TABLE counter (n INTEGER)"))
        s.execute(text("INSERT INTO counter VALUES (0)"))
    other = Database(db.path)

    def bump(database: Database) -> None:
        for _ in range(50):
            with database.write() as s:
                n = s.execute(text("SELECT n FROM counter")).scalar()
                s.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    threads = [threading.Thread(target=bump, args=(d,)) for d in (db, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.read() as s:
        assert s.execute(text("SELECT n FROM counter")).scalar() == 100
    db.close()
    other.close()


def test_a_plain_sqlite_client_sees_the_append_only_triggers(tmp_path):
    db = open_database(tmp_path)
    db.close()
    conn = sqlite3.connect(db.path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    conn.close()
    assert {"ledger_no_update", "ledger_no_delete", "audit_no_update", "audit_no_delete"} <= names
