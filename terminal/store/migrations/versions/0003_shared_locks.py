"""Offline facts that hold across tills: provisional cards kept as such, PIN lock state shared.

``provisional_cards`` lists the cards made here (or pulled) while the real
record had not arrived. It used to be told by the card's version alone
(the oldest possible), which the next local status change overwrote: the
card then counted as real, could redeem offline and beat the real holder
at the hub. A row here stays until the real record arrives.

``staff_locks`` holds each till's wrong-PIN count for each staff member in
the current lock epoch (see terminal/services/shared_lockout.py). Only
this till's own rows are marked for push; other tills' rows come from the
hub.

Revision ID: 0003_shared_locks
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_shared_locks"
down_revision = "0002"
branch_labels = None
depends_on = None

# The same stamp as migration 0002's triggers: strictly newer than the record's last version.
_LAST = "(SELECT julianday(substr(version, 1, 23)) FROM sync_records WHERE kind = 'locks' AND key = NEW.staff_id)"
_VERSION = (f"(strftime('%Y-%m-%dT%H:%M:%f', max(julianday('now'), coalesce({_LAST}, 0) + 1.5 / 86400000.0)) "
            "|| '000Z')")
_MARK = (f"INSERT OR REPLACE INTO sync_records (kind, key, version, dirty) "
         f"VALUES ('locks', NEW.staff_id, {_VERSION}, 1);")
_OWN = "NEW.terminal_id = (SELECT terminal_id FROM store_info LIMIT 1)"
_TRIGGERS = {
    "sync_locks_insert": f"AFTER INSERT ON staff_locks WHEN {_OWN} BEGIN {_MARK} END",
    "sync_locks_update": (f"AFTER UPDATE ON staff_locks WHEN {_OWN} AND (OLD.epoch IS NOT NEW.epoch "
                          "OR OLD.failures IS NOT NEW.failures OR OLD.locked_until IS NOT NEW.locked_until) "
                          f"BEGIN {_MARK} END"),
}
PROVISIONAL_VERSION = "1970-01-01T00:00:00.000000Z"


def upgrade() -> None:
    op.create_table(
        "provisional_cards",
        sa.Column("code", sa.String(10), primary_key=True),
    )
    op.execute("INSERT INTO provisional_cards (code) SELECT key FROM sync_records "
               f"WHERE kind = 'cards' AND version = '{PROVISIONAL_VERSION}'")
    op.create_table(
        "staff_locks",
        sa.Column("staff_id", sa.String(36), primary_key=True),
        sa.Column("terminal_id", sa.String(36), primary_key=True),
        sa.Column("epoch", sa.Integer, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.String(27)),
    )
    for name, body in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    # Counts kept so far were this till's own: they become its row in epoch 0 (marked for push).
    op.execute("INSERT INTO staff_locks (staff_id, terminal_id, epoch, failures, locked_until) "
               "SELECT staff_id, (SELECT terminal_id FROM store_info LIMIT 1), 0, failed_attempts, locked_until "
               "FROM staff WHERE failed_attempts > 0 OR locked_until IS NOT NULL")


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("staff_locks")
    op.drop_table("provisional_cards")
