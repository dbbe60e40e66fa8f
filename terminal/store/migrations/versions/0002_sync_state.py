"""Sync state: acknowledged positions and cursor, record versions with "changed here" flags.

Triggers stamp a new version and mark a card, program (with its tiers and
rewards) or staff member dirty whenever the services change what the hub
must hear about, so no service needs to know about sync. Reward stock and
PIN lockout counters are local and do not mark anything. Rows existing
before this revision are marked dirty: a store paired later pushes them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# SQLite's clock has milliseconds; the wire format wants microseconds.
_NOW = "(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')"


def _mark(kind: str, key: str) -> str:
    # Strictly newer than the record's last version (by >= 1 ms), so two edits
    # within one millisecond still differ and an ack of the first cannot
    # clear the second.
    last = (f"(SELECT julianday(substr(version, 1, 23)) FROM sync_records "
            f"WHERE kind = '{kind}' AND key = {key})")
    version = (f"(strftime('%Y-%m-%dT%H:%M:%f', max(julianday('now'), "
               f"coalesce({last}, 0) + 1.5 / 86400000.0)) || '000Z')")
    return (f"INSERT OR REPLACE INTO sync_records (kind, key, version, dirty) "
            f"VALUES ('{kind}', {key}, {version}, 1);")


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


_TRIGGERS = {
    "sync_cards_insert": f"AFTER INSERT ON cards BEGIN {_mark('cards', 'NEW.code')} END",
    "sync_cards_update": (f"AFTER UPDATE ON cards WHEN {_changed(('program_id', 'holder', 'status'))} "
                          f"BEGIN {_mark('cards', 'NEW.code')} END"),
    "sync_staff_insert": f"AFTER INSERT ON staff BEGIN {_mark('staff', 'NEW.staff_id')} END",
    "sync_staff_update": (f"AFTER UPDATE ON staff WHEN {_changed(('name', 'role', 'active', 'pin_hash'))} "
                          f"BEGIN {_mark('staff', 'NEW.staff_id')} END"),
    "sync_programs_insert": f"AFTER INSERT ON programs BEGIN {_mark('programs', 'NEW.program_id')} END",
    "sync_programs_update": f"AFTER UPDATE ON programs BEGIN {_mark('programs', 'NEW.program_id')} END",
    "sync_tiers_insert": f"AFTER INSERT ON tiers BEGIN {_mark('programs', 'NEW.program_id')} END",
    "sync_tiers_update": f"AFTER UPDATE ON tiers BEGIN {_mark('programs', 'NEW.program_id')} END",
    "sync_tiers_delete": f"AFTER DELETE ON tiers BEGIN {_mark('programs', 'OLD.program_id')} END",
    "sync_rewards_insert": f"AFTER INSERT ON rewards BEGIN {_mark('programs', 'NEW.program_id')} END",
    "sync_rewards_update": (
        "AFTER UPDATE ON rewards WHEN "
        f"{_changed(('program_id', 'name', 'cost_stamps', 'cost_points', 'valid_from', 'valid_until', 'active'))} "
        f"BEGIN {_mark('programs', 'NEW.program_id')} END"),
}


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "sync_records",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("key", sa.String(36), primary_key=True),
        sa.Column("version", sa.String(27), nullable=False),
        sa.Column("dirty", sa.Integer, nullable=False),
    )
    op.create_index("ix_sync_records_dirty", "sync_records", ["dirty", "kind"])
    op.create_table(
        "sync_parked",
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("card", sa.String(10), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_sync_parked_card", "sync_parked", ["card"])
    op.create_table(
        "sync_overdrafts",
        sa.Column("overdraft_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("card", sa.String(10), nullable=False),
        sa.Column("stamps_balance", sa.Integer, nullable=False),
        sa.Column("points_balance", sa.Integer, nullable=False),
        sa.Column("entry_ids", sa.Text, nullable=False),
        sa.Column("flagged_at", sa.String(27), nullable=False),
    )
    for name, body in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    for kind, table, key in (("cards", "cards", "code"), ("programs", "programs", "program_id"),
                             ("staff", "staff", "staff_id")):
        op.execute(f"INSERT INTO sync_records (kind, key, version, dirty) "
                   f"SELECT '{kind}', {key}, {_NOW}, 1 FROM {table}")


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("sync_overdrafts", "sync_parked", "sync_records", "sync_state"):
        op.drop_table(table)
