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

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub import lifetime
from sync.hub.admin import utc_iso
from sync.hub.daily_totals import recount
from sync.hub.db import is_postgres, writing
from sync.hub.delivery_attempts import ANSWER_CHARS
from sync.hub.schema import (
    audit_events,
    cards,
    console_card_actions,
    daily_cards,
    daily_totals,
    daily_voided,
    entries,
    hub_attempts,
    hub_schema,
    idempotency_keys,
    integration_credentials,
    integration_orders,
    metadata,
    overdrafts,
    owner_accounts,
    owner_sessions,
    program_stores,
    programs,
    record_refusals,
    staff,
    staff_locks,
    store_profiles,
    terminals,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
    webhook_events,
)

SCHEMA_VERSION = 22
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


def _add_missing_columns(conn: Connection, table: str, columns: Sequence[str]) -> None:
    """Add each of ``columns`` ("name TYPE ...") that ``table`` lacks.

    Steps from schema 5 on add only what is missing: upgrade tests fake an older database by
    winding a new one's version back, so its tables may already have them.
    """
    have = {c["name"] for c in sa.inspect(conn).get_columns(table)}
    for column in columns:
        if column.split()[0] not in have:
            conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column}"))


def _add_provisional_cards_and_staff_locks(conn: Connection) -> None:
    false = "false" if is_postgres(conn) else "0"
    _add_missing_columns(conn, "cards", [f"provisional BOOLEAN NOT NULL DEFAULT {false}"])
    staff_locks.create(conn, checkfirst=True)


def _add_flag_kinds(conn: Connection) -> None:
    _add_missing_columns(conn, "overdrafts", [
        "kind VARCHAR(16) NOT NULL DEFAULT 'overdraft'", "effect_stamps BIGINT NOT NULL DEFAULT 0",
        "effect_points BIGINT NOT NULL DEFAULT 0", "reward_id VARCHAR(64)", "detail TEXT"])
    indexes = {i["name"] for i in sa.inspect(conn).get_indexes("entries")}
    for index in entries.indexes:
        if index.name in ("ix_entries_merchant_reverses", "ix_entries_merchant_reward") and index.name not in indexes:
            index.create(conn)


def _record_rules(conn: Connection) -> None:
    """Who changed each record, which stores may change each program, and no far-future version.

    A program's creator is not known for older rows: the store of the till
    that last changed it is allowed (the owner can allow others). A version
    stored ahead of the hub's clock (9999-12-31 froze a record) is brought
    back to now, so the next real change wins.
    """
    now = utc_iso()
    for table in (cards, programs, staff):
        _add_missing_columns(conn, table.name, ["origin_store_id VARCHAR(36)"])
        conn.execute(sa.update(table).values(origin_store_id=sa.select(terminals.c.store_id)
                                             .where(terminals.c.terminal_id == table.c.origin_terminal_id)
                                             .scalar_subquery()))
        conn.execute(sa.update(table).where(table.c.updated_at > now).values(updated_at=now))
    program_stores.create(conn, checkfirst=True)
    conn.execute(sa.insert(program_stores).from_select(
        ["merchant_id", "program_id", "store_id", "allowed_at", "reason"],
        sa.select(programs.c.merchant_id, programs.c.program_id, programs.c.origin_store_id,
                  sa.literal(now), sa.literal("created"))
        .where(programs.c.origin_store_id.is_not(None))))


def _add_card_contact_details(conn: Connection) -> None:
    _add_missing_columns(conn, "cards", ["phone VARCHAR(32)", "email VARCHAR(254)", "birthday VARCHAR(10)",
                                         "contact_consent BOOLEAN NOT NULL DEFAULT FALSE", "replaced_by VARCHAR(10)"])


def _add_chain_signatures(conn: Connection) -> None:
    _add_missing_columns(conn, "terminals", ["signing_key VARCHAR(44)", "entries_signed_from BIGINT",
                                             "audit_signed_from BIGINT"])
    _add_missing_columns(conn, "entries", ["sig VARCHAR(88)"])
    _add_missing_columns(conn, "audit_events", ["sig VARCHAR(88)"])


