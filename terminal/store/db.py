"""Opening the terminal's SQLite database, and the transaction helpers.

Durability settings are not negotiable: WAL with ``synchronous=FULL`` (NORMAL
can lose the last committed transactions on power loss), foreign keys on, a
busy timeout. Every write transaction starts with ``BEGIN IMMEDIATE`` so a
check-then-write use case holds the write lock from its first read: two
windows, threads or processes cannot both pass a limit.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from terminal.domain.errors import ErrorCode, LoyaltyError

# Alembic (with Mako and Pygments: ~17 MB, a tenth of a second) is imported only when a
# migration has to run or its own answer is asked for; an up-to-date store is checked without it.
if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 10_000
PROBE_TIMEOUT_S = 5.0  # how long opening waits for another program's lock before saying so
_SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).with_name("migrations")
DB_FILENAME = "loyalty.sqlite3"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """Create the database file 0600 in a 0700 folder, or tighten an older, world-readable one.

    The file holds names, PIN hashes and the ledger. SQLite gives its WAL and
    SHM files the mode of the database file, so creating that one 0600 before
    SQLite does (it would use 0644 under the usual umask) covers all three.
    """
    if os.name != "posix":
        return  # Windows: the user's profile folder is private already
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        folder.chmod(0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (path, *(path.with_name(path.name + side) for side in SQLITE_SIDE_FILES)):
        try:
            if stat.S_IMODE(name.stat().st_mode) != 0o600:
                name.chmod(0o600)
        except FileNotFoundError:
            pass


def _configure_connection(dbapi_connection, _record) -> None:  # noqa: ANN001
    # Hand transaction control to SQLAlchemy's "begin" event below instead of
    # the sqlite3 module's implicit, deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _begin(conn) -> None:  # noqa: ANN001
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    # Straight to the driver: this runs before every transaction, and the
    # statement needs none of SQLAlchemy's execution machinery.
    conn.connection.driver_connection.execute(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _alembic_config(connection) -> Config:  # noqa: ANN001
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=\n]+)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def _script_heads() -> frozenset[str]:
    """The head revisions of the migration scripts, read from their ``revision = ...`` lines.

    Agrees with Alembic's ``ScriptDirectory`` for scripts written from
    script.py.mako (tests/test_startup_imports.py checks it); anything it
    cannot read only means Alembic is asked.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).update(_QUOTED.findall(value))
    return frozenset(revisions - parents)


def _stamped_revisions(conn) -> frozenset[str]:  # noqa: ANN001
    """The revisions Alembic stamped into the database (none for a new file), by plain SQL."""
    stamped = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
    if stamped is None:
        return frozenset()
    return frozenset(row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))


def _script_revisions() -> frozenset[str]:
    """Every revision this build's migration scripts know."""
    return frozenset(value for script in (MIGRATIONS / "versions").glob("*.py")
                     for name, values in _REVISION.findall(script.read_text(encoding="utf-8"))
                     if name == "revision" for value in _QUOTED.findall(values))


class StoreUnusable(LoyaltyError):
    """The database exists but cannot be used as it is: nothing was written to it."""

    def __init__(self, path: Path, what: str, todo: str) -> None:
        super().__init__(ErrorCode.STORE_UNUSABLE, f"The store database {path} {what}; nothing was changed. {todo}",
                         path=str(path))


def probe(path: Path) -> None:
    """Refuse an existing database that is corrupt, locked or of a newer schema, before writing anything.

    Read-only plain SQL: a file that fails here is left byte for byte as it was
    (no WAL switch, no migration, no setup wizard or demo data on top of it).
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    if not header:
        return  # an empty file: a new store
    corrupt = StoreUnusable(path, "is damaged (it is not a readable SQLite database)",
                            "Restore it from a backup, or move it away to start a new store.")
    if header != _SQLITE_HEADER:
        raise corrupt
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=PROBE_TIMEOUT_S)
    except sqlite3.Error:
        raise corrupt from None
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        stamped = ({row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
                   if "alembic_version" in tables else set())
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreUnusable(path, "is locked by another program",
                                "Close the other Loyalty Terminal window or program using it, then start "
                                "again.") from None
        raise corrupt from None
    except sqlite3.DatabaseError:
        raise corrupt from None
    finally:
        conn.close()
    unknown = stamped - _script_revisions()
    if unknown:
        raise StoreUnusable(path, f"was written by a newer version of Loyalty Terminal (schema "
                                  f"{', '.join(sorted(unknown))})",
                            "Install that version or a newer one to open it.")


class Database:
    """One SQLite file, migrated to the newest schema when opened."""

    def __init__(self, path: Path, migrate: bool = True) -> None:
        self.path = Path(path)
        probe(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(self.path)
        self.engine = make_engine(self.path)
        self._writer = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        # What every write session carries in ``Session.info`` (the till's chain signer, terminal/store/chain_key.py).
        self.session_info: dict[str, object] = {}
        if migrate:
            self.migrate()

    def migrate(self, revision: str = "head") -> None:
        with self.engine.connect() as conn:
            heads = _script_heads()
            if revision == "head" and heads and _stamped_revisions(conn) == heads:
                return  # up to date: no Alembic on an ordinary start
            from alembic import command

            command.upgrade(_alembic_config(conn), revision)
            conn.commit()

    @staticmethod
    def head_revision() -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory(str(MIGRATIONS)).get_current_head()

    def current_revision(self, conn=None) -> str | None:  # noqa: ANN001
        from alembic.runtime.migration import MigrationContext

        if conn is None:
            with self.engine.connect() as own:
                return MigrationContext.configure(own).get_current_revision()
        return MigrationContext.configure(conn).get_current_revision()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A ``BEGIN IMMEDIATE`` transaction: commit on success, roll back on any exception."""
        with self._writer() as session, session.begin():
            session.info.update(self.session_info)
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction: one consistent snapshot, never commits.

        Closing the session rolls the transaction back (via the pool) while
        leaving loaded objects readable, unlike an explicit rollback.
        """
        with self._reader() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(data_dir: Path) -> Database:
    return Database(Path(data_dir) / DB_FILENAME)
