"""Database engine and transactions for the hub, SQLite or PostgreSQL.

Writes are serialized per merchant: every writing transaction first locks
its merchant's row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite
``BEGIN IMMEDIATE`` already makes writers take turns) and only then takes
change ids from that row's counter, holding the lock until commit. So a
change id is never visible before every smaller one of the same merchant
is: the pull cursor can never skip a row that commits late, the classic bug
of cursors over plain sequences, whose values commit out of order.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError

from sync.hub.schema import merchants

DEFAULT_URL = "sqlite:///loyalty-hub.db"
SQLITE_BUSY_TIMEOUT_S = 30
IDLE_PING_S = 5.0  # see _ping_when_idle


class DatabaseUrlError(ValueError):
    pass


def create_hub_engine(url: str, *, connections: int = 30, wait_seconds: float = 30) -> Engine:
    """An engine for ``sqlite:///path`` or ``postgresql+psycopg://...``.

    ``connections``: the most PostgreSQL connections this engine opens (each
    hub worker process has its own engine; see ``serve --db-connections``).
    ``wait_seconds``: how long a request waits for a free one before it is
    refused as ``hub_busy`` (errors.py).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        pool = min(10, connections)
        engine = sa.create_engine(parsed, pool_size=pool, max_overflow=connections - pool,
                                  pool_timeout=wait_seconds, connect_args={"options": _session_options(parsed)})
        _ping_when_idle(engine)
        return engine
    raise DatabaseUrlError(
        f"unsupported database URL {url!r}: use sqlite:///path/to/hub.db "
        "or postgresql+psycopg://user:password@host:5432/dbname")


CUSTOM_PLANS = "-c plan_cache_mode=force_custom_plan"


def _session_options(url: sa.URL) -> str:
    """PostgreSQL settings for every hub connection, after any ``options`` the URL carries.

    psycopg prepares a statement at its fifth run; from then on PostgreSQL may
    plan it once for any values (a generic plan). For the hub's ``column =
    ANY(cards)`` look-ups the generic plan cannot see the list and reads the
    merchant's or store's every row: measured 8-16 ms each instead of 0.7-1.3,
    a push of 100 entries spending 80 ms in statements instead of 15, all of it
    under the merchant's lock. A plan for the values at hand costs a fraction
    of a millisecond to make; the statements stay prepared (parsed once).
    """
    given = url.query.get("options")
    given = given[-1] if isinstance(given, tuple) else given
    return f"{given} {CUSTOM_PLANS}" if given else CUSTOM_PLANS


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle ``IDLE_PING_S`` or more.

    A database restart or a firewall's idle timeout cuts connections that
    wait in the pool; a ping at every checkout (SQLAlchemy's pre_ping) finds
    them, but costs a round trip per transaction, about a sixth of a push's
    CPU at the hub (measured). Under load a connection comes back within
    milliseconds and is not pinged; one cut while in use fails its request
    with 503 ``database_unavailable`` (errors.py), and SQLAlchemy then drops
    every connection opened before the cut.
    """
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"an idle database connection was cut: {exc}") from exc  # pool retries


def _make_private(path: Path) -> None:
    """The database file 0600 (SQLite gives its WAL and SHM the same mode), a new folder 0700.

    An existing folder is left as it is (``loyalty-hub.db`` lives in the
    current directory by default); an older world-readable file is tightened.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "posix":
        return
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if stat.S_IMODE(name.stat().st_mode) != 0o600:
                name.chmod(0o600)
        except FileNotFoundError:
            pass


def _sqlite_engine(url: sa.URL) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        _make_private(Path(url.database).expanduser())
    engine = sa.create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin() emit BEGIN itself (below); pysqlite's own
        # transaction handling would start reads outside any transaction.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged push must survive a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get("hub_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def is_postgres(conn_or_engine: Connection | Engine) -> bool:
    return conn_or_engine.dialect.name == "postgresql"


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on any exception."""
    with engine.connect() as conn:
        conn.execution_options(hub_write=True)
        with conn.begin():
            yield conn


@contextmanager
def looking_up(engine: Engine) -> Iterator[Connection]:
    """For one read statement (whose result is its own consistent snapshot), such as whose token this
    is: on PostgreSQL outside a transaction, which spares a BEGIN and a ROLLBACK round trip on every
    request that authenticates. Elsewhere the same as ``reading``."""
    if not is_postgres(engine):
        with reading(engine) as conn:
            yield conn
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction on one consistent snapshot.

    PostgreSQL's default READ COMMITTED takes a new snapshot per statement;
    a pull reads several tables and the merchant's counter and needs them
    to agree, hence REPEATABLE READ (SQLite's WAL readers already do this).
    """
    with engine.connect() as conn:
        if is_postgres(conn):
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


_LOCK_COUNTER = (sa.select(merchants.c.last_change_id)
                 .where(merchants.c.merchant_id == sa.bindparam("m")).with_for_update())
_SAVE_COUNTER = (sa.update(merchants).where(merchants.c.merchant_id == sa.bindparam("m"))
                 .values(last_change_id=sa.bindparam("last")))


class ChangeCounter:
    """Hands out a merchant's change ids; the lock is held until commit."""

    def __init__(self, conn: Connection, merchant_id: str) -> None:
        self._conn = conn
        self.merchant_id = merchant_id
        row = conn.execute(_LOCK_COUNTER, {"m": merchant_id}).one()
        self._start = self._last = row.last_change_id

    def take(self) -> int:
        self._last += 1
        return self._last

    def save(self) -> None:
        if self._last != self._start:
            self._conn.execute(_SAVE_COUNTER, {"m": self.merchant_id, "last": self._last})
            self._start = self._last