def _add_console_owner_accounts(conn: Connection) -> None:
    # checkfirst: tests fake an older database by winding a new one's version back.
    owner_accounts.create(conn, checkfirst=True)
    owner_sessions.create(conn, checkfirst=True)
    _add_missing_columns(conn, "overdrafts", ["resolved_at VARCHAR(27)", "resolved_by VARCHAR(254)",
                                              "resolution_note TEXT"])


def _integration_api(conn: Connection) -> None:
    """The hub's own chain per merchant (a hub author in terminals) and the integration API's tables."""
    _add_missing_columns(conn, "terminals", ["is_hub BOOLEAN NOT NULL DEFAULT FALSE"])
    for table in (integration_credentials, idempotency_keys, integration_orders):
        table.create(conn, checkfirst=True)


def _add_webhooks(conn: Connection) -> None:
    for table in (webhook_endpoints, webhook_events, webhook_deliveries):
        table.create(conn, checkfirst=True)


def _add_record_authors(conn: Connection) -> None:
    """Who changed a card, program or staff member at the hub (an owner's e-mail; see hub_records.py)."""
    for table in ("cards", "programs", "staff"):
        _add_missing_columns(conn, table, ["changed_by VARCHAR(254)"])


def _console_card_actions(conn: Connection) -> None:
    """The console's trail of owners' card actions (adjust, suspend, block, reactivate, replace)."""
    console_card_actions.create(conn, checkfirst=True)


def _customer_page_switch(conn: Connection) -> None:
    """Each merchant's switch of the customer page (customer_tokens.py): on, as before it existed."""
    _add_missing_columns(conn, "merchants", ["customer_page BOOLEAN NOT NULL DEFAULT TRUE"])


def _add_staff_pin_reset(conn: Connection) -> None:
    """An owner at the console asks a staff member for a new PIN at their next sign-in at a till."""
    false = "false" if is_postgres(conn) else "0"
    _add_missing_columns(conn, "staff", [f"pin_reset_required BOOLEAN NOT NULL DEFAULT {false}"])


def _console_audit_log_and_till_status(conn: Connection) -> None:
    """The console's audit log (its indexes and the kept record refusals) and what tills report of themselves."""
    _add_missing_columns(conn, "terminals", ["pending_entries BIGINT", "pending_audit BIGINT",
                                             "app_version VARCHAR(40)", "status_at VARCHAR(27)"])
    record_refusals.create(conn, checkfirst=True)
    wanted = {"ix_audit_events_merchant_at", "ix_audit_events_merchant_subject", "ix_audit_events_terminal_at",
              "ix_entries_merchant_kind_at",
              "ix_overdrafts_merchant_flagged", "ix_overdrafts_merchant_resolved"}
    for table in (audit_events, entries, overdrafts):
        have = {i["name"] for i in sa.inspect(conn).get_indexes(table.name)}
        for index in table.indexes:
            if index.name in wanted and index.name not in have:
                index.create(conn)


def _daily_totals(conn: Connection) -> None:
    """The console's period figures (daily_totals.py), counted from every entry already held."""
    for table in (daily_totals, daily_cards, daily_voided):
        table.create(conn, checkfirst=True)
    recount(conn)



def _add_lifetime_points(conn: Connection) -> None:
    """Each card's lifetime points kept in balances (lifetime.py), counted from the entries held."""
    _add_missing_columns(conn, "balances", ["lifetime_points BIGINT NOT NULL DEFAULT 0"])
    lifetime.recount(conn)


