"""Schema versions of the hub's database: a small versioned table, no Alembic.

Why not Alembic: the hub must start with ``loyalty-hub serve`` on an empty
file and nothing else, the history is short and linear, and a list of
Python steps ships inside the package with no ini file or env.py to find.
The rule is simple: a new database gets ``metadata.create_all`` (the latest
tables) and is stamped with ``SCHEMA_VERSION``; an older one runs each step
from its version up, in the same transaction. To change the schema, change
``schema.py``, bump ``SCHEMA_VERSION`` and add the step that upgrades an
existing database to it.

Hub processes starting together take turns: an advisory lock on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub.db import is_postgres, writing
from sync.hub.schema import (
    hub_schema,
    metadata,
    owner_accounts,
    owner_sessions,
    staff,
    staff_locks,
    store_profiles,
    terminals,
)

SCHEMA_VERSION = 6
_MIGRATION_LOCK = 0x4C54_4855_4200  # "LTHUB": any fixed number all hubs agree on



def _add_store_profiles(conn: Connection) -> None:
    store_profiles.create(conn)


def _scope_staff_to_stores(conn: Connection) -> None:
    conn.execute(sa.text("ALTER TABLE staff ADD COLUMN store_id VARCHAR(36)"))
    conn.execute(sa.update(staff).values(store_id=sa.select(terminals.c.store_id)
                                         .where(terminals.c.terminal_id == staff.c.origin_terminal_id)
                                         .scalar_subquery()))


def _add_recovery_and_revocation(conn: Connection) -> None:
    conn.execute(sa.text("ALTER TABLE pairings ADD COLUMN recover_terminal_id VARCHAR(36)"))
    conn.execute(sa.text("ALTER TABLE terminals ADD COLUMN revoked_at VARCHAR(27)"))


def _add_provisional_cards_and_staff_locks(conn: Connection) -> None:
    false = "false" if is_postgres(conn) else "0"
    conn.execute(sa.text(f"ALTER TABLE cards ADD COLUMN provisional BOOLEAN NOT NULL DEFAULT {false}"))
    staff_locks.create(conn)


def _add_console_owner_accounts(conn: Connection) -> None:
    # checkfirst: tests fake an older database by winding a new one's version back.
    owner_accounts.create(conn, checkfirst=True)
    owner_sessions.create(conn, checkfirst=True)
    have = {column["name"] for column in sa.inspect(conn).get_columns("overdrafts")}
    for name, kind in (("resolved_at", "VARCHAR(27)"), ("resolved_by", "VARCHAR(254)"),
                       ("resolution_note", "TEXT")):
        if name not in have:
            conn.execute(sa.text(f"ALTER TABLE overdrafts ADD COLUMN {name} {kind}"))


# version -> the step that upgrades a database from version - 1 to it.
STEPS: dict[int, Callable[[Connection], None]] = {2: _add_store_profiles, 3: _scope_staff_to_stores,
                                                  4: _add_recovery_and_revocation,
                                                  5: _add_provisional_cards_and_staff_locks,
                                                  6: _add_console_owner_accounts}


class SchemaTooNew(RuntimeError):
    pass


def schema_version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("hub_schema"):
        return None
    return conn.execute(sa.select(hub_schema.c.version)).scalar_one()


def migrate(engine: Engine) -> int:
    """Bring the database to ``SCHEMA_VERSION``; return the version it was at (0 = new)."""
    with writing(engine) as conn:
        if is_postgres(conn):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = schema_version(conn)
        if current is None:
            metadata.create_all(conn)
            conn.execute(sa.insert(hub_schema).values(id=1, version=SCHEMA_VERSION))
            return 0
        if current > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the hub database is at schema version {current}, newer than this "
                f"loyalty-hub understands ({SCHEMA_VERSION}); upgrade loyalty-hub")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            STEPS[version](conn)
            conn.execute(sa.update(hub_schema).values(version=version))
        return current