def _secrets_at_rest_and_shared_throttles(conn: Connection) -> None:
    """Wrapped webhook and TOTP secrets, and the attempts table every hub process counts guesses in.

    The clear secrets already held cannot be wrapped here (this step has no master key): the
    hub seals them when it starts and whenever it uses one (secret_store.seal_clear_secrets).
    """
    _add_missing_columns(conn, "webhook_endpoints", ["secret_wrapped TEXT"])
    _add_missing_columns(conn, "owner_accounts", ["totp_secret_wrapped TEXT"])
    hub_attempts.create(conn, checkfirst=True)


def _integration_log_and_last_used(conn: Connection) -> None:
    """The console's delivery log pages by index (delivery_log.py); each credential's last use."""
    _add_missing_columns(conn, "integration_credentials", ["last_used_at VARCHAR(27)"])
    wanted = {"ix_webhook_deliveries_log", "ix_webhook_deliveries_endpoint_log", "ix_webhook_deliveries_status_log",
              "ix_webhook_deliveries_event", "ix_webhook_events_type"}
    for table in (webhook_events, webhook_deliveries):
        have = {i["name"] for i in sa.inspect(conn).get_indexes(table.name)}
        for index in table.indexes:
            if index.name in wanted and index.name not in have:
                index.create(conn)
    v12_index = "ix_webhook_deliveries_merchant"   # (merchant_id, created_at): a prefix of the log's
    if v12_index in {i["name"] for i in sa.inspect(conn).get_indexes(webhook_deliveries.name)}:
        conn.execute(sa.text(f"DROP INDEX {v12_index}"))


def _webhook_attempt_history(conn: Connection) -> None:
    """Every try of a webhook delivery (delivery_attempts.py), and the index of a delivery's replays.

    A delivery from before keeps its latest try, copied from what the log kept of it (its number, the
    status code, the error): without a start time or duration, which were never kept. A delivery whose
    lease is out has its latest try in flight, so what the log shows is the try before it. A cancelled
    one's error is why it was cancelled, not an answer.
    """
    webhook_attempts.create(conn, checkfirst=True)
    if "ix_webhook_deliveries_replay" not in {i["name"] for i in sa.inspect(conn).get_indexes("webhook_deliveries")}:
        next(i for i in webhook_deliveries.indexes if i.name == "ix_webhook_deliveries_replay").create(conn)
    d = webhook_deliveries.c
    in_flight = sa.case((sa.and_(d.status == "pending", d.lease_owner.is_not(None)), 1), else_=0)
    answer = sa.case((d.status == "cancelled", None), else_=sa.func.substr(d.last_error, 1, ANSWER_CHARS))
    conn.execute(sa.insert(webhook_attempts).from_select(
        ["delivery_id", "attempt", "response_code", "answer"],
        sa.select(d.delivery_id, d.attempts - in_flight, d.response_code, answer)
        .where(d.attempts - in_flight > 0,
               sa.or_(d.response_code.is_not(None), sa.and_(d.last_error.is_not(None), d.status != "cancelled")),
               ~sa.exists().where(webhook_attempts.c.delivery_id == d.delivery_id))))


# version -> the step that upgrades a database from version - 1 to it.
STEPS: dict[int, Callable[[Connection], None]] = {2: _add_store_profiles, 3: _scope_staff_to_stores,
                                                  4: _add_recovery_and_revocation,
                                                  5: _add_provisional_cards_and_staff_locks, 6: _add_flag_kinds,
                                                  7: _record_rules,
                                                  8: _add_card_contact_details,
                                                  9: _add_chain_signatures,
                                                  10: _add_console_owner_accounts,
                                                  11: _integration_api,
                                                  12: _add_webhooks,
                                                  13: _add_record_authors,
                                                  14: _console_card_actions,
                                                  15: _customer_page_switch,
                                                  16: _add_staff_pin_reset,
                                                  17: _console_audit_log_and_till_status,
                                                  18: _daily_totals,
                                                  19: _add_lifetime_points,
                                                  20: _secrets_at_rest_and_shared_throttles,
                                                  21: _integration_log_and_last_used,
                                                  22: _webhook_attempt_history}


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
